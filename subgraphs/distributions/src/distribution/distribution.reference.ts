import type { SubgraphContext } from '@tranche/platform';
import { distributionLoaders } from './distribution.loaders.js';

/** Federation references of the distribution domain: batched, tenant-scoped. */
export const distributionReferences = {
  Distribution: (ref: { id: string }, ctx: SubgraphContext) =>
    distributionLoaders(ctx).distribution.load(ref.id),
};
