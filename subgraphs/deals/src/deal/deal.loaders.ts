import { perRequest, serviceFor, type SubgraphContext } from '@tranche/platform';
import {
  DEAL_READERS,
  DealService,
  type DealRow,
  type StoredStructure,
  type TrancheRow,
} from './deal.service.js';

/**
 * The request's batched, tenant-scoped loaders for deals and their tranches: every key asked
 * for in one tick becomes one SQL statement, read as plain rows (nothing here is written back). Asking for them authorizes the caller as a reader.
 */
export const dealLoaders = perRequest((ctx: SubgraphContext) => {
  const service = serviceFor(DealService, ctx, DEAL_READERS);
  return {
    deal: ctx.loaders.get<string, DealRow | null>('deal', (ids) => service.getMany(ids)),
    tranche: ctx.loaders.get<string, TrancheRow | null>('tranche', (ids) => service.getTranches(ids)),
    tranchesOfDeal: ctx.loaders.get<string, TrancheRow[]>('tranchesOfDeal', (ids) =>
      service.trancheRowsOf(ids),
    ),
    structure: ctx.loaders.get<string, StoredStructure | null>('structure', (ids) =>
      service.structuresOf(ids),
    ),
  };
});
