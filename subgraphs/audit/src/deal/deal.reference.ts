import { requireRole, type SubgraphContext } from '@tranche/platform';
import { Deal } from './deal.entity.js';

/**
 * The deal is resolved (and tenant-checked) by the deals subgraph; here a reference is only a
 * key for the fields this subgraph adds, which check the tenant themselves.
 */
export const dealReferences = {
  Deal: (ref: { id: string }, ctx: SubgraphContext) => {
    requireRole(ctx);
    return Object.assign(new Deal(), { id: ref.id });
  },
};
