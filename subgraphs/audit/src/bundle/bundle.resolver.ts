import { PageInput, PageOf, serviceFor, type Page, type SubgraphContext } from '@tranche/platform';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Deal } from '../deal/deal.entity.js';
import { AuditBundle } from './audit-bundle.entity.js';
import { ExportAuditBundleArgs } from './bundle.input.js';
import { bundleLoaders } from './bundle.loaders.js';
import { downloadUrlOf, toExportRequest } from './bundle.mapper.js';
import { BUNDLE_READERS, BundleService } from './bundle.service.js';

const AuditBundlePage = PageOf(AuditBundle);

@Resolver(() => AuditBundle)
export class BundleResolver {
  @Mutation(() => AuditBundle, {
    description:
      "Exports a deal's audit evidence over a period as a signed archive built by a job (AUDITOR, COMPLIANCE, ADMIN); follow it with auditBundle(id), download it from downloadUrl.",
  })
  exportAuditBundle(@Ctx() ctx: SubgraphContext, @Args() args: ExportAuditBundleArgs): Promise<AuditBundle> {
    return serviceFor(BundleService, ctx, BUNDLE_READERS).export(toExportRequest(args));
  }

  @Query(() => AuditBundle, { nullable: true, description: 'An audit bundle, with its progress.' })
  auditBundle(@Ctx() ctx: SubgraphContext, @Arg('id', () => ID) id: string): Promise<AuditBundle | null> {
    return serviceFor(BundleService, ctx, BUNDLE_READERS).get(id);
  }

  @Query(() => AuditBundlePage, { description: "The tenant's audit bundles (of one deal), newest first." })
  auditBundles(
    @Ctx() ctx: SubgraphContext,
    @Arg('dealId', () => ID, { nullable: true }) dealId?: string,
    @Arg('page', () => PageInput, { nullable: true }) page?: PageInput,
  ): Promise<Page<AuditBundle>> {
    return serviceFor(BundleService, ctx, BUNDLE_READERS).list({ dealId }, page);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'Path of the archive on the gateway (GET with the same bearer token), once READY: `/audit-bundles/<id>`.',
  })
  downloadUrl(@Root() bundle: AuditBundle): string | null {
    return downloadUrlOf(bundle);
  }
}

/** The bundles this subgraph adds to the deals subgraph's Deal. */
@Resolver(() => Deal)
export class DealAuditBundlesResolver {
  @FieldResolver(() => [AuditBundle], { description: 'Audit bundles exported for this deal, newest first.' })
  auditBundles(@Root() deal: Deal, @Ctx() ctx: SubgraphContext): Promise<AuditBundle[]> {
    return bundleLoaders(ctx).bundlesOfDeal.load(deal.id);
  }
}
