import { requireRole, STAFF_ROLES, type SubgraphContext } from '@tranche/platform';
import type { Investor } from './investor.entity.js';
import { InvestorService } from './investor.service.js';

export const investorReferences = {
  Investor: (ref: { id: string }, ctx: SubgraphContext) => {
    const service = new InvestorService(ctx.em, requireRole(ctx, ...STAFF_ROLES), ctx.requestId);
    return ctx.loaders.get<string, Investor | null>('investor', (ids) => service.getMany(ids)).load(ref.id);
  },
};
