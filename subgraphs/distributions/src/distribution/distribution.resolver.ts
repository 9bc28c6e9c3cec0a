import {
  gatedService,
  PageInput,
  PageOf,
  serviceFor,
  type Page,
  type SubgraphContext,
} from '@tranche/platform';
import { Arg, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Tranche } from '../tranche/tranche.entity.js';
import { Distribution } from './distribution.entity.js';
import { CreateDistributionInput, DistributionFilter } from './distribution.input.js';
import { distributionLoaders } from './distribution.loaders.js';
import { DISTRIBUTION_READERS, DistributionService, type DistributionRow } from './distribution.service.js';

const DistributionPage = PageOf(Distribution);

@Resolver(() => Distribution)
export class DistributionResolver {
  @Query(() => DistributionPage)
  distributions(
    @Ctx() ctx: SubgraphContext,
    @Arg('filter', () => DistributionFilter, { nullable: true }) filter?: DistributionFilter,
    @Arg('page', () => PageInput, { nullable: true }) page?: PageInput,
  ): Promise<Page<Distribution>> {
    return serviceFor(DistributionService, ctx, DISTRIBUTION_READERS).list(filter, page);
  }

  @Query(() => Distribution, { nullable: true })
  distribution(@Ctx() ctx: SubgraphContext, @Arg('id', () => ID) id: string): Promise<Distribution | null> {
    return serviceFor(DistributionService, ctx, DISTRIBUTION_READERS).get(id);
  }

  @Mutation(() => Distribution, { description: 'Records a draft distribution (SERVICER, ADMIN; gated).' })
  async createDistribution(
    @Ctx() ctx: SubgraphContext,
    @Arg('input', () => CreateDistributionInput) input: CreateDistributionInput,
  ): Promise<Distribution> {
    const { service } = await gatedService(DistributionService, ctx, {
      capability: 'distribution.create',
      dealId: input.dealId,
    });
    return service.create(input);
  }
}

/** The distributions this subgraph adds to the deals subgraph's Tranche. */
@Resolver(() => Tranche)
export class TrancheDistributionsResolver {
  // one a period: priced as a year of monthly distributions
  @Directive('@listSize(assumedSize: 12)')
  @FieldResolver(() => [Distribution], { description: "The tranche's distributions, newest first." })
  distributions(@Root() tranche: Tranche, @Ctx() ctx: SubgraphContext): Promise<DistributionRow[]> {
    return distributionLoaders(ctx).distributionsOfTranche.load(tranche.id);
  }
}
