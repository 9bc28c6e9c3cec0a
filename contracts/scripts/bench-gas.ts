// Gas benchmark of the payout rail and tranche transfers on the in-process network.
// Prints `BENCH <metric> <value> gas` lines: publish for 10 / 1,000 / 10,000 holders (flat: O(1)),
// a holder's claim and the per-holder cost of a pushed batch (both against real T-REX eligibility
// checks), and a compliant T-REX transfer. Run: `pnpm bench:gas` (= `hardhat run contracts/scripts/bench-gas.ts`).
import { network } from 'hardhat';

import {
  buildPayoutTree,
  deployDealSuite,
  deployPlatformContracts,
  registerInvestor,
  signPublication,
} from '@tranche/chain';

const { ethers, networkHelpers } = await network.create();
const [platform, alice, bob, o1, o2, o3] = await ethers.getSigners();
const BATCH = 50;

function bench(metric: string, value: bigint | number): void {
  console.log(`BENCH ${metric} ${value.toString()} gas`);
}

async function gasOf(tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error('no receipt');
  return receipt.gasUsed;
}

const suite = await deployDealSuite(platform, {
  dealId: ethers.id('bench-deal'),
  complianceKey: platform.address,
  restrictedCountries: [408],
  tranches: [{ name: 'Bench Class A', symbol: 'BNCHA', maxBalance: 10n ** 12n, supplyLimit: 10n ** 15n }],
});
const token = new ethers.Contract(
  suite.tranches[0]?.token ?? '',
  ['function mint(address,uint256)', 'function transfer(address,uint256) returns (bool)'],
  platform,
);
const batchHolders = Array.from(
  { length: BATCH },
  (_, i) => new ethers.Wallet(ethers.id(`bench-holder-${i}`)).address,
);
for (const wallet of [alice.address, bob.address, ...batchHolders]) {
  await registerInvestor(platform, platform, suite, { wallet, country: 840 });
}
await token.mint(alice.address, 1_000n);
await token.mint(bob.address, 1_000n);
bench('trex_compliant_transfer', await gasOf(token.connect(alice).getFunction('transfer')(bob.address, 10n)));

const manifest = await deployPlatformContracts(platform, {
  oracleSigners: [o1.address, o2.address, o3.address],
});
const manager = await ethers.getContractAt(
  'DistributionManager',
  manifest.contracts.distributionManager.address,
);
const stablecoin = manifest.contracts.stablecoin?.address ?? '';
const chainId = (await ethers.provider.getNetwork()).chainId;

for (const holders of [10, 1_000, 10_000]) {
  const payouts = Array.from({ length: holders }, (_, i) => ({
    account:
      i === 0
        ? alice.address
        : i <= BATCH
          ? (batchHolders[i - 1] ?? '')
          : ethers.getAddress(ethers.toBeHex(i + 0x1000, 20)),
    amount: 1_000_000n + BigInt(i),
  }));
  const tree = buildPayoutTree(payouts);
  const distributionId = ethers.id(`bench-${holders}`);
  await networkHelpers.mine(1);
  const publication = {
    distributionId,
    token: suite.tranches[0]?.token ?? '',
    stablecoin,
    merkleRoot: tree.root,
    total: tree.total,
    recordBlock: BigInt(await ethers.provider.getBlockNumber()) - 1n,
    claimDeadline: BigInt(await networkHelpers.time.latest()) + 86400n * 90n,
  };
  await manager.fund(distributionId, stablecoin, tree.total);
  const signatures = await signPublication(
    { chainId, verifyingContract: await manager.getAddress() },
    publication,
    [o1, o2],
  );
  bench(`publish_${holders}_holders`, await gasOf(manager.publish(publication, signatures)));

  if (holders === 10_000) {
    const first = tree.claims[0];
    if (!first) throw new Error('empty tree');
    bench(
      'claim_10000_holders',
      await gasOf(manager.connect(alice).claim(distributionId, first.index, first.amount, first.proof)),
    );
    const batch = tree.claims.slice(1, BATCH + 1);
    const used = await gasOf(manager.batchClaimFor(distributionId, batch));
    bench(`batch_claim_per_holder_${BATCH}`, used / BigInt(batch.length));
    // a claim once the distribution's first claims are in (its bitmap word and claimed total are
    // already written), to a holder with no stablecoin yet: what most holders pay
    const later = tree.claims[BATCH + 1];
    if (!later) throw new Error('tree too small');
    bench(
      'claim_10000_holders_not_first',
      await gasOf(manager.claimFor(distributionId, later.index, later.account, later.amount, later.proof)),
    );
  }
}
