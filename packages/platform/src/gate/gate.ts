import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { actorOf, requireRole, type AuthContext } from '../auth.js';
import { canonicalJson } from '../canonical-json.js';
import {
  ApprovalRequiredError,
  ForbiddenError,
  KillSwitchActiveError,
  RateLimitedError,
  ServiceUnavailableError,
} from '../errors.js';
import type { Logger } from '../logger.js';
import { rolesFor, type Capability } from './capabilities.js';
import { DEFAULT_POLICY, riskOf, type GovernancePolicy } from './policy.js';

/** Where a kill switch applies: everything of the tenant, one deal, or one capability. */
export type KillSwitchScope = 'GLOBAL' | 'DEAL' | 'CAPABILITY';

export interface ActiveKillSwitch {
  id: string;
  tenantId: string;
  scope: KillSwitchScope;
  /** The deal id (DEAL) or the capability (CAPABILITY); null for GLOBAL. */
  target: string | null;
  reason: string;
}

export interface ActiveBreakGlass {
  id: string;
  tenantId: string;
  /** The actor the grant is for (`user:<email>`). */
  grantee: string;
  capability: string;
  expiresAt: Date;
}

/** What the gate holds in memory and refreshes: the switches, grants and policies in force. */
export interface GateSnapshot {
  killSwitches: ActiveKillSwitch[];
  breakGlass: ActiveBreakGlass[];
  policies: Map<string, GovernancePolicy>;
}

/** A change request as the gate checks it. */
export interface ChangeRequestState {
  id: string;
  tenantId: string;
  type: string;
  dealId: string | null;
  payloadHash: string;
  status: string;
  expiresAt: Date | null;
}

/** Where the gate reads its state; it throws when the state cannot be read. */
export interface GateStateSource {
  snapshot(): Promise<GateSnapshot>;
  changeRequest(id: string): Promise<ChangeRequestState | null>;
  /** Releases what the source holds open (its own connection); the gate calls it on stop. */
  close?(): Promise<void>;
}

/** One side effect about to happen, as its caller describes it to the gate. */
export interface GateRequest {
  capability: Capability;
  /** The deal the side effect touches (DEAL kill switches, change requests bound to a deal). */
  dealId?: string | null;
  /** The approved change request authorizing it, when the policy routes it to an approval. */
  changeRequestId?: string | null;
  /** What will be executed: its canonical SHA-256 must be the approved request's payload hash. */
  payload?: unknown;
  /** The amount at stake in minor units (risk routing). */
  amount?: bigint | null;
}

/** The gate's yes: what the side effect must carry (break-glass mark) or consume (the request). */
export interface GateDecision {
  capability: Capability;
  actor: string;
  tenantId: string;
  /** Set when only a break-glass grant allowed it: the audit record is marked with it. */
  breakGlassGrantId: string | null;
  /** The approved request to claim in the side effect's transaction (see claimChangeRequest). */
  changeRequest: { id: string; payloadHash: string } | null;
}

export interface GateOptions {
  /** How often the state is re-read (ms). */
  refreshMs: number;
  /** Older state than this is not trusted: every check is refused (fail closed). */
  maxStalenessMs: number;
  /** Side effects of one capability one caller may start per minute (a token bucket). */
  rateLimitPerMinute: number;
  logger?: Logger;
  now?: () => number;
}

/** SHA-256 of a payload's canonical JSON, hex: what an approval binds to. */
export function payloadHash(payload: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(payload ?? null))
    .digest('hex');
}

/**
 * The enforcement gate every side-effecting mutation and job asks before acting. In order:
 * kill switch → break-glass → role policy → approved change request (when the tenant's policy
 * routes the capability to an approval) → rate limit. It keeps the switches, grants and policies
 * in memory, re-read every `refreshMs`, so the hot path reads no database; and it fails closed:
 * when its state is older than `maxStalenessMs` (the state cannot be read), every check is
 * refused with SERVICE_UNAVAILABLE.
 */
export class Gate {
  private state: GateSnapshot | null = null;
  private refreshedAt = Number.NEGATIVE_INFINITY;
  private lastError: string | null = 'not loaded yet';
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly now: () => number;

