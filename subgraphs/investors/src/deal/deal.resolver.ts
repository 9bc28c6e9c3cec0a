import { requireRole, STAFF_ROLES, type SubgraphContext } from '@tranche/platform';
import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { InvestorService } from '../investor/investor.service.js';
import { Deal } from './deal.entity.js';

@Resolver(() => Deal)
export class DealInvestorsResolver {
  @FieldResolver(() => Int, { description: "Investors of the caller's tenant interested in the deal." })
  async investorCount(@Root() deal: Deal, @Ctx() ctx: SubgraphContext): Promise<number> {
    const service = new InvestorService(ctx.em, requireRole(ctx, ...STAFF_ROLES, 'INVESTOR'), ctx.requestId);
    return ctx.loaders.get<string, number>('investorCount', (ids) => service.countByDeal(ids)).load(deal.id);
  }
}

export const dealReferences = {
  // The deal itself is resolved (and tenant-checked) by the deals subgraph; here it is a key.
  Deal: (ref: { id: string }, ctx: SubgraphContext) => {
    requireRole(ctx);
    return Object.assign(new Deal(), { id: ref.id });
  },
};
