import { perRequest, serviceFor, type SubgraphContext } from '@tranche/platform';
import { ANCHOR_READERS, AnchorService } from './anchor.service.js';
import type { LedgerAnchor } from './ledger-anchor.entity.js';

/** The request's batched, tenant-scoped loaders of the anchor domain (audit readers only). */
export const anchorLoaders = perRequest((ctx: SubgraphContext) => {
  const service = serviceFor(AnchorService, ctx, ANCHOR_READERS);
  return {
    anchorsOfDeal: ctx.loaders.get<string, LedgerAnchor[]>('anchorsOfDeal', (ids) => service.ofDeals(ids)),
  };
});
