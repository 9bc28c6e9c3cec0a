import { requireRole, type SubgraphContext } from '@tranche/platform';
import { Deal } from './deal.entity.js';

/**
 * The deal is resolved and tenant-checked by the deals subgraph; the representation carries the
 * structure documents this subgraph `@requires` for projections.
 */
export const dealReferences = {
  Deal: (
    ref: { id: string; waterfallRules?: string | null; collateral?: string | null },
    ctx: SubgraphContext,
  ) => {
    requireRole(ctx);
    return Object.assign(new Deal(), {
      id: ref.id,
      waterfallRules: ref.waterfallRules,
      collateral: ref.collateral,
    });
  },
};
