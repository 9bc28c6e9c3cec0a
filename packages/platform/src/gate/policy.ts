import { z } from 'zod';
import { ROLES, type Role } from '../auth.js';
import { ValidationError } from '../errors.js';
import { isCapability } from './capabilities.js';

/** How much a change can hurt, from the change type and its amount. */
export const RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

const role = z.enum(ROLES);
const level = z.enum(RISK_LEVELS);

const levelRule = z
  .object({
    /** Distinct people who must approve (the requester never counts). */
    approvals: z.number().int().min(1).max(10),
    /** Roles an approver may act in. */
    approverRoles: z.array(role).min(1).default(['COMPLIANCE', 'ADMIN']),
    /** Each of these roles must be held by a different approver (e.g. COMPLIANCE and ADMIN). */
    distinctRoles: z.array(role).default([]),
    /** At least one approver must hold each of these roles (e.g. an ADMIN). */
    mustInclude: z.array(role).default([]),
  })
  .strict()
  .refine((r) => r.distinctRoles.length <= r.approvals, {
    message: 'distinctRoles cannot name more roles than approvals',
    path: ['distinctRoles'],
  });

const changeTypeRule = z
  .object({
    level,
    /** A higher level from an amount on (minor units, decimal string), highest first wins. */
    thresholds: z.array(z.object({ minAmount: z.string().regex(/^\d+$/), level }).strict()).default([]),
  })
  .strict();

/** Change types whose approval no policy may drop, and the least level each must have. */
const REQUIRED_TYPES: Record<string, RiskLevel> = {
  'governance.policy': 'CRITICAL',
  'killswitch.deactivate': 'MEDIUM',
  'killswitch.deactivate.global': 'CRITICAL',
};

/**
 * A tenant's governance policy: which change types need an approved change request, at which
 * risk level (from the type and its amount), and what each level needs. Validated on save,
 * versioned, itself changed only through a CRITICAL change request.
 */
export const governancePolicySchema = z
  .object({
    /** How long an approved request may wait to execute before it expires. */
    approvalExpiryHours: z.number().positive().max(720).default(72),
    levels: z.object({ LOW: levelRule, MEDIUM: levelRule, HIGH: levelRule, CRITICAL: levelRule }).strict(),
    changeTypes: z.record(z.string(), changeTypeRule),
  })
  .strict()
  .superRefine((policy, issues) => {
    for (const type of Object.keys(policy.changeTypes)) {
      if (!isCapability(type))
        issues.addIssue({ code: 'custom', path: ['changeTypes', type], message: 'not a capability' });
    }
    for (const [type, least] of Object.entries(REQUIRED_TYPES)) {
      const rule = policy.changeTypes[type];
      if (!rule || RISK_LEVELS.indexOf(rule.level) < RISK_LEVELS.indexOf(least)) {
        issues.addIssue({
          code: 'custom',
          path: ['changeTypes', type],
          message: `must be routed at ${least} or above`,
        });
      }
    }
  });

export type GovernancePolicy = z.infer<typeof governancePolicySchema>;
export type LevelRule = GovernancePolicy['levels']['LOW'];

/**
 * The policy a tenant has until it adopts its own (the seed data's defaults): drafting needs no
 * approval, nor does the routine anchoring of the audit ledger; issuing, minting, paying and
 * attesting do, more as amounts grow; changing
 * the policy or lifting a GLOBAL kill switch is CRITICAL.
 */
export const DEFAULT_POLICY: GovernancePolicy = governancePolicySchema.parse({
  approvalExpiryHours: 72,
  levels: {
    LOW: { approvals: 1 },
    MEDIUM: { approvals: 1 },
    HIGH: { approvals: 2, distinctRoles: ['COMPLIANCE', 'ADMIN'] },
    CRITICAL: { approvals: 3, mustInclude: ['ADMIN'] },
  },
  changeTypes: {
    'deal.issue': { level: 'HIGH' },
    'deal.terminate': { level: 'CRITICAL' },
    'token.mint': {
      level: 'MEDIUM',
      thresholds: [{ minAmount: '100000000000', level: 'HIGH' }],
    },
    'token.transfer': { level: 'HIGH' },
    'distribution.execute': {
      level: 'MEDIUM',
      thresholds: [
        { minAmount: '1000000000', level: 'HIGH' },
        { minAmount: '100000000000', level: 'CRITICAL' },
      ],
    },
    'attestation.submit': { level: 'LOW' },
    'killswitch.deactivate': { level: 'HIGH' },
    'killswitch.deactivate.global': { level: 'CRITICAL' },
    'governance.policy': { level: 'CRITICAL' },
  },
});

