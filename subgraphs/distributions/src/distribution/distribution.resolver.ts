import { PageInput, requireRole, STAFF_ROLES, type Role, type SubgraphContext } from '@tranche/platform';
import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { Distribution } from './distribution.entity.js';
import { CreateDistributionInput, DistributionFilter } from './distribution.input.js';
import { DistributionService } from './distribution.service.js';

export const READERS: Role[] = [...STAFF_ROLES, 'INVESTOR'];
const WRITERS: Role[] = ['SERVICER', 'ADMIN'];

@ObjectType()
class DistributionPage {
  @Field(() => [Distribution])
  items!: Distribution[];

  @Field(() => Int)
  total!: number;
}

export function distributionService(ctx: SubgraphContext, ...roles: Role[]): DistributionService {
  return new DistributionService(ctx.em, requireRole(ctx, ...roles), ctx.requestId);
}

@Resolver(() => Distribution)
export class DistributionResolver {
  @Query(() => DistributionPage)
  async distributions(
    @Ctx() ctx: SubgraphContext,
    @Arg('filter', () => DistributionFilter, { nullable: true }) filter?: DistributionFilter,
    @Arg('page', () => PageInput, { nullable: true }) page?: PageInput,
  ): Promise<DistributionPage> {
    return distributionService(ctx, ...READERS).list(filter, page);
  }

  @Query(() => Distribution, { nullable: true })
  async distribution(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID) id: string,
  ): Promise<Distribution | null> {
    return distributionService(ctx, ...READERS).get(id);
  }

  @Mutation(() => Distribution, { description: 'Records a draft distribution (SERVICER, ADMIN).' })
  async createDistribution(
    @Ctx() ctx: SubgraphContext,
    @Arg('input', () => CreateDistributionInput) input: CreateDistributionInput,
  ): Promise<Distribution> {
    return distributionService(ctx, ...WRITERS).create(input);
  }
}
