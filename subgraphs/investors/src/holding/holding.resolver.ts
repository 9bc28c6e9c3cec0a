import type { SubgraphContext } from '@tranche/platform';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Investor } from '../investor/investor.entity.js';
import { Tranche } from '../tranche/tranche.entity.js';
import { holdingLoaders } from './holding.loaders.js';
import { Holding } from './holding.types.js';

/** The cap table this subgraph adds to the deals subgraph's Tranche. */
@Resolver(() => Tranche)
export class TrancheCapTableResolver {
  @FieldResolver(() => [Holding], {
    description: 'Who holds the tranche’s token, from the chain: non-zero balances, largest first (staff).',
  })
  capTable(@Root() tranche: Tranche, @Ctx() ctx: SubgraphContext): Promise<Holding[]> {
    return holdingLoaders(ctx).capTable.load(tranche.id);
  }
}

/** An investor's holdings, by their proven wallet. */
@Resolver(() => Investor)
export class InvestorHoldingsResolver {
  @FieldResolver(() => [Holding], { description: 'Tranche tokens held by the investor’s wallet (staff).' })
  holdings(@Root() investor: Investor, @Ctx() ctx: SubgraphContext): Promise<Holding[]> {
    return holdingLoaders(ctx).holdingsOfInvestor.load(investor.id);
  }
}