  constructor(
    private readonly source: GateStateSource,
    private readonly options: GateOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /**
   * A change request as it stands now, read fresh (a workflow following up on a decision: a deal
   * whose review was approved). Null when it does not exist.
   *
   * @throws ServiceUnavailableError when it cannot be read (fail closed).
   */
  async changeRequest(id: string): Promise<ChangeRequestState | null> {
    try {
      return await this.source.changeRequest(id);
    } catch {
      throw new ServiceUnavailableError('the enforcement gate cannot read the change request (fail closed)', {
        changeRequestId: id,
      });
    }
  }

  /** Loads the state once (without throwing), then keeps it fresh until {@link stop}. */
  async start(): Promise<void> {
    await this.refresh();
    const tick = () => {
      this.running = this.refresh().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.options.refreshMs);
      });
    };
    this.timer = setTimeout(tick, this.options.refreshMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.source.close?.();
  }

  /** Re-reads the state now; a failure leaves the old state to age (and the gate to close). */
  async refresh(): Promise<void> {
    try {
      this.state = await this.source.snapshot();
      this.refreshedAt = this.now();
      this.lastError = null;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (this.lastError !== message)
        this.options.logger?.error({ err }, 'gate state unreadable: failing closed');
      this.lastError = message;
    }
  }

  /** The state in force, or a refusal when it is too old to trust. */
  private fresh(): GateSnapshot {
    const age = this.now() - this.refreshedAt;
    if (!this.state || age > this.options.maxStalenessMs) {
      throw new ServiceUnavailableError(
        'the enforcement gate cannot read its state, so nothing may change (fail closed)',
        {
          reason: this.lastError ?? `gate state is ${Math.round(age)} ms old`,
        },
      );
    }
    return this.state;
  }

  /** The active kill switches of `tenantId` (e.g. for a banner). */
  activeKillSwitches(tenantId: string): ActiveKillSwitch[] {
    return this.fresh().killSwitches.filter((k) => k.tenantId === tenantId);
  }

  /**
   * Asks whether the caller may perform `request` now. Resolves with the decision, or throws:
   * UNAUTHENTICATED, KILL_SWITCH_ACTIVE, FORBIDDEN, APPROVAL_REQUIRED, RATE_LIMITED (each with
   * its reason in `extensions`), or SERVICE_UNAVAILABLE when the gate cannot read its state.
   */
  async check(ctx: AuthContext, request: GateRequest): Promise<GateDecision> {
    const principal = requireRole(ctx);
    const state = this.fresh();
    const tenantId = principal.tenantId;
    const actor = actorOf(principal);

    refuseIfKilled(state, tenantId, request);

    const now = this.now();
    const grant = state.breakGlass.find(
      (g) =>
        g.tenantId === tenantId &&
        g.grantee === actor &&
        g.capability === request.capability &&
        g.expiresAt.getTime() > now,
    );
    let changeRequest: GateDecision['changeRequest'] = null;
    if (!grant) {
      const allowed = rolesFor(request.capability);
      if (!allowed.some((r) => principal.roles.has(r))) {
        throw new ForbiddenError(`${request.capability} requires one of the roles ${allowed.join(', ')}`);
      }
      const risk = riskOf(state.policies.get(tenantId) ?? DEFAULT_POLICY, request.capability, request.amount);
      if (risk) changeRequest = await this.approvedRequest(tenantId, request, risk.level);
    }

    this.takeToken(`${tenantId}|${actor}|${request.capability}`, request.capability);
    return {
      capability: request.capability,
      actor,
      tenantId,
      breakGlassGrantId: grant?.id ?? null,
      changeRequest,
    };
  }

  /**
   * Asks whether a job may perform a side effect for `tenantId` now: only the kill switches (and
   * the freshness of the state) are checked, because the job carries out what was authorized
   * when it was enqueued. A job that is refused throws and runs again later.
   *
   * @throws KILL_SWITCH_ACTIVE, or SERVICE_UNAVAILABLE when the gate cannot read its state.
   */
  checkJob(tenantId: string, request: Pick<GateRequest, 'capability' | 'dealId'>): void {
    refuseIfKilled(this.fresh(), tenantId, request);
  }

  /** The approved change request the side effect needs, checked against what will run. */
  private async approvedRequest(
    tenantId: string,
    request: GateRequest,
    level: string,
  ): Promise<{ id: string; payloadHash: string }> {
    const details = { capability: request.capability, riskLevel: level };
    if (!request.changeRequestId) {
      throw new ApprovalRequiredError(
        `${request.capability} at ${level} risk needs an approved change request`,
        details,
      );
    }
    let found: ChangeRequestState | null;
    try {
      found = await this.source.changeRequest(request.changeRequestId);
    } catch (err) {
      throw new ServiceUnavailableError('the enforcement gate cannot read the change request (fail closed)', {
        reason: err instanceof Error ? err.message : String(err),
      });
    }
    const refuse = (why: string) =>
      new ApprovalRequiredError(why, { ...details, changeRequestId: request.changeRequestId });
    if (!found || found.tenantId !== tenantId) throw refuse('the change request does not exist');
    if (found.type !== request.capability)
      throw refuse(`the change request approves ${found.type}, not ${request.capability}`);
    if ((found.dealId ?? null) !== (request.dealId ?? null))
      throw refuse('the change request is for another deal');
    if (found.status === 'EXECUTED') throw refuse('the change request was already executed');
    if (found.status !== 'APPROVED') throw refuse(`the change request is ${found.status}`);
    if (found.expiresAt && found.expiresAt.getTime() <= this.now()) throw refuse('the approval has expired');
    const hash = payloadHash(request.payload);
    if (hash !== found.payloadHash)
      throw refuse('what would run differs from what was approved (payload hash)');
    return { id: found.id, payloadHash: hash };
  }

  private takeToken(key: string, capability: string): void {
    const perMs = this.options.rateLimitPerMinute / 60_000;
    const capacity = Math.max(1, this.options.rateLimitPerMinute);
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      throw new RateLimitedError({ capability, retryAfterMs: Math.ceil((1 - bucket.tokens) / perMs) });
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
  }
}

