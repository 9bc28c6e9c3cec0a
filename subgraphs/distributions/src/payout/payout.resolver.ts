import { join } from 'node:path';
import {
  gatedService,
  NotFoundError,
  ValidationError,
  PageInput,
  PageOf,
  serviceFor,
  type Page,
  type SubgraphContext,
} from '@tranche/platform';
import {
  Arg,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  registerEnumType,
  Resolver,
  Root,
} from 'type-graphql';
import { PayoutStatus, ServicerReport, TranchePayout } from './payout.entity.js';
import { executionPayload, PAYOUT_READERS, PayoutService, totalsOf } from './payout.service.js';
import { FileDropConnector } from './report-format.js';

const ServicerReportPage = PageOf(ServicerReport);
const MAX_REPORT_CHARS = 64 * 1024;

export enum ServicerReportFormat {
  JSON = 'JSON',
  CSV = 'CSV',
}
registerEnumType(ServicerReportFormat, { name: 'ServicerReportFormat' });

@ObjectType({ description: 'The plan’s approval card for a distribution.' })
export class DistributionTotals {
  @Field({ description: 'Interest and principal collected (deal currency, major units).' })
  grossCollections!: string;

  @Field({ description: 'Fees and expenses paid ahead of the notes.' })
  feesAndExpenses!: string;

  @Field({ description: 'Paid to the tranches’ holders.' })
  netDistributable!: string;

  @Field(() => Int)
  recipients!: number;
}

@ObjectType({ description: 'A distribution previewed at a record block, ready for approval.' })
export class DistributionPreview {
  @Field(() => ServicerReport)
  report!: ServicerReport;

  @Field(() => [TranchePayout])
  payouts!: TranchePayout[];

  @Field(() => DistributionTotals)
  totals!: DistributionTotals;

  @Field({
    description:
      'How amounts are rounded: each holder gets floor(class cash × balance / supply) in stablecoin units (6 decimals); the remainder stays with the treasury.',
  })
  roundingRule!: string;

  @Field({ description: 'The payload a distribution.execute change request must carry (JSON).' })
  executionPayload!: string;
}

const ROUNDING =
  'each holder gets floor(class cash × balance at the record block / supply), in stablecoin units (6 decimals); the remainder stays with the treasury';

@Resolver(() => ServicerReport)
export class PayoutResolver {
  @Mutation(() => ServicerReport, {
    description:
      'Validates a servicer’s monthly report (JSON: collections, pool roll-forward, delinquencies) and runs it through the deal’s waterfall; faults are named by field and nothing is stored (SERVICER, ADMIN; gated by distribution.create).',
  })
  async submitServicerReport(
    @Ctx() ctx: SubgraphContext,
    @Arg('dealId', () => ID) dealId: string,
    @Arg('report') report: string,
    @Arg('format', () => ServicerReportFormat, {
      nullable: true,
      description:
        'JSON (default) or CSV: one header row (snake_case or camelCase field names, index_<NAME> for fixings) and one data row.',
    })
    format?: ServicerReportFormat | null,
  ): Promise<ServicerReport> {
    if (report.length > MAX_REPORT_CHARS)
      throw new ValidationError({ report: `at most ${MAX_REPORT_CHARS} characters` });
    const { service } = await gatedService(PayoutService, ctx, { capability: 'distribution.create', dealId });
    return service.submit(dealId, report, format ?? ServicerReportFormat.JSON);
  }

  @Mutation(() => ServicerReport, {
    description:
      'Pulls the deal’s report for `period` from the servicer connector (the plan’s oracle data source; locally a file drop in SERVICER_REPORT_DIR) and submits it as submitServicerReport does (SERVICER, ADMIN; gated by distribution.create).',
  })
  async pullServicerReport(
    @Ctx() ctx: SubgraphContext,
    @Arg('dealId', () => ID) dealId: string,
    @Arg('period', () => Int) period: number,
  ): Promise<ServicerReport> {
    const { service } = await gatedService(PayoutService, ctx, { capability: 'distribution.create', dealId });
    const connector = new FileDropConnector(
      ctx.config.SERVICER_REPORT_DIR ?? join(ctx.config.DATA_DIR, 'servicer-reports'),
    );
    const delivered = await connector.fetch(dealId, period);
    if (!delivered)
      throw new NotFoundError('ServicerReport', `${dealId} period ${period} (${connector.name})`);
    return service.submit(dealId, delivered.text, delivered.format, `connector:${connector.name}`);
  }

