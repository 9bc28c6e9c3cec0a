import {
  gatedService,
  NotFoundError,
  PageInput,
  PageOf,
  requireRole,
  serviceFor,
  BigIntScalar,
  type Page,
  type SubgraphContext,
} from '@tranche/platform';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Subscription } from './subscription.entity.js';
import { SubscribeInput } from './subscription.input.js';
import { ALLOCATORS, mintPayload, SUBSCRIPTION_DESKS, SubscriptionService } from './subscription.service.js';

const SubscriptionPage = PageOf(Subscription);

@Resolver(() => Subscription)
export class SubscriptionResolver {
  @Query(() => SubscriptionPage, { description: 'The tenant’s subscriptions (of a tranche), newest first.' })
  subscriptions(
    @Ctx() ctx: SubgraphContext,
    @Arg('trancheId', () => ID, { nullable: true }) trancheId?: string,
    @Arg('page', () => PageInput, { nullable: true }) page?: PageInput,
  ): Promise<Page<Subscription>> {
    return serviceFor(SubscriptionService, ctx, SUBSCRIPTION_DESKS).list(trancheId, page);
  }

  @Mutation(() => Subscription, {
    description:
      'Subscribes an investor to a tranche once the deal’s restrictions are met (COMPLIANCE, ARRANGER, ADMIN).',
  })
  subscribe(
    @Ctx() ctx: SubgraphContext,
    @Arg('input', () => SubscribeInput) input: SubscribeInput,
  ): Promise<Subscription> {
    return serviceFor(SubscriptionService, ctx, SUBSCRIPTION_DESKS).subscribe(input);
  }

  @Mutation(() => Subscription, {
    description:
      'Allocates a subscription and mints it as a job (ARRANGER, ADMIN; gated by `token.mint`, with an approved change request over the policy’s amount).',
  })
  async allocateSubscription(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID) id: string,
    @Arg('amount', () => BigIntScalar) amount: bigint,
    @Arg('changeRequestId', () => ID, { nullable: true }) changeRequestId?: string,
  ): Promise<Subscription> {
    requireRole(ctx, ...ALLOCATORS);
    const subscription = await serviceFor(SubscriptionService, ctx, ALLOCATORS).get(id);
    if (!subscription) throw new NotFoundError('Subscription', id);
    const { service, decision } = await gatedService(SubscriptionService, ctx, {
      capability: 'token.mint',
      dealId: subscription.dealId,
      changeRequestId: changeRequestId ?? null,
      payload: mintPayload(subscription, amount),
      amount,
    });
    return service.allocate(id, amount, decision);
  }
}
