import { perRequest, serviceFor, type SubgraphContext } from '@tranche/platform';
import type { Distribution } from './distribution.entity.js';
import { DISTRIBUTION_READERS, DistributionService, type DistributionRow } from './distribution.service.js';

/** The request's batched, tenant-scoped loaders of the distribution domain (readers only). */
export const distributionLoaders = perRequest((ctx: SubgraphContext) => {
  const service = serviceFor(DistributionService, ctx, DISTRIBUTION_READERS);
  return {
    distribution: ctx.loaders.get<string, Distribution | null>('distribution', (ids) => service.getMany(ids)),
    distributionsOfTranche: ctx.loaders.get<string, DistributionRow[]>('distributionsOfTranche', (ids) =>
      service.ofTranches(ids),
    ),
  };
});
