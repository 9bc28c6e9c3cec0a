import { onChainDealId, readManifest } from '@tranche/chain';
import {
  gatedService,
  NotFoundError,
  requireRole,
  serviceFor,
  STAFF_ROLES,
  ValidationError,
  type SubgraphContext,
} from '@tranche/platform';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Deal } from '../deal/deal.entity.js';
import { DealService } from '../deal/deal.service.js';
import { issuanceTerms } from '../lifecycle/issuance-terms.js';
import { tranchesOfDeal } from '../lifecycle/lifecycle.service.js';
import { knownChains } from './chains.js';
import { IssuanceTransaction } from './issuance-transaction.entity.js';
import { Issuance } from './issuance.entity.js';
import { issuanceLoaders } from './issuance.loaders.js';
import { countSuiteSteps, suiteParams } from './issuance.plan.js';
import { ISSUERS, IssuanceService } from './issuance.service.js';
import { ChainInfo } from './issuance.types.js';
import { TrancheToken } from './tranche-token.entity.js';

@Resolver(() => Issuance)
export class IssuanceResolver {
  @Query(() => [ChainInfo], { description: 'The chains a deal may name (staff).' })
  async chains(@Ctx() ctx: SubgraphContext): Promise<ChainInfo[]> {
    requireRole(ctx, ...STAFF_ROLES);
    return (await knownChains(ctx.config)).map(({ chainId, name }) => ({ chainId, name }));
  }

  @Mutation(() => Issuance, {
    description:
      'Deploys an APPROVED deal’s tokens on its chain as a job (ARRANGER, ADMIN; gated by `deal.issue` and its approved review); resumes a FAILED one.',
  })
  async issueDeal(@Ctx() ctx: SubgraphContext, @Arg('id', () => ID) id: string): Promise<Issuance> {
    const deal = await serviceFor(DealService, ctx, ISSUERS).get(id);
    if (!deal) throw new NotFoundError('Deal', id);
    const existing = (await serviceFor(IssuanceService, ctx, ISSUERS).ofDeals([deal.id]))[0];
    if (existing) {
      // The approval was claimed when it started; resuming asks the gate's kill switches and roles only.
      ctx.gate.checkJob(deal.tenantId, { capability: 'deal.issue', dealId: deal.id });
      return serviceFor(IssuanceService, ctx, ISSUERS).resume(deal.id);
    }
    const terms = await issuanceTerms(ctx.em, deal);
    const { service, decision } = await gatedService(IssuanceService, ctx, {
      capability: 'deal.issue',
      dealId: deal.id,
      changeRequestId: deal.reviewChangeRequestId,
      payload: terms,
      amount: deal.originalBalance,
    });
    if (deal.chainId == null) throw new ValidationError({ chainId: 'the deal names no chain' });
    const chain = (await knownChains(ctx.config)).find((c) => c.chainId === deal.chainId);
    if (!chain) throw new ValidationError({ chainId: `chain ${deal.chainId} is not configured` });
    const manifest = await readManifest(ctx.config.CHAIN_MANIFEST_DIR, chain.chainId);
    if (!manifest)
      throw new ValidationError({ chainId: `chain ${chain.chainId} has no platform deployment` });
    const operator = manifest.roles.operator[0] ?? manifest.deployer;
    const tranches = await tranchesOfDeal(ctx.em, deal);
    const suiteSteps = await countSuiteSteps(
      suiteParams(deal, tranches, manifest, operator, new Date()),
      operator,
    );
    const documents = terms.documents.length;
    return service.start(deal.id, decision, {
      chainId: chain.chainId,
      dealRegistry: manifest.contracts.dealRegistry.address,
      onChainDealId: onChainDealId(deal.id),
      stepsTotal: suiteSteps + 1 + documents,
    });
  }

  @FieldResolver(() => [TrancheToken], { description: 'One token per tranche, with its deployment.' })
  tokens(@Root() issuance: Issuance, @Ctx() ctx: SubgraphContext): Promise<TrancheToken[]> {
    return issuanceLoaders(ctx).tokensOfIssuance.load(issuance.id);
  }

  @FieldResolver(() => [IssuanceTransaction], { description: 'Every mined transaction, in order.' })
  transactions(@Root() issuance: Issuance, @Ctx() ctx: SubgraphContext): Promise<IssuanceTransaction[]> {
    return issuanceLoaders(ctx).transactionsOfIssuance.load(issuance.id);
  }
}

@Resolver(() => Deal)
export class DealIssuanceResolver {
  @FieldResolver(() => Issuance, {
    nullable: true,
    description: 'The deal’s deployment on its chain (the plan’s GET /web3/deals/{id}/status); null before.',
  })
  issuance(@Root() deal: Deal, @Ctx() ctx: SubgraphContext): Promise<Issuance | null> {
    return issuanceLoaders(ctx).issuanceOfDeal.load(deal.id);
  }
}