/**
 * Parses and validates a policy document (JSON text or a parsed value).
 *
 * @throws ValidationError naming each bad path under `policy.` (e.g. `policy.levels.HIGH.approvals`).
 */
export function parsePolicy(document: unknown): GovernancePolicy {
  let value = document;
  if (typeof document === 'string') {
    try {
      value = JSON.parse(document);
    } catch (err) {
      throw new ValidationError({ policy: `not valid JSON: ${(err as Error).message}` });
    }
  }
  const parsed = governancePolicySchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ValidationError(
    Object.fromEntries(parsed.error.issues.map((i) => [['policy', ...i.path].join('.'), i.message])),
  );
}

/** The risk of a change: its level and what the level needs, or null when it needs no approval. */
export function riskOf(
  policy: GovernancePolicy,
  type: string,
  amount?: bigint | null,
): { level: RiskLevel; rule: LevelRule } | null {
  const routed = policy.changeTypes[type];
  if (!routed) return null;
  let found: RiskLevel = routed.level;
  for (const t of routed.thresholds) {
    if (
      amount != null &&
      amount >= BigInt(t.minAmount) &&
      RISK_LEVELS.indexOf(t.level) > RISK_LEVELS.indexOf(found)
    ) {
      found = t.level;
    }
  }
  return { level: found, rule: policy.levels[found] };
}

/** One approval as the rules see it: who, in which roles. */
export interface ApprovalVote {
  actor: string;
  roles: readonly Role[];
}

/**
 * Whether `votes` satisfy `rule` for a request made by `requester` (four-eyes): the requester's
 * own vote never counts, one person counts once, only votes in an approver role count, the
 * `distinctRoles` are each covered by a different person, and `mustInclude` roles are present.
 * Returns what is still missing when not satisfied.
 */
export function approvalsSatisfied(
  rule: LevelRule,
  votes: readonly ApprovalVote[],
  requester: string,
): { satisfied: boolean; counted: number; missing: string | null } {
  const people = new Map<string, Set<Role>>();
  for (const vote of votes) {
    if (vote.actor === requester) continue;
    const roles = vote.roles.filter((r) => rule.approverRoles.includes(r));
    if (!roles.length) continue;
    const held = people.get(vote.actor) ?? new Set<Role>();
    for (const r of roles) held.add(r);
    people.set(vote.actor, held);
  }
  const counted = people.size;
  if (counted < rule.approvals) {
    return { satisfied: false, counted, missing: `${rule.approvals - counted} more approval(s)` };
  }
  const missingRole = rule.mustInclude.find((r) => ![...people.values()].some((held) => held.has(r)));
  if (missingRole) return { satisfied: false, counted, missing: `an approval by ${missingRole}` };
  if (!coversDistinctly(rule.distinctRoles, [...people.values()])) {
    return {
      satisfied: false,
      counted,
      missing: `approvals by different people in ${rule.distinctRoles.join(' and ')}`,
    };
  }
  return { satisfied: true, counted, missing: null };
}

/** Whether each role can be given to a different person holding it (a small bipartite matching). */
function coversDistinctly(
  roles: readonly Role[],
  people: readonly Set<Role>[],
  used = new Set<number>(),
): boolean {
  const [first, ...rest] = roles;
  if (!first) return true;
  return people.some((held, i) => {
    if (used.has(i) || !held.has(first)) return false;
    used.add(i);
    const ok = coversDistinctly(rest, people, used);
    used.delete(i);
    return ok;
  });
}
