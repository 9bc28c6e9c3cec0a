import { perRequest, serviceFor, type SubgraphContext } from '@tranche/platform';
import type { DealDocument } from './deal-document.entity.js';
import { LIFECYCLE_READERS, LifecycleService } from './lifecycle.service.js';

/** The request's batched loaders of the lifecycle domain (staff only). */
export const lifecycleLoaders = perRequest((ctx: SubgraphContext) => {
  const service = serviceFor(LifecycleService, ctx, LIFECYCLE_READERS);
  return {
    documentsOfDeal: ctx.loaders.get<string, DealDocument[]>('documentsOfDeal', (ids) =>
      service.documentsOf(ids),
    ),
  };
});
