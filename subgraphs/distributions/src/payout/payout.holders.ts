import {
  BigIntScalar,
  DEFAULT_PAGE_SIZE,
  PageInput,
  PageOf,
  serviceFor,
  type Page,
  type Role,
  type SubgraphContext,
} from '@tranche/platform';
import {
  Arg,
  Ctx,
  Field,
  FieldResolver,
  Int,
  ObjectType,
  registerEnumType,
  Resolver,
  Root,
} from 'type-graphql';
import { PayoutStatus, TranchePayout } from './payout.entity.js';
import type { Reconciliation } from './payout.reconcile.js';
import { PayoutService } from './payout.service.js';

/**
 * Who sees each holder's payout (wallets and amounts): the servicer who runs it, compliance, the
 * auditors and admins; not arrangers, and not investors (they see their own in their portfolio).
 */
export const HOLDER_READERS: readonly Role[] = ['SERVICER', 'COMPLIANCE', 'AUDITOR', 'ADMIN'];

export enum HolderPayoutStatus {
  PENDING = 'PENDING',
  PAID = 'PAID',
  DIFFERS = 'DIFFERS',
}
registerEnumType(HolderPayoutStatus, {
  name: 'HolderPayoutStatus',
  description:
    'PENDING until the distribution is reconciled; then PAID (the chain paid exactly the amount) or DIFFERS.',
});

@ObjectType({ description: 'One holder’s payout: a leaf of the tranche payout’s Merkle tree.' })
export class HolderPayout {
  @Field(() => Int, { description: 'The leaf index (the claim’s index on-chain).' })
  index!: number;

  @Field({ description: 'The holder’s wallet at the record block.' })
  account!: string;

  @Field(() => BigIntScalar, { description: 'What the leaf entitles them to, in stablecoin units.' })
  amount!: bigint;

  @Field(() => BigIntScalar, { nullable: true, description: 'What the chain paid them, once reconciled.' })
  paid!: bigint | null;

  @Field(() => HolderPayoutStatus)
  status!: HolderPayoutStatus;
}

const HolderPayoutPage = PageOf(HolderPayout);

/** The holders of a tranche payout, with what the reconciliation found for each. */
export function holderPayouts(
  payout: TranchePayout,
  reconciliation: Reconciliation | null,
  page: { offset: number; limit: number },
): Page<HolderPayout> {
  const tranche = reconciliation?.tranches.find((t) => t.trancheId === payout.trancheId) ?? null;
  const differs = new Map((tranche?.differences ?? []).map((d) => [d.index, d]));
  const items = payout.leaves.slice(page.offset, page.offset + page.limit).map(([index, account, amount]) => {
    const difference = differs.get(index);
    const entitled = BigInt(amount);
    if (!tranche) return { index, account, amount: entitled, paid: null, status: HolderPayoutStatus.PENDING };
    if (difference)
      return {
        index,
        account,
        amount: entitled,
        paid: BigInt(difference.paid),
        status: HolderPayoutStatus.DIFFERS,
      };
    return { index, account, amount: entitled, paid: entitled, status: HolderPayoutStatus.PAID };
  });
  return { items, total: payout.leaves.length };
}

@Resolver(() => TranchePayout)
export class TranchePayoutResolver {
  @FieldResolver(() => HolderPayoutPage, {
    description:
      'Each holder’s payout (the tree’s leaves, in index order) with what the chain paid them once reconciled (SERVICER, COMPLIANCE, AUDITOR, ADMIN).',
  })
  async holders(
    @Root() payout: TranchePayout,
    @Ctx() ctx: SubgraphContext,
    @Arg('page', () => PageInput, { nullable: true }) page?: PageInput,
  ): Promise<Page<HolderPayout>> {
    const service = serviceFor(PayoutService, ctx, HOLDER_READERS);
    const report = await service.get(payout.reportId);
    const reconciled =
      report?.reconciliation && [PayoutStatus.EXECUTED, PayoutStatus.RECONCILED].includes(report.status)
        ? (JSON.parse(report.reconciliation) as Reconciliation)
        : null;
    return holderPayouts(payout, reconciled, {
      offset: page?.offset ?? 0,
      limit: page?.limit ?? DEFAULT_PAGE_SIZE,
    });
  }
}
