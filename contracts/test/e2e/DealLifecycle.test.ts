// End to end on the in-process network: a deal's full T-REX suite, two verified investors, compliant
// and non-compliant transfers, then a distribution funded and published with 2-of-3 oracle signatures,
// claimed by one holder and pushed in a batch to the other.
import { expect } from 'chai';
import { network } from 'hardhat';

import {
  buildPayoutTree,
  deployDealSuite,
  deployPlatformContracts,
  registerInvestor,
  signPublication,
} from '@tranche/chain';

const { ethers, networkHelpers } = await network.create();

const US = 840;
const RESTRICTED = 408;
const DEAL = ethers.zeroPadValue('0x11112222333344445555666677778888', 32);
const USD = 1_000_000n;

async function deployDeal() {
  const [platform, alice, bob, carol, dave, o1, o2, o3] = await ethers.getSigners();
  const lockUpEnd = BigInt(await networkHelpers.time.latest()) + 365n * 86400n;
  // Our lock-up module from Hardhat's own build (so coverage sees it); T-REX modules are deployed by the suite.
  const lockUp = await ethers.deployContract('LockUpModule');
  const suite = await deployDealSuite(platform, {
    dealId: DEAL,
    modules: { lockUp: await lockUp.getAddress() },
    complianceKey: platform.address,
    restrictedCountries: [RESTRICTED],
    tranches: [
      {
        name: 'Tranche RMBS 2026-1 Class A',
        symbol: 'TR261A',
        lockUpEnd,
        maxBalance: 5_000n,
        supplyLimit: 10_000n,
      },
      { name: 'Tranche RMBS 2026-1 Class B', symbol: 'TR261B' },
    ],
  });
  const [classA, classB] = suite.tranches.map((t) => ethers.getContractAt('IERC3643TokenView', t.token));
  const tokenAbi = [
    'function mint(address,uint256)',
    'function transfer(address,uint256) returns (bool)',
    'function balanceOf(address) view returns (uint256)',
    'function totalSupply() view returns (uint256)',
    'function setAddressFrozen(address,bool)',
  ];
  const tokenA = new ethers.Contract(suite.tranches[0].token, tokenAbi, platform);
  const tokenB = new ethers.Contract(suite.tranches[1].token, tokenAbi, platform);
  for (const [investor, country] of [
    [alice, US],
    [bob, US],
    [dave, RESTRICTED],
  ] as const) {
    await registerInvestor(platform, platform, suite, { wallet: investor.address, country });
  }
  await tokenA.mint(alice.address, 3_000n);
  await tokenA.mint(bob.address, 1_000n);
  await tokenB.mint(alice.address, 2_000n);

  const manifest = await deployPlatformContracts(platform, {
    oracleSigners: [o1.address, o2.address, o3.address],
    oracleThreshold: 2,
  });
  const manager = await ethers.getContractAt(
    'DistributionManager',
    manifest.contracts.distributionManager.address,
  );
  const stablecoin = await ethers.getContractAt(
    'MockStablecoin',
    manifest.contracts.stablecoin?.address ?? '',
  );
  await Promise.all([classA, classB]);
  return {
    suite,
    tokenA,
    tokenB,
    manager,
    stablecoin,
    manifest,
    platform,
    alice,
    bob,
    carol,
    dave,
    oracles: [o1, o2, o3],
    lockUpEnd,
  };
}

