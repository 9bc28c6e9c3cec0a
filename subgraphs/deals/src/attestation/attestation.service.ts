import { InstanceNotBuiltError, provingInstanceFor, type PoolMetrics } from '@tranche/circuits';
import {
  actorOf,
  claimChangeRequest,
  ConflictError,
  DomainError,
  enqueueJob,
  NotFoundError,
  STAFF_ROLES,
  TenantService,
  ValidationError,
  type GateDecision,
  type Role,
} from '@tranche/platform';
import { covenantsOf, storedCovenants, type Covenants } from '../deal/covenants.js';
import { lockDeal } from '../lifecycle/lifecycle.service.js';
import { AnchorStatus, LoanTape, TapeStatus } from '../tape/loan-tape.entity.js';
import {
  Covenant,
  PoolAttestation,
  PoolAttestationStatus,
  type StoredCovenantResult,
} from './pool-attestation.entity.js';

/** Who may ask for an attestation (the gate's `attestation.submit` roles). */
export const ATTESTERS: readonly Role[] = ['ARRANGER', 'SERVICER', 'ADMIN'];
/** Who may read attestations: staff and investors (what they prove is public on-chain). */
export const ATTESTATION_READERS: readonly Role[] = [...STAFF_ROLES, 'INVESTOR'];

/** The queue task that proves an attestation and submits it on-chain (attestation.jobs.ts). */
export const PROVE_ATTESTATION_TASK = 'deals:prove-attestation';

/** The statuses of an attestation that still holds its period: a new one for the period is refused. */
const HOLDS_PERIOD = [
  PoolAttestationStatus.REQUESTED,
  PoolAttestationStatus.PROVING,
  PoolAttestationStatus.SUBMITTING,
  PoolAttestationStatus.VERIFIED,
];

/** What an `attestation.submit` approval binds to: this deal's tape version. */
export function attestationPayload(
  dealId: string,
  tapeVersion: number,
): { dealId: string; tapeVersion: number } {
  return { dealId, tapeVersion };
}

/** No built circuit instance proves the pool; the message names the command that builds one. */
export class CircuitNotBuiltError extends DomainError {
  constructor(cause: InstanceNotBuiltError) {
    super('BAD_USER_INPUT', cause.message, { circuit: cause.instanceName, command: cause.command });
  }
}

/**
 * Each covenant of `thresholds` evaluated on a pool's metrics (as the circuit computes them): the
 * delinquent share and the weighted-average LTV in bps, rounded down (0 for an empty pool), and the
 * pool balance in minor units.
 */
export function covenantResults(metrics: PoolMetrics, thresholds: Covenants): StoredCovenantResult[] {
  const total = metrics.totalBalance;
  const bps = (part: bigint) => (total > 0n ? part / total : 0n);
  return [
    {
      covenant: Covenant.DELINQUENCY,
      value: bps(metrics.delinquentBalance * 10_000n).toString(),
      threshold: String(thresholds.maxDelinquencyBps),
      met: metrics.delinquencyOk,
    },
    {
      covenant: Covenant.WA_LTV,
      value: bps(metrics.weightedLtvSum).toString(),
      threshold: String(thresholds.maxWaLtvBps),
      met: metrics.waLtvOk,
    },
    {
      covenant: Covenant.MIN_BALANCE,
      value: total.toString(),
      threshold: thresholds.minBalance.toString(),
      met: metrics.minBalanceOk,
    },
  ];
}

/**
 * Pool attestations: a zero-knowledge proof, checked on-chain by PoolAttestationVerifier, that a loan
 * tape version anchored in DealRegistry meets the deal's covenants. Asking for one (gated by
 * `attestation.submit` and its approval) records it with the deal's covenants as thresholds and the
 * circuit instance that proves the pool, and queues the job that proves and submits it; nothing slow
 * runs in the request.
 */
