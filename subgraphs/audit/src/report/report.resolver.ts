import {
  gatedService,
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
  Resolver,
  Root,
} from 'type-graphql';
import { Deal } from '../deal/deal.entity.js';
import { AuditReport } from './audit-report.entity.js';
import { AttestAuditReportInput } from './report.input.js';
import { REPORT_ATTESTERS, REPORT_READERS, ReportService, reportRegistryOf } from './report.service.js';

const AuditReportPage = PageOf(AuditReport);

@ObjectType({ description: 'The EIP-712 domain an auditor signs verification results for.' })
class AuditReportDomain {
  @Field({ description: 'Always "Tranche Audit Reports".' })
  name!: string;

  @Field({ description: 'Always "1".' })
  version!: string;

  @Field(() => Int)
  chainId!: number;

  @Field({ description: 'AuditReportRegistry, the verifying contract.' })
  verifyingContract!: string;
}

@Resolver(() => AuditReport)
export class ReportResolver {
  @Query(() => AuditReportDomain, {
    description: 'The EIP-712 domain auditors sign results for: the chain and its AuditReportRegistry.',
  })
  async auditReportDomain(@Ctx() ctx: SubgraphContext): Promise<AuditReportDomain> {
    serviceFor(ReportService, ctx, REPORT_READERS);
    const { chainId, registry } = await reportRegistryOf(ctx.config);
    return { name: 'Tranche Audit Reports', version: '1', chainId, verifyingContract: registry };
  }

  @Mutation(() => AuditReport, {
    description:
      "Submits an auditor's verification result signed with their wallet (EIP-712, AUDITOR): stored, recorded in the audit chain, and recorded on-chain in AuditReportRegistry by a job.",
  })
  async attestAuditReport(
    @Ctx() ctx: SubgraphContext,
    @Arg('input', () => AttestAuditReportInput) input: AttestAuditReportInput,
  ): Promise<AuditReport> {
    serviceFor(ReportService, ctx, REPORT_ATTESTERS);
    const registry = await reportRegistryOf(ctx.config);
    const { service } = await gatedService(ReportService, ctx, {
      capability: 'audit.report',
      dealId: input.dealId,
    });
    return service.attest(input, registry);
  }

  @Query(() => AuditReport, { nullable: true, description: "An auditor's recorded verification result." })
  auditReport(@Ctx() ctx: SubgraphContext, @Arg('id', () => ID) id: string): Promise<AuditReport | null> {
    return serviceFor(ReportService, ctx, REPORT_READERS).get(id);
  }

  @Query(() => AuditReportPage, {
    description: "Auditors' verification results (of one deal), newest first.",
  })
  auditReports(
    @Ctx() ctx: SubgraphContext,
    @Arg('dealId', () => ID, { nullable: true }) dealId?: string,
    @Arg('page', () => PageInput, { nullable: true }) page?: PageInput,
  ): Promise<Page<AuditReport>> {
    return serviceFor(ReportService, ctx, REPORT_READERS).list(dealId, page);
  }
}

/** The reports this subgraph adds to the deals subgraph's Deal. */
@Resolver(() => Deal)
export class DealAuditReportsResolver {
  @FieldResolver(() => [AuditReport], {
    description: "Auditors' verification results for this deal, newest first.",
  })
  auditReports(@Root() deal: Deal, @Ctx() ctx: SubgraphContext): Promise<AuditReport[]> {
    const service = serviceFor(ReportService, ctx, REPORT_READERS);
    return ctx.loaders
      .get<string, AuditReport[]>('reportsOfDeal', (ids) => service.ofDeals(ids))
      .load(deal.id);
  }
}
