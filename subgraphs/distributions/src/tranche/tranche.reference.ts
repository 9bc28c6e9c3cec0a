import { requireRole, type SubgraphContext } from '@tranche/platform';
import { Tranche } from './tranche.entity.js';

/**
 * The tranche is resolved and tenant-checked by the deals subgraph; here a reference is only a
 * key for the fields this subgraph adds, which check the tenant themselves.
 */
export const trancheReferences = {
  Tranche: (ref: { id: string }, ctx: SubgraphContext) => {
    requireRole(ctx);
    return Object.assign(new Tranche(), { id: ref.id });
  },
};
