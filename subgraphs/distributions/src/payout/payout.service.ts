import { createHash } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import { chainDirectoryOf, type IdempotencyStore } from '@tranche/chain';
import { ConservationError, EngineInputError, parseWaterfallRules } from '@tranche/engine';
import {
  actorOf,
  canonicalJson,
  claimChangeRequest,
  ConflictError,
  enqueueJob,
  NotFoundError,
  ServiceUnavailableError,
  STAFF_ROLES,
  TenantService,
  TOPOLOGY,
  ValidationError,
  isUuid,
  type Config,
  type GateDecision,
  type Page,
  type PageRequest,
  type Role,
} from '@tranche/platform';
import { DealWaterfallState, PayoutStatus, ServicerReport, TranchePayout } from './payout.entity.js';
import {
  distributionIdOf,
  ENGINE_VERSION,
  inputSha256,
  runPeriod,
  trancheTree,
  type RunInputs,
} from './payout.math.js';
import { holdersAt } from './payout.oracle.js';
import { reportJson, type ReportFormat } from './report-format.js';
import { reconcile, reconciliationEvidence } from './payout.reconcile.js';

/** Who reads servicer reports and distributions: staff. */
export const PAYOUT_READERS: readonly Role[] = STAFF_ROLES;
/** The queue task that executes an approved distribution. */
export const EXECUTE_TASK = 'distributions:execute';
/** A report blocks the next period until it is one of these. */
const CLOSED = [PayoutStatus.RECONCILED, PayoutStatus.CANCELLED];

const DEALS = TOPOLOGY.subgraphs.deals.dbSchema;

interface PublishedDeal {
  deal_id: string;
  status: string;
  chain_id: number | null;
  waterfall_rules: string | null;
}
interface PublishedTranche {
  tranche_id: string;
  name: string;
  token_address: string | null;
  token_block: number | null;
  chain_id: number | null;
}

/** A store that refuses to send: previews only read the chain. */
const READ_ONLY_STORE: IdempotencyStore = {
  get: () => Promise.resolve(undefined),
  create: () => Promise.reject(new Error('a preview sends nothing')),
  update: () => Promise.reject(new Error('a preview sends nothing')),
};

/** What the approval of a distribution binds to: the exact payouts at the record block. */
export function executionPayload(report: ServicerReport, payouts: TranchePayout[]) {
  return {
    reportId: report.id,
    dealId: report.dealId,
    period: report.period,
    inputSha256: report.inputSha256,
    recordBlock: report.recordBlock,
    tranches: [...payouts]
      .sort((a, b) => a.trancheId.localeCompare(b.trancheId))
      .map((p) => ({ trancheId: p.trancheId, merkleRoot: p.merkleRoot, total: p.total.toString() })),
  };
}

/** The totals of the plan's approval card. */
export interface PreviewTotals {
  grossCollections: string;
  feesAndExpenses: string;
  netDistributable: string;
  recipients: number;
}

/**
 * The monthly distribution: a servicer report is validated and run through the deal's waterfall
 * (from the state its last executed period left), previewed against the holders at a record block,
 * executed by a job once an approved `distribution.execute` change request and the gate allow it,
 * and reconciled against the chain.
 */
export class PayoutService extends TenantService {
  private async publishedDeal(dealId: string): Promise<PublishedDeal | null> {
    if (!isUuid(dealId)) return null;
    const [row] = await this.em.execute<PublishedDeal[]>(
      `select deal_id, status, chain_id, waterfall_rules from "${DEALS}".published_deal where deal_id = ? and tenant_id = ?`,
      [dealId, this.tenantId],
    );
    return row ?? null;
  }

  private tranches(dealId: string): Promise<PublishedTranche[]> {
    return this.em.execute<PublishedTranche[]>(
      `select tranche_id, name, token_address, token_block, chain_id from "${DEALS}".published_tranche
        where deal_id = ? and tenant_id = ? order by seniority`,
      [dealId, this.tenantId],
    );
  }

