import {
  gatedService,
  PageInput,
  PageOf,
  requireRole,
  serviceFor,
  type Page,
  type SubgraphContext,
} from '@tranche/platform';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { SubscriptionService } from '../subscription/subscription.service.js';
import { TokenAction } from './token-action.entity.js';
import { TokenActionInput } from './tokenops.input.js';
import { TOKEN_OFFICERS, tokenActionPayload, TokenOpsService } from './tokenops.service.js';

const TokenActionPage = PageOf(TokenAction);

@Resolver(() => TokenAction)
export class TokenOpsResolver {
  @Query(() => TokenActionPage, {
    description: 'Compliance operations on the tenant’s tokens, newest first.',
  })
  tokenActions(
    @Ctx() ctx: SubgraphContext,
    @Arg('trancheId', () => ID, { nullable: true }) trancheId?: string,
    @Arg('page', () => PageInput, { nullable: true }) page?: PageInput,
  ): Promise<Page<TokenAction>> {
    return serviceFor(TokenOpsService, ctx, TOKEN_OFFICERS).list(trancheId, page);
  }

  @Mutation(() => TokenAction, {
    description:
      'Freezes, unfreezes, force-transfers or recovers a tranche token holding (COMPLIANCE, ADMIN; gated by `token.transfer` with an approval bound to the action); runs as a job.',
  })
  async requestTokenAction(
    @Ctx() ctx: SubgraphContext,
    @Arg('input', () => TokenActionInput) input: TokenActionInput,
    @Arg('changeRequestId', () => ID, { nullable: true }) changeRequestId?: string,
  ): Promise<TokenAction> {
    const principal = requireRole(ctx, ...TOKEN_OFFICERS);
    const tranche = await new SubscriptionService(ctx.em, principal).tranche(input.trancheId);
    const { service, decision } = await gatedService(TokenOpsService, ctx, {
      capability: 'token.transfer',
      dealId: tranche?.deal_id ?? null,
      changeRequestId: changeRequestId ?? null,
      payload: tokenActionPayload(input),
      amount: input.amount ?? null,
    });
    return service.request(input, decision);
  }
}