/**
 * Refuses with KILL_SWITCH_ACTIVE when a switch of the tenant covers the request: GLOBAL, the
 * request's deal (DEAL) or its capability (CAPABILITY).
 */
function refuseIfKilled(
  state: GateSnapshot,
  tenantId: string,
  request: Pick<GateRequest, 'capability' | 'dealId'>,
): void {
  const killSwitch = state.killSwitches.find(
    (k) =>
      k.tenantId === tenantId &&
      (k.scope === 'GLOBAL' ||
        (k.scope === 'DEAL' && request.dealId != null && k.target === request.dealId) ||
        (k.scope === 'CAPABILITY' && k.target === request.capability)),
  );
  if (killSwitch) {
    throw new KillSwitchActiveError({
      scope: killSwitch.scope,
      target: killSwitch.target,
      reason: killSwitch.reason,
      killSwitchId: killSwitch.id,
    });
  }
}

/**
 * Claims the approved change request of `decision` inside `tx`, the transaction that performs
 * the side effect: the request becomes EXECUTED only if that transaction commits, and only once
 * (a second claim, or one after expiry, is refused). A no-op when no request was needed.
 *
 * @throws ApprovalRequiredError when the request was executed meanwhile or is no longer approved.
 */
export async function claimChangeRequest(tx: EntityManager, decision: GateDecision): Promise<void> {
  if (!decision.changeRequest) return;
  const [row] = await tx.execute<{ claimed: boolean | null }[]>(
    'select audit.claim_change_request(?, ?, ?, ?, ?) as claimed',
    [
      decision.changeRequest.id,
      decision.tenantId,
      decision.capability,
      decision.changeRequest.payloadHash,
      decision.actor,
    ],
  );
  if (!row?.claimed) {
    throw new ApprovalRequiredError('the change request was already executed or is no longer approved', {
      changeRequestId: decision.changeRequest.id,
    });
  }
}
