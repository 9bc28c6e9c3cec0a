import { UniqueConstraintViolationException, type FilterQuery, LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  actorOf,
  approvalsSatisfied,
  CHANGE_DECIDED_TASKS,
  ConflictError,
  DEFAULT_POLICY,
  ForbiddenError,
  isCapability,
  isUuid,
  NotFoundError,
  parsePolicy,
  payloadHash,
  riskOf,
  rolesFor,
  STAFF_ROLES,
  TenantService,
  ValidationError,
  canonicalJson,
  enqueueJob,
  type ChangeDecidedPayload,
  type GovernancePolicy,
  type Page,
  type PageRequest,
  type Role,
} from '@tranche/platform';
import { ChangeApproval, Vote } from './change-approval.entity.js';
import { ChangeRequest, ChangeStatus, Risk } from './change-request.entity.js';
import { GovernancePolicyVersion } from './governance-policy.entity.js';
import { KillSwitch, KillSwitchScope } from './kill-switch.entity.js';

/** Who may see change requests, switches and grants: platform staff. */
export const GOVERNANCE_READERS: readonly Role[] = STAFF_ROLES;

/** A change to propose: the capability it authorizes and exactly what will execute. */
export interface NewChange {
  /**
   * The id a workflow chose for it (OPEN_CHANGE_REQUEST_TASK); a new one otherwise. A workflow's
   * request always needs an approval: LOW when the tenant's policy routes its type to none.
   */
  id?: string;
  type: string;
  dealId?: string | null;
  title: string;
  rationale: string;
  /** JSON text of what will execute; stored canonically, hashed for the approvals. */
  payload: string;
}

/** Which change requests a list holds. */
export interface ChangeQuery {
  status?: ChangeStatus | null;
  dealId?: string | null;
  type?: string | null;
  riskLevel?: Risk | null;
}

/** Whether the caller may approve a request, and if not, why (the back office shows it). */
export interface ApprovalEligibility {
  canApprove: boolean;
  reason: string | null;
}

/** Change types the governance domain executes itself as soon as they are approved. */
const SELF_EXECUTING = new Set([
  'killswitch.deactivate',
  'killswitch.deactivate.global',
  'governance.policy',
]);

/**
 * Change requests: proposing a side effect, four-eyes approval routed by the tenant's policy,
 * rejection, cancellation and expiry. Approval binds to the payload hash; the side effect claims
 * the request exactly once through the gate (`claimChangeRequest`). Governance's own changes
 * (lifting a kill switch, a new policy) execute here, in the approving transaction.
 */
export class GovernanceService extends TenantService {
  /** The policy in force for the tenant and its version (0: the defaults). */
  async policy(): Promise<{ version: number; policy: GovernancePolicy }> {
    const latest = await this.em.findOne(
      GovernancePolicyVersion,
      { tenantId: this.tenantId },
      { orderBy: { version: 'desc' } },
    );
    return latest
      ? { version: latest.version, policy: parsePolicy(latest.document) }
      : { version: 0, policy: DEFAULT_POLICY };
  }

  /** A page of the tenant's change requests, newest first (approvals past their expiry shown EXPIRED). */
  async list(query?: ChangeQuery | null, page?: PageRequest | null): Promise<Page<ChangeRequest>> {
    await this.expireStale();
    const where: FilterQuery<ChangeRequest> = {};
    if (query?.status) where.status = query.status;
    if (query?.dealId)
      where.dealId = isUuid(query.dealId) ? query.dealId : '00000000-0000-0000-0000-000000000000';
    if (query?.type) where.type = query.type;
    if (query?.riskLevel) where.riskLevel = query.riskLevel;
    return this.findPage(ChangeRequest, where, { createdAt: 'desc' }, page);
  }

  /** The change request, or null when unknown or another tenant's. */
  async get(id: string): Promise<ChangeRequest | null> {
    await this.expireStale();
    return this.findOwned(ChangeRequest, id);
  }

  /** Change requests by id, in key order (federation references). */
  getMany(ids: readonly string[]): Promise<(ChangeRequest | null)[]> {
    return this.findManyOwned(ChangeRequest, ids);
  }

