import {
  gatedService,
  PageInput,
  PageOf,
  serviceFor,
  type Page,
  type SubgraphContext,
} from '@tranche/platform';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Deal } from '../deal/deal.entity.js';
import { Investor } from './investor.entity.js';
import { CreateInvestorInput } from './investor.input.js';
import { investorLoaders } from './investor.loaders.js';
import { INVESTOR_READERS, InvestorService } from './investor.service.js';
import { InvestorVerification, Portfolio, portfolioOf, VerificationService } from './verification.js';

const InvestorPage = PageOf(Investor);

@Resolver(() => Investor)
export class InvestorResolver {
  @Query(() => InvestorPage, { description: "A page of the tenant's investors (staff)." })
  investors(
    @Ctx() ctx: SubgraphContext,
    @Arg('page', () => PageInput, { nullable: true }) page?: PageInput,
  ): Promise<Page<Investor>> {
    return serviceFor(InvestorService, ctx, INVESTOR_READERS).list(page);
  }

  @Query(() => Investor, { nullable: true })
  investor(@Ctx() ctx: SubgraphContext, @Arg('id', () => ID) id: string): Promise<Investor | null> {
    return serviceFor(InvestorService, ctx, INVESTOR_READERS).get(id);
  }

  @Mutation(() => InvestorVerification, {
    description:
      'The plan’s POST /web3/investors/{address}/verify: runs every check the address must pass to hold the tenant’s tranche tokens (proven wallet, KYC, sanctions, accreditation, and each deployed token’s identity registry and freeze) and reports what passed and what is missing; the run is audited (staff).',
  })
  verifyInvestor(
    @Ctx() ctx: SubgraphContext,
    @Arg('address') address: string,
  ): Promise<InvestorVerification> {
    return serviceFor(VerificationService, ctx, INVESTOR_READERS).verify(address, ctx.config);
  }

  @Query(() => Portfolio, {
    nullable: true,
    description:
      'The plan’s GET /investors/portfolio: the signed-in investor’s positions (INVESTOR; null until compliance links the portal user to an investor).',
  })
  portfolio(@Ctx() ctx: SubgraphContext): Promise<Portfolio | null> {
    return portfolioOf(ctx);
  }

  @Mutation(() => Investor, { description: 'Onboards an investor, KYC pending (COMPLIANCE, ADMIN; gated).' })
  async createInvestor(
    @Ctx() ctx: SubgraphContext,
    @Arg('input', () => CreateInvestorInput) input: CreateInvestorInput,
  ): Promise<Investor> {
    const { service } = await gatedService(InvestorService, ctx, { capability: 'investor.onboard' });
    return service.create(input);
  }
}

/** The investor figures this subgraph adds to the deals subgraph's Deal. */
@Resolver(() => Deal)
export class DealInvestorsResolver {
  @FieldResolver(() => Int, { description: "Investors of the caller's tenant interested in the deal." })
  investorCount(@Root() deal: Deal, @Ctx() ctx: SubgraphContext): Promise<number> {
    return investorLoaders.investorCountOfDeal(ctx).load(deal.id);
  }
}
