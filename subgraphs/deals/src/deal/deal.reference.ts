import type { SubgraphContext } from '@tranche/platform';
import { dealLoaders } from './deal.loaders.js';

/** Federation references of the deal domain: batched per request, tenant-scoped (another tenant's id → null). */
export const dealReferences = {
  Deal: (ref: { id: string }, ctx: SubgraphContext) => dealLoaders(ctx).deal.load(ref.id),
  Tranche: (ref: { id: string }, ctx: SubgraphContext) => dealLoaders(ctx).tranche.load(ref.id),
};
