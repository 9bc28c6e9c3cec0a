import { DistributionManager__factory, type ConnectedChain } from '@tranche/chain';
import { MAX_EVIDENCE_LEAVES, type DistributionEvidence } from '@tranche/verify';
import type { TranchePayout } from './payout.entity.js';

/** Holder by holder and in total: what the engine's leaves entitle against what the chain paid. */
export interface Reconciliation {
  ties: boolean;
  tranches: {
    trancheId: string;
    distributionId: string;
    entitled: string;
    funded: string;
    paid: string;
    remainder: string;
    differences: { index: number; account: string; entitled: string; paid: string }[];
  }[];
}

/**
 * Compares each tranche payout's leaves (what the engine's run and the record block entitle each
 * holder to) with the chain: the PayoutClaimed events of its distribution, and the escrow's funded
 * and claimed totals. It ties when every holder was paid exactly their amount and funded − paid = 0.
 */
export async function reconcile(chain: ConnectedChain, payouts: TranchePayout[]): Promise<Reconciliation> {
  const dm = DistributionManager__factory.connect(
    chain.manifest.contracts.distributionManager.address,
    chain.provider,
  );
  const tranches: Reconciliation['tranches'] = [];
  for (const payout of payouts) {
    const onChain = await dm.distribution(payout.distributionId);
    const events = await dm.queryFilter(dm.filters.PayoutClaimed(payout.distributionId), payout.fromBlock);
    const paidByIndex = new Map<number, { account: string; amount: bigint }>();
    for (const e of events) {
      const index = Number(e.args.index);
      const prior = paidByIndex.get(index);
      paidByIndex.set(index, { account: e.args.account, amount: (prior?.amount ?? 0n) + e.args.amount });
    }
    const differences: Reconciliation['tranches'][number]['differences'] = [];
    for (const [index, account, amount] of payout.leaves) {
      const paid = paidByIndex.get(index);
      const entitled = BigInt(amount);
      const paidAmount = paid && paid.account.toLowerCase() === account.toLowerCase() ? paid.amount : 0n;
      if (paidAmount !== entitled)
        differences.push({ index, account, entitled: entitled.toString(), paid: paidAmount.toString() });
      paidByIndex.delete(index);
    }
    for (const [index, extra] of paidByIndex)
      differences.push({ index, account: extra.account, entitled: '0', paid: extra.amount.toString() });
    const paid = onChain.claimed;
    const remainder = onChain.funded - paid;
    if (remainder !== 0n && differences.length === 0)
      differences.push({ index: -1, account: 'escrow', entitled: '0', paid: remainder.toString() });
    tranches.push({
      trancheId: payout.trancheId,
      distributionId: payout.distributionId,
      entitled: payout.total.toString(),
      funded: onChain.funded.toString(),
      paid: paid.toString(),
      remainder: remainder.toString(),
      differences,
    });
  }
  return { ties: tranches.every((t) => t.differences.length === 0), tranches };
}

/**
 * The reconciliation as audit evidence (`@tranche/verify`'s DistributionEvidence): per tranche, the
 * engine's cash, the leaves and what the chain holds, so an auditor re-checks the payout against
 * the chain from an audit bundle alone. Leaves are carried up to MAX_EVIDENCE_LEAVES per tranche.
 */
export function reconciliationEvidence(
  chain: Pick<ConnectedChain, 'manifest'>,
  report: { dealId: string; period: number },
  payouts: TranchePayout[],
  result: Reconciliation,
): DistributionEvidence {
  const byTranche = new Map(result.tranches.map((t) => [t.trancheId, t]));
  return {
    dealId: report.dealId,
    period: report.period,
    chainId: chain.manifest.chainId,
    manager: chain.manifest.contracts.distributionManager.address,
    tranches: payouts.map((p) => {
      const r = byTranche.get(p.trancheId);
      return {
        trancheId: p.trancheId,
        classId: p.classId,
        token: p.token,
        distributionId: p.distributionId,
        merkleRoot: p.merkleRoot,
        engineCash: (p.total + p.remainder).toString(),
        entitled: p.total.toString(),
        recipients: p.recipients,
        funded: r?.funded ?? '0',
        paid: r?.paid ?? '0',
        remainder: r?.remainder ?? '0',
        differences: r?.differences.length ?? 0,
        fromBlock: p.fromBlock,
        leaves: p.leaves.length <= MAX_EVIDENCE_LEAVES ? p.leaves : null,
      };
    }),
  };
}
