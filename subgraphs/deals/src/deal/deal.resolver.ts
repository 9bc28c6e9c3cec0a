import { PageInput, requireRole, STAFF_ROLES, type Role, type SubgraphContext } from '@tranche/platform';
import {
  Arg,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { Deal } from './deal.entity.js';
import { CreateDealInput, DealFilter, DealSort, DealStructureInput, UpdateDealInput } from './deal.input.js';
import { DealService } from './deal.service.js';
import { Tranche } from './tranche.entity.js';

const READERS: Role[] = [...STAFF_ROLES, 'INVESTOR'];
const WRITERS: Role[] = ['ARRANGER', 'ADMIN'];

@ObjectType()
class DealPage {
  @Field(() => [Deal])
  items!: Deal[];

  @Field(() => Int)
  total!: number;
}

export function dealService(ctx: SubgraphContext, ...roles: Role[]): DealService {
  return new DealService(ctx.em, requireRole(ctx, ...roles), ctx.requestId);
}

/** The request's batched loaders for deals and their tranches. */
export function dealLoaders(ctx: SubgraphContext) {
  const service = dealService(ctx, ...READERS);
  return {
    deal: ctx.loaders.get<string, Deal | null>('deal', (ids) => service.getMany(ids)),
    tranche: ctx.loaders.get<string, Tranche | null>('tranche', (ids) => service.getTranches(ids)),
    tranchesOfDeal: ctx.loaders.get<string, Tranche[]>('tranchesOfDeal', (ids) => service.tranchesOf(ids)),
    structure: ctx.loaders.get<string, { waterfallRules: string | null; collateral: string | null } | null>(
      'structure',
      (ids) => service.structuresOf(ids),
    ),
  };
}

@Resolver(() => Deal)
export class DealResolver {
  @Query(() => DealPage, { description: "A page of the caller's tenant's deals." })
  async deals(
    @Ctx() ctx: SubgraphContext,
    @Arg('filter', () => DealFilter, { nullable: true }) filter?: DealFilter,
    @Arg('sort', () => DealSort, { nullable: true }) sort?: DealSort,
    @Arg('page', () => PageInput, { nullable: true }) page?: PageInput,
  ): Promise<DealPage> {
    return dealService(ctx, ...READERS).list(filter, sort, page);
  }

  @Query(() => Deal, { nullable: true, description: 'A deal by id; null when unknown or not yours.' })
  async deal(@Ctx() ctx: SubgraphContext, @Arg('id', () => ID) id: string): Promise<Deal | null> {
    return dealService(ctx, ...READERS).get(id);
  }

  @Mutation(() => Deal, { description: 'Structures a new deal with its tranches (ARRANGER, ADMIN).' })
  async createDeal(
    @Ctx() ctx: SubgraphContext,
    @Arg('input', () => CreateDealInput) input: CreateDealInput,
  ): Promise<Deal> {
    return dealService(ctx, ...WRITERS).create(input);
  }

  @Mutation(() => Deal, {
    description: 'Renames a deal, sets its closing date or moves its status (ARRANGER, ADMIN).',
  })
  async updateDeal(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateDealInput) input: UpdateDealInput,
  ): Promise<Deal> {
    return dealService(ctx, ...WRITERS).update(id, input);
  }

  @Mutation(() => Deal, {
    description:
      'Sets the waterfall rules and collateral the engine projects (ARRANGER, ADMIN; before issuance).',
  })
  async setDealStructure(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => DealStructureInput) input: DealStructureInput,
  ): Promise<Deal> {
    return dealService(ctx, ...WRITERS).setStructure(id, input);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Waterfall rule document (JSON, validated by the engine), once structured.',
  })
  async waterfallRules(@Root() deal: Deal, @Ctx() ctx: SubgraphContext): Promise<string | null> {
    return (await dealLoaders(ctx).structure.load(deal.id))?.waterfallRules ?? null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Collateral model (JSON: loans or representative lines), once structured.',
  })
  async collateral(@Root() deal: Deal, @Ctx() ctx: SubgraphContext): Promise<string | null> {
    return (await dealLoaders(ctx).structure.load(deal.id))?.collateral ?? null;
  }

  @FieldResolver(() => [Tranche])
  async tranches(@Root() deal: Deal, @Ctx() ctx: SubgraphContext): Promise<Tranche[]> {
    return dealLoaders(ctx).tranchesOfDeal.load(deal.id);
  }
}
