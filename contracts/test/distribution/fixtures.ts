// Shared fixtures of the DistributionManager tests (one network connection, so `loadFixture` snapshots
// are shared by every file that uses them).
import { network } from 'hardhat';

import { type Payout, type Publication, payoutTree, signPublication } from './helpers.js';

export const { ethers, networkHelpers } = await network.create();

export const OPERATOR_ROLE = ethers.id('OPERATOR_ROLE');
export const PAUSER_ROLE = ethers.id('PAUSER_ROLE');
export const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;
export const DIST = ethers.id('distribution-2026-11-class-a');
export const USD = 1_000_000n;

/** A manager with roles granted, a funded treasury, three verified holders and their payout tree. */
export async function deployManager() {
  const signers = await ethers.getSigners();
  const [admin, operator, treasury, pauser, alice, bob, carol, stranger, o1, o2, o3, o4] = signers;
  const oracles = [o1, o2, o3];
  const stablecoin = await ethers.deployContract('MockStablecoin', [admin.address]);
  const token = await ethers.deployContract('MockERC3643Token');
  const manager = await ethers.deployContract('DistributionManager', [
    admin.address,
    treasury.address,
    oracles.map((o) => o.address),
    2,
  ]);
  await manager.grantRole(OPERATOR_ROLE, operator.address);
  await manager.grantRole(PAUSER_ROLE, pauser.address);
  await stablecoin.mint(treasury.address, 1_000_000n * USD);
  await stablecoin.connect(treasury).approve(await manager.getAddress(), ethers.MaxUint256);
  for (const h of [alice, bob, carol]) await token.setVerified(h.address, true);

  const payouts: Payout[] = [
    [0n, alice.address, 100n * USD],
    [1n, bob.address, 250n * USD],
    [2n, carol.address, 650n * USD],
  ];
  const tree = payoutTree(payouts);
  const total = 1000n * USD;
  const chainId = (await ethers.provider.getNetwork()).chainId;
  await networkHelpers.mine(2);
  const now = BigInt(await networkHelpers.time.latest());
  const publication: Publication = {
    distributionId: DIST,
    token: await token.getAddress(),
    stablecoin: await stablecoin.getAddress(),
    merkleRoot: tree.root,
    total,
    recordBlock: BigInt(await ethers.provider.getBlockNumber()) - 1n,
    claimDeadline: now + 30n * 86400n,
  };
  const sign = (pub: Publication, by = oracles.slice(0, 2)) => signPublication(manager, by, pub, chainId);
  const proofOf = (i: number) => tree.getProof(i);
  return {
    manager,
    stablecoin,
    token,
    admin,
    operator,
    treasury,
    pauser,
    alice,
    bob,
    carol,
    stranger,
    oracles,
    outsider: o4,
    payouts,
    tree,
    total,
    publication,
    sign,
    proofOf,
  };
}

/** `deployManager` with the distribution funded and published (2-of-3 oracle signatures). */
export async function publishedManager() {
  const f = await deployManager();
  await f.manager.connect(f.operator).fund(DIST, f.publication.stablecoin, f.total);
  await f.manager.connect(f.operator).publish(f.publication, await f.sign(f.publication));
  return f;
}