  /** The change requests of many deals in one statement, newest first. */
  ofDeals(dealIds: readonly string[]): Promise<ChangeRequest[][]> {
    return this.findGrouped(ChangeRequest, 'dealId', dealIds, (r) => r.dealId ?? '', { createdAt: 'desc' });
  }

  /** The votes of many requests in one statement, oldest first. */
  votesOf(requestIds: readonly string[]): Promise<ChangeApproval[][]> {
    return this.findGrouped(ChangeApproval, 'changeRequest', requestIds, (a) => a.changeRequest.id, {
      createdAt: 'asc',
    });
  }

  /**
   * Stores a change request with the SHA-256 of its canonical payload and the risk the tenant's
   * policy gives its type and amount (`payload.amount`, minor units), with its audit event.
   *
   * @throws ValidationError for a type that needs no approval, bad JSON or a bad payload for a
   *   governance change; ForbiddenError when the caller may not perform the type.
   */
  async request(input: NewChange): Promise<ChangeRequest> {
    const fields: Record<string, string> = {};
    let payload: unknown;
    try {
      payload = JSON.parse(input.payload);
    } catch (err) {
      fields.payload = `not valid JSON: ${(err as Error).message}`;
    }
    if (!isCapability(input.type)) fields.type = `unknown change type "${input.type}"`;
    if (input.dealId && !isUuid(input.dealId)) fields.dealId = 'not a deal id';
    const amount = amountOf(payload, fields);
    if (Object.keys(fields).length) throw new ValidationError(fields);
    if (isCapability(input.type) && !rolesFor(input.type).some((r) => this.principal.roles.has(r))) {
      throw new ForbiddenError(
        `requesting ${input.type} requires one of the roles ${rolesFor(input.type).join(', ')}`,
      );
    }
    const { version, policy } = await this.policy();
    const risk = riskOf(policy, input.type, amount) ?? (input.id ? { level: 'LOW' } : undefined);
    if (!risk)
      throw new ValidationError({ type: `${input.type} needs no approval under the tenant's policy` });
    return this.em.transactional(async (tx) => {
      await this.checkGovernancePayload(tx, input.type, payload);
      const request = tx.create(ChangeRequest, {
        ...(input.id ? { id: input.id } : {}),
        tenantId: this.tenantId,
        type: input.type,
        dealId: input.dealId ?? null,
        title: input.title.trim(),
        rationale: input.rationale.trim(),
        payload: canonicalJson(payload),
        payloadHash: payloadHash(payload),
        amount,
        riskLevel: risk.level as Risk,
        policyVersion: version,
        requestedBy: actorOf(this.principal),
      });
      await this.audit(tx, {
        action: 'change.requested',
        aggregateType: 'ChangeRequest',
        aggregateId: request.id,
        payload: {
          type: request.type,
          dealId: request.dealId,
          payloadHash: request.payloadHash,
          riskLevel: request.riskLevel,
        },
      });
      return request;
    });
  }

  /**
   * Records the caller's approval. When the votes satisfy the request's risk level (four-eyes:
   * never the requester, one person once), the request becomes APPROVED with its expiry, and a
   * governance change executes at once.
   *
   * @throws NotFoundError; ForbiddenError for the requester or a role that may not approve;
   *   ConflictError when the caller already voted or the request is no longer pending.
   */
  async approve(id: string, comment?: string | null): Promise<ChangeRequest> {
    return this.decide(id, Vote.APPROVE, comment ?? null);
  }

  /** Rejects a pending request (any eligible approver); it can no longer execute. */
  async reject(id: string, reason: string): Promise<ChangeRequest> {
    return this.decide(id, Vote.REJECT, reason);
  }

