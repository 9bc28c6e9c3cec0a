import {
  gatedService,
  PageInput,
  PageOf,
  requireRole,
  serviceFor,
  STAFF_ROLES,
  type Page,
  type SubgraphContext,
} from '@tranche/platform';
import { ruleDocumentJsonSchema } from '@tranche/engine';
import { Arg, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Deal } from './deal.entity.js';
import { CreateDealInput, DealFilter, DealSort, DealStructureInput, UpdateDealInput } from './deal.input.js';
import { dealLoaders } from './deal.loaders.js';
import { toDealOrder } from './deal.mapper.js';
import { DEAL_READERS, DealService, type DealRow, type TrancheRow } from './deal.service.js';
import { Tranche } from './tranche.entity.js';
import { collateralFromTape, representativeLines } from '../tape/tape.pool.js';
import { LOAN_READERS, latestValidatedTape } from '../tape/tape.service.js';

const DealPage = PageOf(Deal);

@Resolver(() => Deal)
export class DealResolver {
  // priced as its largest page; the gateway prices a smaller `page.limit` by that limit
  @Directive('@listSize(assumedSize: 100, sizedFields: ["items"], requireOneSlicingArgument: false)')
  @Query(() => DealPage, { description: "A page of the caller's tenant's deals." })
  deals(
    @Ctx() ctx: SubgraphContext,
    @Arg('filter', () => DealFilter, { nullable: true }) filter?: DealFilter,
    @Arg('sort', () => DealSort, { nullable: true }) sort?: DealSort,
    @Arg('page', () => PageInput, { nullable: true }) page?: PageInput,
  ): Promise<Page<DealRow>> {
    return serviceFor(DealService, ctx, DEAL_READERS).list(filter, toDealOrder(sort), page);
  }

  @Query(() => Deal, { nullable: true, description: 'A deal by id; null when unknown or not yours.' })
  deal(@Ctx() ctx: SubgraphContext, @Arg('id', () => ID) id: string): Promise<Deal | null> {
    return serviceFor(DealService, ctx, DEAL_READERS).get(id);
  }

  @Mutation(() => Deal, { description: 'Structures a new deal with its tranches (ARRANGER, ADMIN; gated).' })
  async createDeal(
    @Ctx() ctx: SubgraphContext,
    @Arg('input', () => CreateDealInput) input: CreateDealInput,
  ): Promise<Deal> {
    const { service } = await gatedService(DealService, ctx, { capability: 'deal.create' });
    return service.create(input);
  }

  @Mutation(() => Deal, {
    description: 'Renames a deal, sets its closing date or moves its status (ARRANGER, ADMIN; gated).',
  })
  async updateDeal(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateDealInput) input: UpdateDealInput,
  ): Promise<Deal> {
    const { service } = await gatedService(DealService, ctx, { capability: 'deal.update', dealId: id });
    return service.update(id, input);
  }

  @Mutation(() => Deal, {
    description:
      'Sets the waterfall rules and collateral the engine projects (ARRANGER, ADMIN; before issuance; gated).',
  })
  async setDealStructure(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => DealStructureInput) input: DealStructureInput,
  ): Promise<Deal> {
    const { service } = await gatedService(DealService, ctx, { capability: 'deal.structure', dealId: id });
    return service.setStructure(id, input);
  }

  @Query(() => String, {
    description:
      'JSON Schema (draft 2020-12) of the waterfall rule document, for editors (staff). setDealStructure checks more: references, cycles, sums.',
  })
  waterfallRulesSchema(@Ctx() ctx: SubgraphContext): string {
    requireRole(ctx, ...STAFF_ROLES);
    return JSON.stringify(ruleDocumentJsonSchema());
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
    description:
      'The collateral the engine projects (JSON): from the latest VALIDATED loan tape when there is one, else the structure’s lines. One line per loan for ARRANGER, SERVICER and ADMIN; representative lines (loans grouped by coupon, fee, term and remaining-term year) for every other reader.',
  })
  async collateral(@Root() deal: Deal, @Ctx() ctx: SubgraphContext): Promise<string | null> {
    const loaders = dealLoaders(ctx); // authorizes the reader
    const loanLevel = LOAN_READERS.some((r) => ctx.principal?.roles.has(r));
    const tape = await latestValidatedTape(ctx.em, deal.tenantId, deal.id);
    if (tape)
      return collateralFromTape(
        ctx.em,
        ctx.em.config.get('schema')!,
        tape.id,
        loanLevel ? 'loans' : 'representative',
      );
    const stored = (await loaders.structure.load(deal.id))?.collateral ?? null;
    return stored && !loanLevel ? representativeLines(stored) : stored;
  }

  // A capital structure has a handful of classes (senior, mezzanine, junior: the demo's three);
  // priced at five, not as a 10-row page, so a 100-deal page with its tranches is answerable.
  @Directive('@listSize(assumedSize: 5)')
  @FieldResolver(() => [Tranche])
  tranches(@Root() deal: Deal, @Ctx() ctx: SubgraphContext): Promise<TrancheRow[]> {
    return dealLoaders(ctx).tranchesOfDeal.load(deal.id);
  }
}

@Resolver(() => Tranche)
export class TrancheResolver {
  // A field resolver rather than `@Field` on the entity's getter: type-graphql runs a getter
  // field by copying a root that is not a Tranche instance (a read row) into `new Tranche()`,
  // per tranche and field, through MikroORM's relation setters.
  @FieldResolver(() => ID)
  dealId(@Root() tranche: Pick<Tranche, 'dealId'>): string {
    return tranche.dealId;
  }
}
