import { perRequest, serviceFor, type SubgraphContext } from '@tranche/platform';
import { HOLDING_READERS, HoldingService, type HoldingRecord } from './holding.service.js';

/** The request's batched loaders of holdings (staff). */
export const holdingLoaders = perRequest((ctx: SubgraphContext) => {
  const service = serviceFor(HoldingService, ctx, HOLDING_READERS);
  return {
    capTable: ctx.loaders.get<string, HoldingRecord[]>('capTable', (ids) => service.capTables(ids)),
    holdingsOfInvestor: ctx.loaders.get<string, HoldingRecord[]>('holdingsOfInvestor', (ids) =>
      service.ofInvestors(ids),
    ),
  };
});
