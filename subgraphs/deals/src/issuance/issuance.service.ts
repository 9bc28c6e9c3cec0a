import {
  actorOf,
  claimChangeRequest,
  ConflictError,
  enqueueJob,
  payloadHash,
  STAFF_ROLES,
  TenantService,
  ValidationError,
  type GateDecision,
  type Role,
} from '@tranche/platform';
import { DealStatus } from '../deal/deal.entity.js';
import { issuanceTerms } from '../lifecycle/issuance-terms.js';
import { lockDeal, tranchesOfDeal } from '../lifecycle/lifecycle.service.js';
import { IssuanceTransaction } from './issuance-transaction.entity.js';
import { DeploymentStatus, Issuance } from './issuance.entity.js';
import { symbolsOf } from './issuance.plan.js';
import { TrancheToken } from './tranche-token.entity.js';

/** Who may see a deal's deployment: staff and investors (addresses are public on-chain anyway). */
export const ISSUANCE_READERS: readonly Role[] = [...STAFF_ROLES, 'INVESTOR'];

/** Who may start or resume an issuance (the gate's `deal.issue` roles). */
export const ISSUERS: readonly Role[] = ['ARRANGER', 'ADMIN'];

/** The queue task that deploys a deal's tokens and registers it (see issuance.jobs.ts). */
export const ISSUE_TASK = 'deals:issue';

/** Where the deployment goes, as the resolver found it from the configuration. */
export interface IssuanceTarget {
  chainId: number;
  dealRegistry: string;
  onChainDealId: string;
  stepsTotal: number;
}

/**
 * Issuance: turning an APPROVED deal into tokens on its chain. Starting claims the deal's
 * approved review (the gate checked it binds to the deal's terms as they are now) in the same
 * transaction that creates the deployment rows and queues the job, so a deal is issued at most
 * once; a FAILED deployment is resumed, never started again.
 */
export class IssuanceService extends TenantService {
  /** The issuance of many deals in one statement (null for a deal not issued). */
  async ofDeals(dealIds: readonly string[]): Promise<(Issuance | null)[]> {
    const groups = await this.findGrouped(Issuance, 'dealId', dealIds, (i) => i.dealId, { startedAt: 'asc' });
    return groups.map((g) => g[0] ?? null);
  }

  /** The tokens of many issuances, in seniority order. */
  tokensOf(issuanceIds: readonly string[]): Promise<TrancheToken[][]> {
    return this.findGrouped(TrancheToken, 'issuanceId', issuanceIds, (t) => t.issuanceId, {
      seniority: 'asc',
    });
  }

  /** The mined transactions of many issuances, in order. */
  transactionsOf(issuanceIds: readonly string[]): Promise<IssuanceTransaction[][]> {
    return this.findGrouped(IssuanceTransaction, 'issuanceId', issuanceIds, (t) => t.issuanceId, {
      seq: 'asc',
    });
  }

  /**
   * Starts the deployment of an APPROVED deal: claims the approval (`decision`), creates the
   * issuance and a token row per tranche, records `deal.issuance_started` and queues the job.
   *
   * @throws ValidationError when the deal is not APPROVED or its terms changed since; ConflictError
   *   when it is already issued; APPROVAL_REQUIRED when the approval was used meanwhile.
   */
  async start(dealId: string, decision: GateDecision, target: IssuanceTarget): Promise<Issuance> {
    return this.em.transactional(async (tx) => {
      const deal = await lockDeal(tx, this.tenantId, dealId);
      if (await tx.findOne(Issuance, { dealId: deal.id }))
        throw new ConflictError('the deal is already being issued or issued: resume it instead');
      if (deal.status !== DealStatus.APPROVED)
        throw new ValidationError({ status: `only an APPROVED deal is issued; this one is ${deal.status}` });
      const terms = await issuanceTerms(tx, deal);
      if (!decision.changeRequest)
        throw new ValidationError({
          status: `the gate did not bind the deal's approved review (${deal.reviewChangeRequestId ?? 'none'}) to this issuance: check the tenant's policy routes deal.issue to an approval`,
        });
      if (decision.changeRequest.payloadHash !== payloadHash(terms))
        throw new ValidationError({
          status: 'the deal changed since its approval: submit it for review again',
        });
      await claimChangeRequest(tx, decision);
      const issuance = tx.create(Issuance, {
        tenantId: this.tenantId,
        dealId: deal.id,
        chainId: target.chainId,
        dealRegistry: target.dealRegistry,
        onChainDealId: target.onChainDealId,
        termsSha256: decision.changeRequest.payloadHash,
        changeRequestId: decision.changeRequest.id,
        stepsTotal: target.stepsTotal,
        startedBy: actorOf(this.principal),
      });
      const tranches = await tranchesOfDeal(tx, deal);
      const symbols = symbolsOf(tranches);
      tranches.forEach((t, i) =>
        tx.create(TrancheToken, {
          tenantId: this.tenantId,
          issuanceId: issuance.id,
          trancheId: t.id,
          tranche: t.name,
          seniority: t.seniority,
          symbol: symbols[i]!,
        }),
      );
      await this.audit(tx, {
        action: 'deal.issuance_started',
        aggregateType: 'Deal',
        aggregateId: deal.id,
        payload: {
          issuanceId: issuance.id,
          chainId: target.chainId,
          changeRequestId: issuance.changeRequestId,
        },
      });
      await tx.flush();
      await enqueueJob(
        tx,
        ISSUE_TASK,
        { issuanceId: issuance.id },
        { jobKey: `${ISSUE_TASK}:${issuance.id}`, maxAttempts: 5 },
      );
      return issuance;
    });
  }

  /**
   * Resumes a FAILED deployment from where it stopped (the job's keyed transactions are never sent
   * twice). The approval was claimed when it started: resuming needs none.
   *
   * @throws ValidationError when there is nothing to resume.
   */
  async resume(dealId: string): Promise<Issuance> {
    return this.em.transactional(async (tx) => {
      const deal = await lockDeal(tx, this.tenantId, dealId);
      const issuance = await tx.findOne(Issuance, { dealId: deal.id, tenantId: this.tenantId });
      if (!issuance || issuance.status !== DeploymentStatus.FAILED)
        throw new ValidationError({ status: 'only a FAILED deployment is resumed' });
      issuance.status = DeploymentStatus.DEPLOYING;
      issuance.error = null;
      issuance.finishedAt = null;
      await tx.nativeUpdate(
        TrancheToken,
        { issuanceId: issuance.id, status: DeploymentStatus.FAILED },
        {
          status: DeploymentStatus.DEPLOYING,
        },
      );
      await this.audit(tx, {
        action: 'deal.issuance_resumed',
        aggregateType: 'Deal',
        aggregateId: deal.id,
        payload: { issuanceId: issuance.id },
      });
      await enqueueJob(
        tx,
        ISSUE_TASK,
        { issuanceId: issuance.id },
        {
          jobKey: `${ISSUE_TASK}:${issuance.id}`,
          maxAttempts: 5,
        },
      );
      return issuance;
    });
  }
}