  /** The run inputs of a report (the rules as published now, the state its period starts from). */
  async inputsOf(report: Pick<ServicerReport, 'dealId' | 'report'>): Promise<RunInputs> {
    const deal = await this.publishedDeal(report.dealId);
    const state = await this.em.findOne(DealWaterfallState, {
      dealId: report.dealId,
      tenantId: this.tenantId,
    });
    return { rules: deal?.waterfall_rules ?? '{}', state: state?.state ?? null, report: report.report };
  }

  list(dealId?: string | null, page?: PageRequest | null): Promise<Page<ServicerReport>> {
    return this.findPage(ServicerReport, dealId ? { dealId } : {}, { createdAt: 'desc' }, page);
  }

  get(id: string): Promise<ServicerReport | null> {
    return this.findOwned(ServicerReport, id);
  }

  payouts(reportId: string): Promise<TranchePayout[]> {
    return this.em.find(
      TranchePayout,
      { reportId, tenantId: this.tenantId },
      { orderBy: { classId: 'asc' } },
    );
  }

  /**
   * Validates a servicer report and runs it through the deal's waterfall. The report must be the
   * deal's next period and roll its pool balance forward; any fault is named by field and nothing
   * is stored. A report not yet approved for the same deal is replaced (CANCELLED); one approved
   * and not reconciled blocks the next period.
   *
   * @throws NotFoundError; ValidationError naming each fault; ConflictError while a period is open.
   */
  async submit(
    dealId: string,
    text: string,
    format: ReportFormat = 'JSON',
    source = 'upload',
  ): Promise<ServicerReport> {
    const deal = await this.publishedDeal(dealId);
    if (!deal) throw new NotFoundError('Deal', dealId);
    if (!deal.waterfall_rules)
      throw new ValidationError({ dealId: 'the deal has no waterfall rules (setDealStructure)' });
    if (!['DEPLOYED', 'ACTIVE'].includes(deal.status))
      throw new ValidationError({
        dealId: `the deal is ${deal.status}: distributions start once its tokens are deployed`,
      });
    const report = canonicalJson(JSON.parse(reportJson(text, format)) as unknown);
    return this.em.transactional(async (tx) => {
      await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`payout:${dealId}`]);
      const open = await tx.find(ServicerReport, {
        dealId,
        tenantId: this.tenantId,
        status: { $nin: CLOSED },
      });
      const blocking = open.find((r) => ![PayoutStatus.PROPOSED, PayoutStatus.PENDING].includes(r.status));
      if (blocking)
        throw new ConflictError(
          `period ${blocking.period} is ${blocking.status}: it must be reconciled before the next report`,
        );
      const state = await tx.findOne(DealWaterfallState, { dealId, tenantId: this.tenantId });
      const inputs: RunInputs = { rules: deal.waterfall_rules!, state: state?.state ?? null, report };
      let run;
      try {
        run = runPeriod(inputs);
      } catch (err) {
        if (err instanceof EngineInputError)
          throw new ValidationError(Object.fromEntries(err.issues.map((i) => [i.path, i.message])));
        if (err instanceof ConservationError) throw new ValidationError({ report: err.message });
        throw err;
      }
      for (const old of open) {
        old.status = PayoutStatus.CANCELLED;
        old.error = 'replaced by a corrected report';
      }
      const row = tx.create(ServicerReport, {
        tenantId: this.tenantId,
        dealId,
        period: run.summary.period,
        report,
        reportSha256: createHash('sha256').update(text).digest('hex'),
        inputSha256: inputSha256(inputs),
        engineVersion: ENGINE_VERSION,
        summary: JSON.stringify(run.summaryJson),
        classes: JSON.stringify(run.classesJson),
        nextState: JSON.stringify(run.nextJson),
        submittedBy: actorOf(this.principal),
      });
      await this.audit(tx, {
        action: 'distribution.report_submitted',
        aggregateType: 'ServicerReport',
        aggregateId: row.id,
        payload: {
          dealId,
          period: row.period,
          reportSha256: row.reportSha256,
          inputSha256: row.inputSha256,
          engineVersion: ENGINE_VERSION,
          format,
          source,
          replaced: open.map((o) => o.id),
        },
      });
      return row;
    });
  }

  /**
   * The payouts of a report at a record block (default: the chain's latest block): each deployed
   * tranche's cash from the run, in stablecoin units, split pro rata among the token's holders at
   * that block (each rounded down; the remainder stays with the treasury). Stores them (replacing an
   * earlier preview) and makes the report PENDING: the approval is asked for these exact payouts.
   *
   * @throws NotFoundError; ConflictError unless PROPOSED or PENDING; ServiceUnavailableError when
   *   the chain cannot be read.
   */
  async preview(
    reportId: string,
    config: Config,
    recordBlock?: number | null,
  ): Promise<{ report: ServicerReport; payouts: TranchePayout[]; totals: PreviewTotals }> {
    const report = await this.get(reportId);
    if (!report) throw new NotFoundError('ServicerReport', reportId);
    if (![PayoutStatus.PROPOSED, PayoutStatus.PENDING].includes(report.status))
      throw new ConflictError(`the distribution is ${report.status}`);
    const deal = await this.publishedDeal(report.dealId);
    const inputs = await this.inputsOf(report);
    const run = runPeriod(inputs);
    const digits = parseWaterfallRules(inputs.rules).currency.minorDigits;
    const tranches = (await this.tranches(report.dealId)).filter(
      (t) => t.token_address && t.chain_id != null,
    );
    if (!tranches.length || deal?.chain_id == null)
      throw new ConflictError('the deal has no deployed tokens');
    const directory = chainDirectoryOf(config, READ_ONLY_STORE);
    let computed;
    try {
      const chain = await directory.connect(deal.chain_id);
      const head = await chain.provider.getBlockNumber();
      const block = recordBlock ?? head;
      if (block > head || block < 0)
        throw new ValidationError({ recordBlock: `must be at most the chain's head (${head})` });
      computed = await Promise.all(
        tranches.map(async (t) => ({
          tranche: t,
          tree: trancheTree(
            run,
            t.name,
            digits,
            await holdersAt(chain.provider, t.token_address!, t.token_block ?? 0, block),
          ),
          block,
        })),
      );
    } catch (err) {
      if (err instanceof ValidationError) throw err;
      throw new ServiceUnavailableError(`the chain could not be read: ${(err as Error).message}`, {
        reason: 'chain',
      });
    } finally {
      await directory.close();
    }
    const deadline = new Date(Date.now() + config.DISTRIBUTION_CLAIM_DAYS * 86_400_000);
    return this.em.transactional(async (tx) => {
      const row = await tx.findOneOrFail(
        ServicerReport,
        { id: report.id },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (![PayoutStatus.PROPOSED, PayoutStatus.PENDING].includes(row.status))
        throw new ConflictError(`the distribution is ${row.status}`);
      await tx.nativeDelete(TranchePayout, { reportId: row.id });
      const payouts = computed.map(({ tranche, tree }) =>
        tx.create(TranchePayout, {
          tenantId: this.tenantId,
          reportId: row.id,
          trancheId: tranche.tranche_id,
          classId: tranche.name,
          token: tranche.token_address!,
          chainId: tranche.chain_id!,
          distributionId: distributionIdOf(row.id, tranche.tranche_id),
          classCash: tree.classCash,
          total: tree.tree.total,
          remainder: tree.remainder,
          merkleRoot: tree.tree.root,
          leaves: tree.payouts.map(
            (p, index) => [index, p.account, p.amount.toString()] as [number, string, string],
          ),
          recipients: tree.payouts.filter((p) => p.amount > 0n).length,
          claimDeadline: deadline,
          fromBlock: tranche.token_block ?? 0,
        }),
      );
      row.recordBlock = computed[0]!.block;
      row.status = PayoutStatus.PENDING;
      await this.audit(tx, {
        action: 'distribution.previewed',
        aggregateType: 'ServicerReport',
        aggregateId: row.id,
        payload: executionPayload(row, payouts),
      });
      return { report: row, payouts, totals: totalsOf(row, payouts) };
    });
  }

  /**
   * Reconciles an executed distribution again, against the chain as it is now (e.g. to check the
   * records were not altered since): RECONCILED when every holder's payment ties, EXECUTED with the
   * differences otherwise (which blocks the next period).
   *
   * @throws NotFoundError; ConflictError unless EXECUTED or RECONCILED.
   */
  async reconcileNow(reportId: string, config: Config): Promise<ServicerReport> {
    const report = await this.get(reportId);
    if (!report) throw new NotFoundError('ServicerReport', reportId);
    if (![PayoutStatus.EXECUTED, PayoutStatus.RECONCILED].includes(report.status))
      throw new ConflictError(`the distribution is ${report.status}: only an executed one reconciles`);
    const payouts = (await this.payouts(report.id)).filter((p) => p.total > 0n);
    if (!payouts.length) return report;
    const directory = chainDirectoryOf(config, READ_ONLY_STORE);
    try {
      const chain = await directory.connect(payouts[0]!.chainId);
      const result = await reconcile(chain, payouts);
      return await this.em.transactional(async (tx) => {
        const row = await tx.findOneOrFail(
          ServicerReport,
          { id: report.id },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        row.status = result.ties ? PayoutStatus.RECONCILED : PayoutStatus.EXECUTED;
        row.reconciliation = JSON.stringify(result);
        await this.audit(tx, {
          action: result.ties ? 'distribution.reconciled' : 'distribution.reconciliation_differs',
          aggregateType: 'ServicerReport',
          aggregateId: row.id,
          payload: { ...reconciliationEvidence(chain, row, payouts, result) },
        });
        return row;
      });
    } catch (err) {
      if (err instanceof ConflictError) throw err;
      throw new ServiceUnavailableError(`the chain could not be read: ${(err as Error).message}`, {
        reason: 'chain',
      });
    } finally {
      await directory.close();
    }
  }

  /**
   * Executes a PENDING distribution: claims the approval the gate checked (bound to
   * {@link executionPayload}) and queues the job that funds, publishes and pays.
   *
   * @throws NotFoundError; ConflictError unless PENDING.
   */
  async execute(reportId: string, decision: GateDecision): Promise<ServicerReport> {
    return this.em.transactional(async (tx) => {
      const report = isUuid(reportId)
        ? await tx.findOne(
            ServicerReport,
            { id: reportId, tenantId: this.tenantId },
            { lockMode: LockMode.PESSIMISTIC_WRITE },
          )
        : null;
      if (!report) throw new NotFoundError('ServicerReport', reportId);
      if (report.status !== PayoutStatus.PENDING)
        throw new ConflictError(`the distribution is ${report.status}`);
      await claimChangeRequest(tx, decision);
      report.status = PayoutStatus.APPROVED;
      report.changeRequestId = decision.changeRequest?.id ?? null;
      report.error = null;
      await this.audit(tx, {
        action: 'distribution.execution_requested',
        aggregateType: 'ServicerReport',
        aggregateId: report.id,
        payload: { changeRequestId: report.changeRequestId },
      });
      await tx.flush();
      await enqueueJob(tx, EXECUTE_TASK, { reportId: report.id }, { jobKey: `${EXECUTE_TASK}:${report.id}` });
      return report;
    });
  }
}

/** The plan's approval card: gross collections, fees and expenses, net distributable, recipients. */
export function totalsOf(report: ServicerReport, payouts: TranchePayout[]): PreviewTotals {
  const summary = JSON.parse(report.summary) as {
    pool: { interest: string; scheduledPrincipal: string; prepayments: string; recoveries: string };
    feesPaid: Record<string, string>;
  };
  const cents = (v: string) => BigInt(v.replace('.', '').replace(/^0+(?=\d)/, '') || '0');
  const digits = (summary.pool.interest.split('.')[1] ?? '').length;
  const gross =
    cents(summary.pool.interest) +
    cents(summary.pool.scheduledPrincipal) +
    cents(summary.pool.prepayments) +
    cents(summary.pool.recoveries);
  const fees = Object.values(summary.feesPaid).reduce((s, v) => s + cents(v), 0n);
  const net = payouts.reduce((s, p) => s + p.classCash, 0n);
  const fmt = (v: bigint) => {
    if (!digits) return v.toString();
    const t = v.toString().padStart(digits + 1, '0');
    return `${t.slice(0, -digits)}.${t.slice(-digits)}`;
  };
  return {
    grossCollections: fmt(gross),
    feesAndExpenses: fmt(fees),
    netDistributable: fmt(net),
    recipients: new Set(payouts.flatMap((p) => p.leaves.filter((l) => l[2] !== '0').map((l) => l[1]))).size,
  };
}
