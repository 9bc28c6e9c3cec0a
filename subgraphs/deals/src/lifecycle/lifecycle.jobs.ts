import type { MikroORM } from '@mikro-orm/postgresql';
import {
  claimChangeRequest,
  DEAL_CHANGE_DECIDED_TASK,
  payloadHash,
  recordAudit,
  type ChangeDecidedPayload,
  type Config,
  type Gate,
  type JobHandler,
  type JobSet,
  type Logger,
} from '@tranche/platform';
import { DealStatus } from '../deal/deal.entity.js';
import { lockDeal, terminationPayload } from './lifecycle.service.js';

/** The system actor of the deal workflow, in audit records. */
const WORKFLOW = { subject: 'deal-workflow', clientId: 'deal-workflow', roles: new Set<never>() };

/** The review's request ended without an approval: the deal goes back to PROPOSED. */
const RETURNED = ['REJECTED', 'CANCELLED', 'EXPIRED'];

/**
 * The lifecycle's queue tasks: following up on a decided change request of a deal (the audit
 * subgraph enqueues it in the deciding transaction). The request's state is read through the gate
 * (never taken from the job's payload): an approved review makes the deal APPROVED, a rejected,
 * cancelled or expired one returns it to PROPOSED; an approved termination is claimed (executed
 * once) and the deal becomes TERMINATED.
 */
export function lifecycleJobs(orm: MikroORM, _config: Config, logger: Logger, gate: Gate): JobSet {
  const decided: JobHandler = async (raw) => {
    const { changeRequestId, tenantId, dealId } = raw as ChangeDecidedPayload;
    if (!dealId) return;
    const state = await gate.changeRequest(changeRequestId);
    if (!state || state.tenantId !== tenantId || state.dealId !== dealId) return;
    await orm.em.fork().transactional(async (tx) => {
      const deal = await lockDeal(tx, tenantId, dealId).catch(() => null);
      if (!deal) return;
      const principal = { ...WORKFLOW, tenantId };
      const record = (action: string, payload: unknown) =>
        recordAudit(tx, 'deals', principal, { action, aggregateType: 'Deal', aggregateId: deal.id, payload });
      if (deal.reviewChangeRequestId === changeRequestId && deal.status === DealStatus.IN_REVIEW) {
        if (state.status === 'APPROVED') {
          deal.status = DealStatus.APPROVED;
          await record('deal.approved', { changeRequestId });
        } else if (RETURNED.includes(state.status)) {
          deal.status = DealStatus.PROPOSED;
          await record('deal.review_returned', { changeRequestId, status: state.status });
        }
      }
      if (deal.terminationChangeRequestId === changeRequestId) {
        if (state.status === 'APPROVED' && deal.status !== DealStatus.TERMINATED) {
          // The approval binds to this deal's termination; claiming executes it exactly once.
          await claimChangeRequest(tx, {
            capability: 'deal.terminate',
            actor: 'client:deal-workflow',
            tenantId,
            breakGlassGrantId: null,
            changeRequest: { id: changeRequestId, payloadHash: payloadHash(terminationPayload(deal.id)) },
          });
          const from = deal.status;
          deal.status = DealStatus.TERMINATED;
          await record('deal.terminated', { changeRequestId, from });
        } else if (RETURNED.includes(state.status)) {
          deal.terminationChangeRequestId = null;
          await record('deal.termination_withdrawn', { changeRequestId, status: state.status });
        }
      }
      deal.updatedAt = new Date();
    });
    logger.info({ changeRequestId, dealId, status: state.status }, 'deal change request followed up');
  };
  return { handlers: { [DEAL_CHANGE_DECIDED_TASK]: decided } };
}