  /**
   * Cancels the caller's own pending or approved request.
   *
   * @throws NotFoundError; ForbiddenError when it is someone else's; ConflictError when it
   *   already ended.
   */
  async cancel(id: string): Promise<ChangeRequest> {
    return this.em.transactional(async (tx) => {
      const request = await this.lock(tx, id);
      if (request.requestedBy !== actorOf(this.principal))
        throw new ForbiddenError('only the requester may cancel a request');
      if (request.status !== ChangeStatus.PENDING && request.status !== ChangeStatus.APPROVED) {
        throw new ConflictError(`the request is ${request.status}`);
      }
      request.status = ChangeStatus.CANCELLED;
      request.decidedAt = new Date();
      await this.audit(tx, {
        action: 'change.cancelled',
        aggregateType: 'ChangeRequest',
        aggregateId: request.id,
        payload: {},
      });
      await followUp(tx, request);
      return request;
    });
  }

  /** Whether the caller may approve `request` now, and why not (requester, role, voted, state). */
  eligibility(request: ChangeRequest, votes: readonly ChangeApproval[]): ApprovalEligibility {
    const actor = actorOf(this.principal);
    if (request.status !== ChangeStatus.PENDING)
      return { canApprove: false, reason: `the request is ${request.status}` };
    if (request.requestedBy === actor)
      return { canApprove: false, reason: 'you requested this change (four-eyes)' };
    if (votes.some((v) => v.actor === actor))
      return { canApprove: false, reason: 'you already decided on this request' };
    return { canApprove: true, reason: null };
  }

