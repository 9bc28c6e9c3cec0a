import { perRequest, serviceFor, type SubgraphContext } from '@tranche/platform';
import type { IssuanceTransaction } from './issuance-transaction.entity.js';
import type { Issuance } from './issuance.entity.js';
import { ISSUANCE_READERS, IssuanceService } from './issuance.service.js';
import type { TrancheToken } from './tranche-token.entity.js';

/** The request's batched loaders of the issuance domain. */
export const issuanceLoaders = perRequest((ctx: SubgraphContext) => {
  const service = serviceFor(IssuanceService, ctx, ISSUANCE_READERS);
  return {
    issuanceOfDeal: ctx.loaders.get<string, Issuance | null>('issuanceOfDeal', (ids) => service.ofDeals(ids)),
    tokensOfIssuance: ctx.loaders.get<string, TrancheToken[]>('tokensOfIssuance', (ids) =>
      service.tokensOf(ids),
    ),
    transactionsOfIssuance: ctx.loaders.get<string, IssuanceTransaction[]>('transactionsOfIssuance', (ids) =>
      service.transactionsOf(ids),
    ),
  };
});
