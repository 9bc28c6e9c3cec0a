import { requireRole, TenantService, TOPOLOGY, isUuid, type SubgraphContext } from '@tranche/platform';
import { BigIntScalar } from '@tranche/platform';
import { Ctx, Directive, Field, FieldResolver, Float, ID, ObjectType, Resolver, Root } from 'type-graphql';
import { DealWaterfallState, PayoutStatus, ServicerReport, TranchePayout } from '../payout/payout.entity.js';

/** The investors subgraph's Holding, extended here with its current value and what it was paid. */
@Directive('@key(fields: "trancheId wallet")')
@ObjectType()
export class Holding {
  @Field(() => ID)
  trancheId!: string;

  @Field()
  wallet!: string;

  /** Resolved by the investors subgraph; here only to value the holding. */
  @Directive('@external')
  @Field(() => BigIntScalar)
  balance!: bigint;
}

const DEALS = TOPOLOGY.subgraphs.deals.dbSchema;

/** A tranche's factor: its class balance after the last executed period over its original balance. */
interface TrancheFactor {
  original: bigint;
  current: bigint;
}

/** What a holding is worth and was paid, from the distributions this subgraph executed. */
export class HoldingValueService extends TenantService {
  /** The tranche's original and current balance (minor units); current = original before any period. */
  async factorOf(trancheId: string): Promise<TrancheFactor | null> {
    if (!isUuid(trancheId)) return null;
    const [tranche] = await this.em.execute<{ deal_id: string; name: string; original_balance: string }[]>(
      `select deal_id, name, original_balance::text as original_balance from "${DEALS}".published_tranche
        where tranche_id = ? and tenant_id = ?`,
      [trancheId, this.tenantId],
    );
    if (!tranche) return null;
    const original = BigInt(tranche.original_balance);
    const state = await this.em.findOne(DealWaterfallState, {
      dealId: tranche.deal_id,
      tenantId: this.tenantId,
    });
    if (!state) return { original, current: original };
    const classes = (JSON.parse(state.state) as { classes: Record<string, { balance: string }> }).classes;
    const balance = classes[tranche.name]?.balance;
    if (balance === undefined) return { original, current: original };
    const [whole, frac = ''] = balance.split('.');
    const digits = frac.length;
    // the state is in major units with the currency's digits; the tranche in minor units
    const current = BigInt(`${whole}${frac}`) * 10n ** BigInt(Math.max(0, 2 - digits));
    return { original, current };
  }

  /** Stablecoin units paid to `wallet` for the tranche by executed distributions (what the chain paid). */
  async paidTo(trancheId: string, wallet: string): Promise<bigint> {
    if (!isUuid(trancheId)) return 0n;
    const payouts = await this.em.find(TranchePayout, { trancheId, tenantId: this.tenantId });
    if (!payouts.length) return 0n;
    const reports = new Map(
      (
        await this.em.find(ServicerReport, {
          id: { $in: payouts.map((p) => p.reportId) },
          status: { $in: [PayoutStatus.EXECUTED, PayoutStatus.RECONCILED] },
        })
      ).map((r) => [r.id, r]),
    );
    let paid = 0n;
    for (const payout of payouts) {
      const report = reports.get(payout.reportId);
      if (!report) continue;
      const leaf = payout.leaves.find(([, account]) => account.toLowerCase() === wallet.toLowerCase());
      if (!leaf) continue;
      const differences = report.reconciliation
        ? ((
            JSON.parse(report.reconciliation) as {
              tranches: { distributionId: string; differences: { index: number; paid: string }[] }[];
            }
          ).tranches.find((t) => t.distributionId === payout.distributionId)?.differences ?? [])
        : [];
      const differs = differences.find((d) => d.index === leaf[0]);
      paid += BigInt(differs ? differs.paid : leaf[2]);
    }
    return paid;
  }
}

@Resolver(() => Holding)
export class HoldingValueResolver {
  @FieldResolver(() => Float, {
    description:
      'The tranche’s factor: its balance after the last paid period over its original balance (1 before any).',
  })
  async factor(@Root() holding: Holding, @Ctx() ctx: SubgraphContext): Promise<number> {
    const f = await new HoldingValueService(ctx.em, requireRole(ctx)).factorOf(holding.trancheId);
    if (!f || f.original === 0n) return 1;
    return Number((f.current * 1_000_000_000n) / f.original) / 1_000_000_000;
  }

  @Directive('@requires(fields: "balance")')
  @FieldResolver(() => BigIntScalar, {
    description:
      'The holding’s outstanding principal now: balance × factor (minor units of the deal currency).',
  })
  async currentValue(@Root() holding: Holding, @Ctx() ctx: SubgraphContext): Promise<bigint> {
    const f = await new HoldingValueService(ctx.em, requireRole(ctx)).factorOf(holding.trancheId);
    const balance = BigInt(holding.balance ?? 0);
    if (!f || f.original === 0n) return balance;
    return (balance * f.current) / f.original;
  }

  @FieldResolver(() => BigIntScalar, {
    description:
      'Stablecoin units (6 decimals) the chain paid this wallet for the tranche, over every executed distribution.',
  })
  distributionsReceived(@Root() holding: Holding, @Ctx() ctx: SubgraphContext): Promise<bigint> {
    return new HoldingValueService(ctx.em, requireRole(ctx)).paidTo(holding.trancheId, holding.wallet);
  }
}

/** A holding reference is only its key (tenant checks happen in the field resolvers' reads). */
export const holdingReferences = {
  // the platform's reference type names `id`; a Holding's key is (trancheId, wallet)
  Holding: (reference: { id: string }, ctx: SubgraphContext) => {
    requireRole(ctx);
    const ref = reference as unknown as { trancheId: string; wallet: string; balance?: string | bigint };
    return Object.assign(new Holding(), {
      trancheId: ref.trancheId,
      wallet: ref.wallet,
      balance: ref.balance === undefined ? 0n : BigInt(ref.balance),
    });
  },
};