describe('Deal lifecycle (T-REX suite + distribution)', function () {
  it('shares one identity registry across the tranche tokens and verifies registered investors', async function () {
    const { suite, alice, bob, carol } = await networkHelpers.loadFixture(deployDeal);
    const ir = await ethers.getContractAt('IERC3643IdentityRegistryView', suite.identityRegistry);
    for (const t of suite.tranches) {
      const token = await ethers.getContractAt('IERC3643TokenView', t.token);
      expect(await token.identityRegistry()).to.equal(suite.identityRegistry);
      expect(await token.compliance()).to.equal(t.compliance);
    }
    expect(await ir.isVerified(alice.address)).to.equal(true);
    expect(await ir.isVerified(bob.address)).to.equal(true);
    expect(await ir.isVerified(carol.address)).to.equal(false);
    expect(await ir.investorCountry(alice.address)).to.equal(BigInt(US));
  });

  it('lets a verified holder transfer to a verified investor', async function () {
    const { tokenB, alice, bob } = await networkHelpers.loadFixture(deployDeal);
    await expect(tokenB.connect(alice).getFunction('transfer')(bob.address, 100n)).to.changeTokenBalances(
      ethers,
      tokenB,
      [alice, bob],
      [-100n, 100n],
    );
  });

  it('blocks a transfer to an unverified receiver', async function () {
    const { tokenB, alice, carol } = await networkHelpers.loadFixture(deployDeal);
    await expect(tokenB.connect(alice).getFunction('transfer')(carol.address, 1n)).to.be.revertedWith(
      'Transfer not possible',
    );
  });

  it('blocks a transfer from a frozen sender', async function () {
    const { tokenB, alice, bob } = await networkHelpers.loadFixture(deployDeal);
    await tokenB.setAddressFrozen(alice.address, true);
    await expect(tokenB.connect(alice).getFunction('transfer')(bob.address, 1n)).to.be.revertedWith(
      'wallet is frozen',
    );
  });

  it('blocks a transfer to a restricted country', async function () {
    const { tokenB, alice, dave } = await networkHelpers.loadFixture(deployDeal);
    await expect(tokenB.connect(alice).getFunction('transfer')(dave.address, 1n)).to.be.revertedWith(
      'Transfer not possible',
    );
  });

  it('blocks locked-up tokens until the lock-up ends, then lets them move', async function () {
    const { tokenA, alice, bob, suite, lockUpEnd } = await networkHelpers.loadFixture(deployDeal);
    const lockUp = await ethers.getContractAt('LockUpModule', suite.modules.lockUp);
    expect(await lockUp.lockedBalance(suite.tranches[0].compliance, alice.address)).to.equal(3_000n);
    await expect(tokenA.connect(alice).getFunction('transfer')(bob.address, 10n)).to.be.revertedWith(
      'Transfer not possible',
    );
    await networkHelpers.time.increaseTo(lockUpEnd);
    await expect(tokenA.connect(alice).getFunction('transfer')(bob.address, 10n)).to.changeTokenBalances(
      ethers,
      tokenA,
      [alice, bob],
      [-10n, 10n],
    );
  });

  it('enforces T-REX max balance and supply limit modules at mint', async function () {
    const { tokenA, alice, bob } = await networkHelpers.loadFixture(deployDeal);
    await expect(tokenA.mint(alice.address, 2_001n)).to.be.revertedWith('Compliance not followed');
    await tokenA.mint(bob.address, 4_000n);
    await tokenA.mint(alice.address, 2_000n);
    expect(await tokenA.totalSupply()).to.equal(10_000n);
    await expect(tokenA.mint(alice.address, 1n)).to.be.revertedWith('Compliance not followed');
  });

  it('funds and publishes a distribution with 2-of-3 oracle signatures; holders claim and are batch-paid', async function () {
    const { tokenA, manager, stablecoin, platform, alice, bob, oracles, suite } =
      await networkHelpers.loadFixture(deployDeal);
    const recordBlock = BigInt(await ethers.provider.getBlockNumber());
    await networkHelpers.mine(1);
    // Payouts pro rata to Class A balances at the record block: 1,000,000 USD of interest.
    const holders = [alice.address, bob.address];
    const supply = (await tokenA.totalSupply({ blockTag: Number(recordBlock) })) as bigint;
    const amounts = await Promise.all(
      holders.map(
        async (h) =>
          (((await tokenA.balanceOf(h, { blockTag: Number(recordBlock) })) as bigint) * 1_000_000n * USD) /
          supply,
      ),
    );
    const tree = buildPayoutTree(holders.map((account, i) => ({ account, amount: amounts[i] ?? 0n })));
    const distributionId = ethers.id('TR261-2026-11-A');
    const publication = {
      distributionId,
      token: suite.tranches[0].token,
      stablecoin: await stablecoin.getAddress(),
      merkleRoot: tree.root,
      total: tree.total,
      recordBlock,
      claimDeadline: BigInt(await networkHelpers.time.latest()) + 90n * 86400n,
    };
    await manager.connect(platform).fund(distributionId, publication.stablecoin, tree.total);
    const signatures = await signPublication(
      {
        chainId: (await ethers.provider.getNetwork()).chainId,
        verifyingContract: await manager.getAddress(),
      },
      publication,
      [oracles[2], oracles[0]],
    );
    await expect(manager.connect(platform).publish(publication, signatures)).to.emit(
      manager,
      'DistributionPublished',
    );

    const aliceClaim = tree.claims[0];
    await expect(
      manager.connect(alice).claim(distributionId, aliceClaim.index, aliceClaim.amount, aliceClaim.proof),
    )
      .to.emit(manager, 'PayoutClaimed')
      .withArgs(distributionId, aliceClaim.index, alice.address, 750_000n * USD);
    await manager.connect(platform).batchClaimFor(distributionId, tree.claims);
    expect(await stablecoin.balanceOf(alice.address)).to.equal(750_000n * USD);
    expect(await stablecoin.balanceOf(bob.address)).to.equal(250_000n * USD);
    const d = await manager.distribution(distributionId);
    expect(d.claimed).to.equal(d.funded);
  });
});
