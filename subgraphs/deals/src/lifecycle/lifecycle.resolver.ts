import { gatedService, type SubgraphContext } from '@tranche/platform';
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { covenantsOf } from '../deal/covenants.js';
import { Deal, DealCovenants } from '../deal/deal.entity.js';
import { knownChains } from '../issuance/chains.js';
import { DealDocument } from './deal-document.entity.js';
import { DealDocumentInput, DealTermsInput } from './lifecycle.input.js';
import { lifecycleLoaders } from './lifecycle.loaders.js';
import { LifecycleService } from './lifecycle.service.js';

const chainIds = async (ctx: SubgraphContext) => (await knownChains(ctx.config)).map((c) => c.chainId);

@Resolver(() => Deal)
export class LifecycleResolver {
  @Mutation(() => Deal, {
    description:
      'Sets a PROPOSED deal’s legal terms: SPV, jurisdiction, regime, restrictions, chain (gated).',
  })
  async setDealTerms(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => DealTermsInput) input: DealTermsInput,
  ): Promise<Deal> {
    const { service } = await gatedService(LifecycleService, ctx, { capability: 'deal.update', dealId: id });
    return service.setTerms(id, input, await chainIds(ctx));
  }

  @Mutation(() => DealDocument, {
    description: 'Adds a document by its SHA-256 (registered in DealRegistry at issuance, or at once after).',
  })
  async addDealDocument(
    @Ctx() ctx: SubgraphContext,
    @Arg('dealId', () => ID) dealId: string,
    @Arg('input', () => DealDocumentInput) input: DealDocumentInput,
  ): Promise<DealDocument> {
    const { service } = await gatedService(LifecycleService, ctx, { capability: 'deal.update', dealId });
    return service.addDocument(dealId, input);
  }

  @Mutation(() => Deal, {
    description:
      'Freezes a complete PROPOSED deal and opens its `deal.issue` change request; approval makes it APPROVED.',
  })
  async submitDealForReview(@Ctx() ctx: SubgraphContext, @Arg('id', () => ID) id: string): Promise<Deal> {
    const { service } = await gatedService(LifecycleService, ctx, {
      capability: 'deal.structure',
      dealId: id,
    });
    return service.submitForReview(id, await chainIds(ctx));
  }

  @Mutation(() => Deal, {
    description: 'Asks to terminate a deal: a CRITICAL change request; approval makes it TERMINATED.',
  })
  async requestDealTermination(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
  ): Promise<Deal> {
    const { service } = await gatedService(LifecycleService, ctx, { capability: 'deal.update', dealId: id });
    return service.requestTermination(id, reason);
  }

  @FieldResolver(() => [DealDocument], { description: 'The deal’s documents, by SHA-256 (staff).' })
  documents(@Root() deal: Deal, @Ctx() ctx: SubgraphContext): Promise<DealDocument[]> {
    return lifecycleLoaders(ctx).documentsOfDeal.load(deal.id);
  }

  @FieldResolver(() => DealCovenants, {
    description: 'The thresholds the deal’s pool must meet (part of its terms; public, as on-chain).',
  })
  covenants(@Root() deal: Deal): DealCovenants {
    return covenantsOf(deal.covenants);
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The change request reviewing it for issuance.' })
  reviewChangeRequestId(@Root() deal: Deal): string | null {
    return deal.reviewChangeRequestId;
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The change request terminating it, if asked.' })
  terminationChangeRequestId(@Root() deal: Deal): string | null {
    return deal.terminationChangeRequestId;
  }
}
