import type { SubgraphContext } from '@tranche/platform';
import { governanceLoaders } from './governance.loaders.js';

/** Federation references of the governance domain: batched, tenant-scoped, staff only. */
export const governanceReferences = {
  ChangeRequest: (ref: { id: string }, ctx: SubgraphContext) =>
    governanceLoaders(ctx).changeRequest.load(ref.id),
};
