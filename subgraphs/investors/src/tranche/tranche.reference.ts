import { requireRole, type SubgraphContext } from '@tranche/platform';
import { Tranche } from './tranche.entity.js';

/** A tranche is resolved by the deals subgraph; here a reference is only a key for `capTable`. */
export const trancheReferences = {
  Tranche: (ref: { id: string }, ctx: SubgraphContext) => {
    requireRole(ctx);
    return Object.assign(new Tranche(), { id: ref.id });
  },
};
