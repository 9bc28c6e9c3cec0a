import { serviceFor, type SubgraphContext } from '@tranche/platform';
import type { Deal } from './deal.entity.js';
import { DEAL_READERS, DealService, type StoredStructure } from './deal.service.js';
import type { Tranche } from './tranche.entity.js';

/**
 * The request's batched, tenant-scoped loaders for deals and their tranches: every key asked
 * for in one tick becomes one SQL statement. Asking for them authorizes the caller as a reader.
 */
export function dealLoaders(ctx: SubgraphContext) {
  const service = serviceFor(DealService, ctx, DEAL_READERS);
  return {
    deal: ctx.loaders.get<string, Deal | null>('deal', (ids) => service.getMany(ids)),
    tranche: ctx.loaders.get<string, Tranche | null>('tranche', (ids) => service.getTranches(ids)),
    tranchesOfDeal: ctx.loaders.get<string, Tranche[]>('tranchesOfDeal', (ids) => service.tranchesOf(ids)),
    structure: ctx.loaders.get<string, StoredStructure | null>('structure', (ids) =>
      service.structuresOf(ids),
    ),
  };
}