  @Mutation(() => DistributionPreview, {
    description:
      'The plan’s POST /web3/deals/{id}/payouts/preview: the holders of each tranche token at the record block (default the latest) and what each is paid, with the approval card’s totals; makes the distribution PENDING (SERVICER, ADMIN; gated by distribution.create).',
  })
  async previewDistribution(
    @Ctx() ctx: SubgraphContext,
    @Arg('dealId', () => ID) dealId: string,
    @Arg('period', () => Int) period: number,
    @Arg('recordBlock', () => Int, { nullable: true }) recordBlock?: number | null,
  ): Promise<DistributionPreview> {
    const { service } = await gatedService(PayoutService, ctx, { capability: 'distribution.create', dealId });
    const open = (await service.list(dealId, { limit: 100 })).items.find(
      (r) => r.period === period && [PayoutStatus.PROPOSED, PayoutStatus.PENDING].includes(r.status),
    );
    if (!open) throw new NotFoundError('ServicerReport', `${dealId} period ${period}`);
    const { report, payouts, totals } = await service.preview(open.id, ctx.config, recordBlock);
    return {
      report,
      payouts,
      totals,
      roundingRule: ROUNDING,
      executionPayload: JSON.stringify(executionPayload(report, payouts)),
    };
  }

  @Mutation(() => ServicerReport, {
    description:
      'The plan’s POST /web3/deals/{id}/payouts/execute: with the approved distribution.execute change request for the previewed payouts, queues the job that funds the escrow, publishes the Merkle root with the oracles’ signatures, pushes the claims and reconciles (SERVICER, ADMIN; gated).',
  })
  async executeDistribution(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID) id: string,
    @Arg('changeRequestId', () => ID, { nullable: true }) changeRequestId?: string | null,
  ): Promise<ServicerReport> {
    const reader = serviceFor(PayoutService, ctx, PAYOUT_READERS);
    const report = await reader.get(id);
    if (!report) throw new NotFoundError('ServicerReport', id);
    const payouts = await reader.payouts(report.id);
    const { service, decision } = await gatedService(PayoutService, ctx, {
      capability: 'distribution.execute',
      dealId: report.dealId,
      changeRequestId: changeRequestId ?? null,
      payload: executionPayload(report, payouts),
      amount: payouts.reduce((s, p) => s + p.classCash, 0n),
    });
    return service.execute(id, decision);
  }

  @Mutation(() => ServicerReport, {
    description:
      'Reconciles an executed distribution against the chain again: holder by holder and in total (SERVICER, COMPLIANCE, AUDITOR, ADMIN).',
  })
  reconcileDistribution(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID) id: string,
  ): Promise<ServicerReport> {
    return serviceFor(PayoutService, ctx, ['SERVICER', 'COMPLIANCE', 'AUDITOR', 'ADMIN']).reconcileNow(
      id,
      ctx.config,
    );
  }

  @Query(() => ServicerReportPage, {
    description: 'Servicer reports and their distributions, newest first (staff).',
  })
  servicerReports(
    @Ctx() ctx: SubgraphContext,
    @Arg('dealId', () => ID, { nullable: true }) dealId?: string | null,
    @Arg('page', () => PageInput, { nullable: true }) page?: PageInput,
  ): Promise<Page<ServicerReport>> {
    return serviceFor(PayoutService, ctx, PAYOUT_READERS).list(dealId, page);
  }

  @Query(() => ServicerReport, { nullable: true })
  servicerReport(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID) id: string,
  ): Promise<ServicerReport | null> {
    return serviceFor(PayoutService, ctx, PAYOUT_READERS).get(id);
  }

  @FieldResolver(() => [TranchePayout], { description: 'Each tranche’s payout (after a preview).' })
  payouts(@Root() report: ServicerReport, @Ctx() ctx: SubgraphContext): Promise<TranchePayout[]> {
    return serviceFor(PayoutService, ctx, PAYOUT_READERS).payouts(report.id);
  }

  @FieldResolver(() => DistributionTotals, {
    nullable: true,
    description: 'The approval card (after a preview).',
  })
  async totals(
    @Root() report: ServicerReport,
    @Ctx() ctx: SubgraphContext,
  ): Promise<DistributionTotals | null> {
    const payouts = await serviceFor(PayoutService, ctx, PAYOUT_READERS).payouts(report.id);
    return payouts.length ? totalsOf(report, payouts) : null;
  }
}