  private async decide(id: string, vote: Vote, comment: string | null): Promise<ChangeRequest> {
    try {
      return await this.em.transactional(async (tx) => {
        const request = await this.lock(tx, id);
        const votes = await tx.find(
          ChangeApproval,
          { changeRequest: request },
          { orderBy: { createdAt: 'asc' } },
        );
        const { policy } = await this.policy();
        const rule = policy.levels[request.riskLevel];
        const eligible = this.eligibility(request, votes);
        if (!eligible.canApprove) {
          if (request.requestedBy === actorOf(this.principal))
            throw new ForbiddenError(eligible.reason ?? 'not allowed');
          throw new ConflictError(eligible.reason ?? 'not allowed');
        }
        const roles = [...this.principal.roles].filter((r) => rule.approverRoles.includes(r));
        if (!roles.length)
          throw new ForbiddenError(`approving needs one of the roles ${rule.approverRoles.join(', ')}`);
        const cast = tx.create(ChangeApproval, {
          tenantId: this.tenantId,
          changeRequest: request,
          actor: actorOf(this.principal),
          roles,
          vote,
          comment,
        });
        if (vote === Vote.REJECT) {
          request.status = ChangeStatus.REJECTED;
          request.decidedAt = new Date();
        } else {
          const all = [...votes, cast].filter((v) => v.vote === Vote.APPROVE);
          const verdict = approvalsSatisfied(
            rule,
            all.map((v) => ({ actor: v.actor, roles: v.roles as Role[] })),
            request.requestedBy,
          );
          if (verdict.satisfied) {
            request.status = ChangeStatus.APPROVED;
            request.decidedAt = new Date();
            request.expiresAt = new Date(Date.now() + policy.approvalExpiryHours * 3_600_000);
          }
        }
        await this.audit(tx, {
          action: vote === Vote.APPROVE ? 'change.approved' : 'change.rejected',
          aggregateType: 'ChangeRequest',
          aggregateId: request.id,
          payload: { status: request.status, comment, payloadHash: request.payloadHash },
        });
        if (request.status === ChangeStatus.APPROVED && SELF_EXECUTING.has(request.type))
          await this.execute(tx, request);
        if (request.status !== ChangeStatus.PENDING) await followUp(tx, request);
        return request;
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException)
        throw new ConflictError('you already decided on this request');
      throw err;
    }
  }

  /** Performs an approved governance change in the approving transaction. */
  private async execute(tx: EntityManager, request: ChangeRequest): Promise<void> {
    const payload = JSON.parse(request.payload) as { killSwitchId?: string; document?: unknown };
    if (request.type === 'governance.policy') {
      const { version } = await this.policy();
      tx.create(GovernancePolicyVersion, {
        tenantId: this.tenantId,
        version: version + 1,
        document: canonicalJson(parsePolicy(payload.document)),
        createdBy: request.requestedBy,
        changeRequestId: request.id,
      });
    } else {
      const killSwitch = await tx.findOne(KillSwitch, {
        id: payload.killSwitchId ?? '',
        tenantId: this.tenantId,
      });
      if (killSwitch && killSwitch.deactivatedAt === null) {
        killSwitch.deactivatedAt = new Date();
        killSwitch.deactivatedBy = actorOf(this.principal);
        killSwitch.deactivationRequestId = request.id;
      }
    }
    request.status = ChangeStatus.EXECUTED;
    request.executedAt = new Date();
    request.executedBy = actorOf(this.principal);
    await this.audit(tx, {
      action: 'change.executed',
      aggregateType: 'ChangeRequest',
      aggregateId: request.id,
      payload: { type: request.type, payloadHash: request.payloadHash },
    });
  }

  /** Governance changes are checked when proposed, so an approval never meets a bad payload. */
  private async checkGovernancePayload(tx: EntityManager, type: string, payload: unknown): Promise<void> {
    if (type === 'governance.policy') {
      const document = (payload as { document?: unknown } | null)?.document;
      if (document === undefined)
        throw new ValidationError({ 'payload.document': 'the new policy document is missing' });
      parsePolicy(document);
      return;
    }
    if (type !== 'killswitch.deactivate' && type !== 'killswitch.deactivate.global') return;
    const id = (payload as { killSwitchId?: unknown } | null)?.killSwitchId;
    const killSwitch =
      typeof id === 'string' && isUuid(id)
        ? await tx.findOne(KillSwitch, { id, tenantId: this.tenantId })
        : null;
    if (!killSwitch || killSwitch.deactivatedAt !== null) {
      throw new ValidationError({ 'payload.killSwitchId': 'not an active kill switch of yours' });
    }
    const expected =
      killSwitch.scope === KillSwitchScope.GLOBAL ? 'killswitch.deactivate.global' : 'killswitch.deactivate';
    if (type !== expected)
      throw new ValidationError({ type: `lifting a ${killSwitch.scope} switch is ${expected}` });
  }

  /** The tenant's request, locked for update in `tx`. @throws NotFoundError */
  private async lock(tx: EntityManager, id: string): Promise<ChangeRequest> {
    const request = isUuid(id)
      ? await tx.findOne(
          ChangeRequest,
          { id, tenantId: this.tenantId },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        )
      : null;
    if (!request) throw new NotFoundError('ChangeRequest', id);
    if (request.status === ChangeStatus.APPROVED && request.expiresAt && request.expiresAt <= new Date()) {
      request.status = ChangeStatus.EXPIRED;
    }
    return request;
  }

  /** Marks the tenant's approvals that outlived their expiry EXPIRED (they can no longer execute). */
  private async expireStale(): Promise<void> {
    await this.em.nativeUpdate(
      ChangeRequest,
      { tenantId: this.tenantId, status: ChangeStatus.APPROVED, expiresAt: { $lte: new Date() } },
      { status: ChangeStatus.EXPIRED },
    );
  }
}

/**
 * Tells the workflow that owns a request's type (e.g. a deal's review) that it was decided, in the
 * deciding transaction: the workflow reads the request's state itself when its job runs.
 */
async function followUp(tx: EntityManager, request: ChangeRequest): Promise<void> {
  const task = isCapability(request.type) ? CHANGE_DECIDED_TASKS[request.type] : undefined;
  if (!task) return;
  const payload: ChangeDecidedPayload = {
    changeRequestId: request.id,
    tenantId: request.tenantId,
    dealId: request.dealId,
  };
  await enqueueJob(tx, task, payload, { jobKey: `${task}:${request.id}:${request.status}` });
}

/** The amount at stake (`payload.amount`, minor units as a decimal string or integer), if any. */
function amountOf(payload: unknown, fields: Record<string, string>): bigint | null {
  const raw = (payload as { amount?: unknown } | null)?.amount;
  if (raw === undefined || raw === null) return null;
  if (
    (typeof raw === 'string' && /^\d+$/.test(raw)) ||
    (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0)
  ) {
    return BigInt(raw);
  }
  fields['payload.amount'] = 'minor units: a non-negative whole number';
  return null;
}
