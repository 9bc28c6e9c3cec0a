import type { SubgraphContext } from '@tranche/platform';
import { investorLoaders } from './investor.loaders.js';

/** Federation references of the investor domain: batched, tenant-scoped, staff only. */
export const investorReferences = {
  Investor: (ref: { id: string }, ctx: SubgraphContext) => investorLoaders.investor(ctx).load(ref.id),
};