export class PoolAttestationService extends TenantService {
  /**
   * Asks for an attestation of tape version `tapeVersion` of the deal: claims the approval
   * (`decision`), records the attestation (REQUESTED) with the deal's covenants, and queues
   * {@link PROVE_ATTESTATION_TASK}, in one transaction.
   *
   * @param instanceFor the built circuit instance that proves a pool (default: this machine's build)
   * @throws NotFoundError for an unknown deal or version; ValidationError when the version is not
   *   VALIDATED or not anchored on-chain; CircuitNotBuiltError (naming the build command) when no
   *   built instance proves a pool of its size; ConflictError when its period is already attested or
   *   being attested; APPROVAL_REQUIRED when the approval was used meanwhile.
   */
  async request(
    input: { dealId: string; tapeVersion: number },
    decision: GateDecision,
    instanceFor: typeof provingInstanceFor = provingInstanceFor,
  ): Promise<PoolAttestation> {
    if (!Number.isInteger(input.tapeVersion) || input.tapeVersion < 1)
      throw new ValidationError({ tapeVersion: 'a tape version: 1, 2, …' });
    return this.em.transactional(async (tx) => {
      const deal = await lockDeal(tx, this.tenantId, input.dealId);
      const tape = await tx.findOne(LoanTape, {
        tenantId: this.tenantId,
        dealId: deal.id,
        version: input.tapeVersion,
      });
      if (!tape) throw new NotFoundError('LoanTape', `${deal.id} version ${input.tapeVersion}`);
      if (tape.status !== TapeStatus.VALIDATED || tape.rowCount == null || tape.rootCapacity == null)
        throw new ValidationError({
          tapeVersion: `version ${tape.version} is ${tape.status}: only a VALIDATED tape is attested`,
        });
      if (tape.anchorStatus !== AnchorStatus.ANCHORED || tape.anchorChainId == null)
        throw new ValidationError({
          tapeVersion: `version ${tape.version} is not anchored on-chain (${tape.anchorStatus}${tape.anchorError ? `: ${tape.anchorError}` : ''}): the verifier checks the proof against the anchored root`,
        });
      let instance;
      try {
        instance = instanceFor(tape.rowCount, tape.rootCapacity);
      } catch (err) {
        if (err instanceof InstanceNotBuiltError) throw new CircuitNotBuiltError(err);
        throw err;
      }
      const holding = await tx.findOne(PoolAttestation, {
        tenantId: this.tenantId,
        dealId: deal.id,
        period: tape.period,
        status: { $in: HOLDS_PERIOD },
      });
      if (holding)
        throw new ConflictError(
          `period ${tape.period} of the deal already has an attestation (${holding.id}, tape version ${holding.tapeVersion}, ${holding.status}): PoolAttestationVerifier records one per deal and period`,
        );
      await claimChangeRequest(tx, decision);
      const attestation = tx.create(PoolAttestation, {
        tenantId: this.tenantId,
        dealId: deal.id,
        tapeId: tape.id,
        tapeVersion: tape.version,
        period: tape.period,
        loanCount: tape.rowCount,
        circuit: instance.name,
        capacity: instance.capacity,
        thresholds: storedCovenants(covenantsOf(deal.covenants)),
        chainId: tape.anchorChainId,
        changeRequestId: decision.changeRequest?.id ?? null,
        requestedBy: actorOf(this.principal),
      });
      await this.audit(tx, {
        action: 'attestation.requested',
        aggregateType: 'Deal',
        aggregateId: deal.id,
        payload: {
          attestationId: attestation.id,
          tapeId: tape.id,
          tapeVersion: tape.version,
          period: tape.period,
          circuit: instance.name,
          thresholds: attestation.thresholds,
          changeRequestId: attestation.changeRequestId,
        },
      });
      await tx.flush();
      await enqueueJob(
        tx,
        PROVE_ATTESTATION_TASK,
        { attestationId: attestation.id },
        { jobKey: `${PROVE_ATTESTATION_TASK}:${attestation.id}`, maxAttempts: 5 },
      );
      return attestation;
    });
  }

  get(id: string): Promise<PoolAttestation | null> {
    return this.findOwned(PoolAttestation, id);
  }

  /** The attestations of many deals, newest first (the Deal.attestations loader). */
  ofDeals(dealIds: readonly string[]): Promise<PoolAttestation[][]> {
    return this.findGrouped(PoolAttestation, 'dealId', dealIds, (a) => a.dealId, { createdAt: 'desc' });
  }
}
