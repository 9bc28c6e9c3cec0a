import { perRequest, serviceFor, type SubgraphContext } from '@tranche/platform';
import type { AuditBundle } from './audit-bundle.entity.js';
import { BUNDLE_READERS, BundleService } from './bundle.service.js';

/** The request's batched, tenant-scoped loaders of the bundle domain (audit readers only). */
export const bundleLoaders = perRequest((ctx: SubgraphContext) => {
  const service = serviceFor(BundleService, ctx, BUNDLE_READERS);
  return {
    bundlesOfDeal: ctx.loaders.get<string, AuditBundle[]>('bundlesOfDeal', (ids) => service.ofDeals(ids)),
  };
});
