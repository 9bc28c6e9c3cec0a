import { PageInput, requireRole, STAFF_ROLES, type Role, type SubgraphContext } from '@tranche/platform';
import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { Investor } from './investor.entity.js';
import { CreateInvestorInput } from './investor.input.js';
import { InvestorService } from './investor.service.js';

const WRITERS: Role[] = ['COMPLIANCE', 'ADMIN'];

@ObjectType()
class InvestorPage {
  @Field(() => [Investor])
  items!: Investor[];

  @Field(() => Int)
  total!: number;
}

export function investorService(ctx: SubgraphContext, ...roles: Role[]): InvestorService {
  return new InvestorService(ctx.em, requireRole(ctx, ...roles), ctx.requestId);
}

@Resolver(() => Investor)
export class InvestorResolver {
  @Query(() => InvestorPage, { description: "A page of the tenant's investors (staff)." })
  async investors(
    @Ctx() ctx: SubgraphContext,
    @Arg('page', () => PageInput, { nullable: true }) page?: PageInput,
  ): Promise<InvestorPage> {
    return investorService(ctx, ...STAFF_ROLES).list(page);
  }

  @Query(() => Investor, { nullable: true })
  async investor(@Ctx() ctx: SubgraphContext, @Arg('id', () => ID) id: string): Promise<Investor | null> {
    return investorService(ctx, ...STAFF_ROLES).get(id);
  }

  @Mutation(() => Investor, { description: 'Onboards an investor, KYC pending (COMPLIANCE, ADMIN).' })
  async createInvestor(
    @Ctx() ctx: SubgraphContext,
    @Arg('input', () => CreateInvestorInput) input: CreateInvestorInput,
  ): Promise<Investor> {
    return investorService(ctx, ...WRITERS).create(input);
  }
}
