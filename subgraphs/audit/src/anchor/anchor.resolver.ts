import { ledgerIdOf } from '@tranche/chain';
import {
  enqueueJob,
  PageInput,
  PageOf,
  requireRole,
  serviceFor,
  type Page,
  type SubgraphContext,
} from '@tranche/platform';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Deal } from '../deal/deal.entity.js';
import { anchorLoaders } from './anchor.loaders.js';
import { ANCHOR_OPERATORS, ANCHOR_READERS, AnchorService, PLAN_ANCHORS_TASK } from './anchor.service.js';
import { AuditEventProof } from './anchor.types.js';
import { LedgerAnchor } from './ledger-anchor.entity.js';

const LedgerAnchorPage = PageOf(LedgerAnchor);

@Resolver(() => LedgerAnchor)
export class AnchorResolver {
  @Query(() => LedgerAnchorPage, { description: "The tenant's audit ledger anchors, newest first." })
  auditAnchors(
    @Ctx() ctx: SubgraphContext,
    @Arg('page', () => PageInput, { nullable: true }) page?: PageInput,
  ): Promise<Page<LedgerAnchor>> {
    return serviceFor(AnchorService, ctx, ANCHOR_READERS).list(page);
  }

  @Query(() => LedgerAnchor, { nullable: true, description: 'An anchor of the tenant’s audit ledger.' })
  auditAnchor(@Ctx() ctx: SubgraphContext, @Arg('id', () => ID) id: string): Promise<LedgerAnchor | null> {
    return serviceFor(AnchorService, ctx, ANCHOR_READERS).get(id);
  }

  @Query(() => AuditEventProof, {
    nullable: true,
    description: 'The inclusion proof of an audit event and its anchor transaction; null until anchored.',
  })
  async auditEventProof(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID) id: string,
  ): Promise<AuditEventProof | null> {
    const found = await serviceFor(AnchorService, ctx, ANCHOR_READERS).proofOf(id);
    return found ? { ...found, ledgerId: ledgerIdOf(found.event.tenantId) } : null;
  }

  @Mutation(() => Boolean, {
    description: "Anchors the tenant's unanchored events now rather than at the next pass (ADMIN).",
  })
  async requestAuditAnchoring(@Ctx() ctx: SubgraphContext): Promise<boolean> {
    const principal = requireRole(ctx, ...ANCHOR_OPERATORS);
    ctx.gate.checkJob(principal.tenantId, { capability: 'audit.anchor' });
    await ctx.em.transactional((tx) =>
      enqueueJob(
        tx,
        PLAN_ANCHORS_TASK,
        { tenantId: principal.tenantId, force: true },
        { jobKey: `${PLAN_ANCHORS_TASK}:${principal.tenantId}` },
      ),
    );
    return true;
  }
}

/** The anchors this subgraph adds to the deals subgraph's Deal: those covering its events. */
@Resolver(() => Deal)
export class DealAuditAnchorsResolver {
  @FieldResolver(() => [LedgerAnchor], {
    description: 'Anchors of the audit ledger ranges holding this deal’s events.',
  })
  auditAnchors(@Root() deal: Deal, @Ctx() ctx: SubgraphContext): Promise<LedgerAnchor[]> {
    return anchorLoaders(ctx).anchorsOfDeal.load(deal.id);
  }
}
