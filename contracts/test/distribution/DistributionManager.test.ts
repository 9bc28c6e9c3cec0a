import { expect } from 'chai';
import { network } from 'hardhat';

import { type Payout, type Publication, payoutTree, signPublication } from './helpers.js';

const { ethers, networkHelpers } = await network.create();

const OPERATOR_ROLE = ethers.id('OPERATOR_ROLE');
const PAUSER_ROLE = ethers.id('PAUSER_ROLE');
const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;
const DIST = ethers.id('distribution-2026-11-class-a');
const USD = 1_000_000n;

async function deployManager() {
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

async function publishedManager() {
  const f = await deployManager();
  await f.manager.connect(f.operator).fund(DIST, f.publication.stablecoin, f.total);
  await f.manager.connect(f.operator).publish(f.publication, await f.sign(f.publication));
  return f;
}

describe('DistributionManager', function () {
  describe('deployment and governance', function () {
    it('records the admin, treasury, oracle signers and threshold', async function () {
      const { manager, admin, treasury, oracles, outsider } = await networkHelpers.loadFixture(deployManager);
      expect(await manager.hasRole(DEFAULT_ADMIN_ROLE, admin.address)).to.equal(true);
      expect(await manager.treasury()).to.equal(treasury.address);
      expect(await manager.oracleThreshold()).to.equal(2n);
      expect(await manager.oracleSignerCount()).to.equal(3n);
      expect(await manager.isOracleSigner(oracles[0].address)).to.equal(true);
      expect(await manager.isOracleSigner(outsider.address)).to.equal(false);
    });

    it('rejects a zero admin, a zero treasury, a zero signer and an impossible threshold at deployment', async function () {
      const { admin, treasury, oracles } = await networkHelpers.loadFixture(deployManager);
      const factory = await ethers.getContractFactory('DistributionManager');
      const signers = oracles.map((o) => o.address);
      await expect(factory.deploy(ethers.ZeroAddress, treasury.address, signers, 2))
        .to.be.revertedWithCustomError(factory, 'ZeroAddress')
        .withArgs('admin');
      await expect(factory.deploy(admin.address, ethers.ZeroAddress, signers, 2))
        .to.be.revertedWithCustomError(factory, 'ZeroAddress')
        .withArgs('treasury');
      await expect(factory.deploy(admin.address, treasury.address, [ethers.ZeroAddress], 1))
        .to.be.revertedWithCustomError(factory, 'ZeroAddress')
        .withArgs('signer');
      await expect(factory.deploy(admin.address, treasury.address, signers, 4))
        .to.be.revertedWithCustomError(factory, 'InvalidOracleThreshold')
        .withArgs(4, 3);
      await expect(factory.deploy(admin.address, treasury.address, signers, 0))
        .to.be.revertedWithCustomError(factory, 'InvalidOracleThreshold')
        .withArgs(0, 3);
      await expect(factory.deploy(admin.address, treasury.address, [signers[0], signers[0]], 1))
        .to.be.revertedWithCustomError(factory, 'OracleSignerUnchanged')
        .withArgs(signers[0], true);
    });

    it('lets the admin add and remove oracle signers, keeping threshold <= signers', async function () {
      const { manager, oracles, outsider } = await networkHelpers.loadFixture(deployManager);
      await expect(manager.setOracleSigner(outsider.address, true))
        .to.emit(manager, 'OracleSignerSet')
        .withArgs(outsider.address, true);
      expect(await manager.oracleSignerCount()).to.equal(4n);
      await expect(manager.setOracleSigner(outsider.address, true))
        .to.be.revertedWithCustomError(manager, 'OracleSignerUnchanged')
        .withArgs(outsider.address, true);
      await manager.setOracleSigner(outsider.address, false);
      await manager.setOracleSigner(oracles[2].address, false);
      await expect(manager.setOracleSigner(oracles[1].address, false))
        .to.be.revertedWithCustomError(manager, 'InvalidOracleThreshold')
        .withArgs(2, 1);
    });

    it('lets the admin change the threshold and the treasury', async function () {
      const { manager, stranger } = await networkHelpers.loadFixture(deployManager);
      await expect(manager.setOracleThreshold(3)).to.emit(manager, 'OracleThresholdSet').withArgs(3);
      await expect(manager.setOracleThreshold(4))
        .to.be.revertedWithCustomError(manager, 'InvalidOracleThreshold')
        .withArgs(4, 3);
      await expect(manager.setTreasury(stranger.address))
        .to.emit(manager, 'TreasurySet')
        .withArgs(stranger.address);
      await expect(manager.setTreasury(ethers.ZeroAddress))
        .to.be.revertedWithCustomError(manager, 'ZeroAddress')
        .withArgs('treasury');
    });

    it('restricts governance functions to the admin', async function () {
      const { manager, operator, stranger } = await networkHelpers.loadFixture(deployManager);
      const m = manager.connect(operator);
      for (const call of [
        () => m.setOracleSigner(stranger.address, true),
        () => m.setOracleThreshold(1),
        () => m.setTreasury(stranger.address),
        () => m.unpause(),
      ]) {
        await expect(call())
          .to.be.revertedWithCustomError(manager, 'AccessControlUnauthorizedAccount')
          .withArgs(operator.address, DEFAULT_ADMIN_ROLE);
      }
      await expect(m.pause())
        .to.be.revertedWithCustomError(manager, 'AccessControlUnauthorizedAccount')
        .withArgs(operator.address, PAUSER_ROLE);
    });
  });

  describe('fund', function () {
    it('pulls the stablecoin from the treasury into the escrow', async function () {
      const { manager, stablecoin, operator, treasury, total } =
        await networkHelpers.loadFixture(deployManager);
      const coin = await stablecoin.getAddress();
      await expect(manager.connect(operator).fund(DIST, coin, 400n * USD))
        .to.emit(manager, 'DistributionFunded')
        .withArgs(DIST, coin, 400n * USD, 400n * USD);
      await expect(manager.connect(operator).fund(DIST, coin, 600n * USD)).to.changeTokenBalances(
        ethers,
        stablecoin,
        [treasury, manager],
        [-600n * USD, 600n * USD],
      );
      expect((await manager.distribution(DIST)).funded).to.equal(total);
    });

    it('rejects a zero stablecoin, a zero amount and a different stablecoin', async function () {
      const { manager, operator, stablecoin, admin } = await networkHelpers.loadFixture(deployManager);
      const m = manager.connect(operator);
      const coin = await stablecoin.getAddress();
      await expect(m.fund(DIST, ethers.ZeroAddress, 1))
        .to.be.revertedWithCustomError(manager, 'ZeroAddress')
        .withArgs('stablecoin');
      await expect(m.fund(DIST, coin, 0)).to.be.revertedWithCustomError(manager, 'ZeroAmount');
      await m.fund(DIST, coin, 1);
      const other = await ethers.deployContract('MockStablecoin', [admin.address]);
      await expect(m.fund(DIST, await other.getAddress(), 1))
        .to.be.revertedWithCustomError(manager, 'StablecoinMismatch')
        .withArgs(DIST, coin, await other.getAddress());
    });

    it('is restricted to OPERATOR_ROLE and stopped by the kill switch', async function () {
      const { manager, operator, pauser, stranger, stablecoin } =
        await networkHelpers.loadFixture(deployManager);
      const coin = await stablecoin.getAddress();
      await expect(manager.connect(stranger).fund(DIST, coin, 1))
        .to.be.revertedWithCustomError(manager, 'AccessControlUnauthorizedAccount')
        .withArgs(stranger.address, OPERATOR_ROLE);
      await manager.connect(pauser).pause();
      await expect(manager.connect(operator).fund(DIST, coin, 1)).to.be.revertedWithCustomError(
        manager,
        'EnforcedPause',
      );
    });
  });

  describe('publish', function () {
    it('publishes with 2-of-3 oracle signatures and emits DistributionPublished', async function () {
      const { manager, operator, publication, sign, total } = await networkHelpers.loadFixture(deployManager);
      await manager.connect(operator).fund(DIST, publication.stablecoin, total);
      await expect(manager.connect(operator).publish(publication, await sign(publication)))
        .to.emit(manager, 'DistributionPublished')
        .withArgs(
          DIST,
          publication.token,
          publication.stablecoin,
          publication.merkleRoot,
          total,
          publication.recordBlock,
          publication.claimDeadline,
        );
      const d = await manager.distribution(DIST);
      expect(d.merkleRoot).to.equal(publication.merkleRoot);
      expect(d.total).to.equal(total);
      expect(d.publishedAt).to.be.greaterThan(0n);
      expect(await manager.publicationDigest(publication)).to.equal(
        ethers.TypedDataEncoder.hash(
          {
            name: 'Tranche DistributionManager',
            version: '1',
            chainId: (await ethers.provider.getNetwork()).chainId,
            verifyingContract: await manager.getAddress(),
          },
          (await import('./helpers.js')).PUBLICATION_TYPES,
          publication,
        ),
      );
    });

    it('rejects too few signatures, a non-oracle signer, duplicates and unordered signers', async function () {
      const { manager, operator, publication, sign, oracles, outsider, total } =
        await networkHelpers.loadFixture(deployManager);
      const m = manager.connect(operator);
      await m.fund(DIST, publication.stablecoin, total);
      const one = await sign(publication, [oracles[0]]);
      await expect(m.publish(publication, one))
        .to.be.revertedWithCustomError(manager, 'InsufficientOracleSignatures')
        .withArgs(1, 2);
      const withOutsider = await sign(publication, [oracles[0], outsider]);
      const outsiderPos = BigInt(outsider.address) < BigInt(oracles[0].address) ? 0 : 1;
      await expect(m.publish(publication, withOutsider))
        .to.be.revertedWithCustomError(manager, 'InvalidOracleSignature')
        .withArgs(outsiderPos, outsider.address);
      const [sigA] = await sign(publication, [oracles[0]]);
      await expect(m.publish(publication, [sigA, sigA]))
        .to.be.revertedWithCustomError(manager, 'InvalidOracleSignature')
        .withArgs(1, oracles[0].address);
      const ordered = await sign(publication, [oracles[0], oracles[1]]);
      await expect(m.publish(publication, [ordered[1], ordered[0]])).to.be.revertedWithCustomError(
        manager,
        'InvalidOracleSignature',
      );
      await expect(m.publish(publication, ['0x1234', ordered[1]]))
        .to.be.revertedWithCustomError(manager, 'InvalidOracleSignature')
        .withArgs(0, ethers.ZeroAddress);
    });

    it('rejects signatures over different fields (the oracles sign exactly what is published)', async function () {
      const { manager, operator, publication, sign, total } = await networkHelpers.loadFixture(deployManager);
      await manager.connect(operator).fund(DIST, publication.stablecoin, total);
      const signatures = await sign(publication);
      const tampered = { ...publication, merkleRoot: ethers.id('another root') };
      await expect(manager.connect(operator).publish(tampered, signatures)).to.be.revertedWithCustomError(
        manager,
        'InvalidOracleSignature',
      );
    });

    it('validates the publication: funding, stablecoin, token, root, total, record block, deadline, once', async function () {
      const { manager, operator, publication, sign, total, admin } =
        await networkHelpers.loadFixture(deployManager);
      const m = manager.connect(operator);
      const attempt = async (pub: Publication) => m.publish(pub, await sign(pub));
      await expect(attempt(publication))
        .to.be.revertedWithCustomError(manager, 'StablecoinMismatch')
        .withArgs(DIST, ethers.ZeroAddress, publication.stablecoin);
      await m.fund(DIST, publication.stablecoin, total - 1n);
      await expect(attempt(publication))
        .to.be.revertedWithCustomError(manager, 'InsufficientFunding')
        .withArgs(DIST, total - 1n, total);
      await m.fund(DIST, publication.stablecoin, 1n);
      await expect(attempt({ ...publication, token: ethers.ZeroAddress }))
        .to.be.revertedWithCustomError(manager, 'ZeroAddress')
        .withArgs('token');
      await expect(attempt({ ...publication, merkleRoot: ethers.ZeroHash })).to.be.revertedWithCustomError(
        manager,
        'ZeroMerkleRoot',
      );
      await expect(attempt({ ...publication, total: 0n })).to.be.revertedWithCustomError(
        manager,
        'ZeroAmount',
      );
      const other = await ethers.deployContract('MockStablecoin', [admin.address]);
      await expect(attempt({ ...publication, stablecoin: await other.getAddress() }))
        .to.be.revertedWithCustomError(manager, 'StablecoinMismatch')
        .withArgs(DIST, publication.stablecoin, await other.getAddress());
      const future = BigInt(await ethers.provider.getBlockNumber()) + 5n;
      await expect(attempt({ ...publication, recordBlock: future })).to.be.revertedWithCustomError(
        manager,
        'RecordBlockNotInPast',
      );
      const past = BigInt(await networkHelpers.time.latest()) - 1n;
      await expect(attempt({ ...publication, claimDeadline: past })).to.be.revertedWithCustomError(
        manager,
        'ClaimDeadlineNotInFuture',
      );
      await attempt(publication);
      await expect(attempt(publication))
        .to.be.revertedWithCustomError(manager, 'DistributionAlreadyPublished')
        .withArgs(DIST);
    });

    it('is restricted to OPERATOR_ROLE and stopped by the kill switch', async function () {
      const { manager, operator, pauser, stranger, publication, sign } =
        await networkHelpers.loadFixture(deployManager);
      const signatures = await sign(publication);
      await expect(manager.connect(stranger).publish(publication, signatures))
        .to.be.revertedWithCustomError(manager, 'AccessControlUnauthorizedAccount')
        .withArgs(stranger.address, OPERATOR_ROLE);
      await manager.connect(pauser).pause();
      await expect(manager.connect(operator).publish(publication, signatures)).to.be.revertedWithCustomError(
        manager,
        'EnforcedPause',
      );
    });
  });

  describe('claim', function () {
    it('pays a verified holder by Merkle proof and marks the payout claimed', async function () {
      const { manager, stablecoin, bob, proofOf } = await networkHelpers.loadFixture(publishedManager);
      await expect(manager.connect(bob).claim(DIST, 1, 250n * USD, proofOf(1)))
        .to.emit(manager, 'PayoutClaimed')
        .withArgs(DIST, 1, bob.address, 250n * USD);
      expect(await stablecoin.balanceOf(bob.address)).to.equal(250n * USD);
      expect(await manager.isClaimed(DIST, 1)).to.equal(true);
      expect(await manager.isClaimed(DIST, 0)).to.equal(false);
      expect((await manager.distribution(DIST)).claimed).to.equal(250n * USD);
    });

    it('is idempotent: a second claim reverts with PayoutAlreadyClaimed', async function () {
      const { manager, bob, proofOf } = await networkHelpers.loadFixture(publishedManager);
      await manager.connect(bob).claim(DIST, 1, 250n * USD, proofOf(1));
      await expect(manager.connect(bob).claim(DIST, 1, 250n * USD, proofOf(1)))
        .to.be.revertedWithCustomError(manager, 'PayoutAlreadyClaimed')
        .withArgs(DIST, 1);
    });

    it("rejects another account's proof and a wrong amount with InvalidMerkleProof", async function () {
      const { manager, alice, bob, proofOf } = await networkHelpers.loadFixture(publishedManager);
      await expect(manager.connect(alice).claim(DIST, 1, 250n * USD, proofOf(1)))
        .to.be.revertedWithCustomError(manager, 'InvalidMerkleProof')
        .withArgs(DIST, 1, alice.address, 250n * USD);
      await expect(manager.connect(bob).claim(DIST, 1, 251n * USD, proofOf(1)))
        .to.be.revertedWithCustomError(manager, 'InvalidMerkleProof')
        .withArgs(DIST, 1, bob.address, 251n * USD);
    });

    it('pays only holders verified and not frozen in the identity registry', async function () {
      const { manager, token, alice, bob, proofOf } = await networkHelpers.loadFixture(publishedManager);
      await token.setVerified(alice.address, false);
      await expect(manager.connect(alice).claim(DIST, 0, 100n * USD, proofOf(0)))
        .to.be.revertedWithCustomError(manager, 'HolderNotEligible')
        .withArgs(DIST, alice.address);
      await token.setFrozen(bob.address, true);
      await expect(manager.connect(bob).claim(DIST, 1, 250n * USD, proofOf(1)))
        .to.be.revertedWithCustomError(manager, 'HolderNotEligible')
        .withArgs(DIST, bob.address);
    });

    it('rejects claims on unpublished distributions, after the deadline and while paused', async function () {
      const { manager, pauser, admin, alice, proofOf, publication } =
        await networkHelpers.loadFixture(publishedManager);
      const other = ethers.id('other');
      await expect(manager.connect(alice).claim(other, 0, 100n * USD, proofOf(0)))
        .to.be.revertedWithCustomError(manager, 'DistributionNotPublished')
        .withArgs(other);
      await manager.connect(pauser).pause();
      await expect(
        manager.connect(alice).claim(DIST, 0, 100n * USD, proofOf(0)),
      ).to.be.revertedWithCustomError(manager, 'EnforcedPause');
      await manager.connect(admin).unpause();
      await networkHelpers.time.increaseTo(publication.claimDeadline + 1n);
      await expect(manager.connect(alice).claim(DIST, 0, 100n * USD, proofOf(0)))
        .to.be.revertedWithCustomError(manager, 'ClaimPeriodEnded')
        .withArgs(DIST, publication.claimDeadline);
    });

    it('never pays more than the total, even if the tree does (claimed <= total <= funded)', async function () {
      const f = await networkHelpers.loadFixture(deployManager);
      const greedy = payoutTree([
        [0n, f.alice.address, 600n * USD],
        [1n, f.bob.address, 600n * USD],
      ]);
      const pub = { ...f.publication, merkleRoot: greedy.root };
      await f.manager.connect(f.operator).fund(DIST, pub.stablecoin, f.total);
      await f.manager.connect(f.operator).publish(pub, await f.sign(pub));
      await f.manager.connect(f.alice).claim(DIST, 0, 600n * USD, greedy.getProof(0));
      await expect(f.manager.connect(f.bob).claim(DIST, 1, 600n * USD, greedy.getProof(1)))
        .to.be.revertedWithCustomError(f.manager, 'PayoutExceedsTotal')
        .withArgs(DIST, 600n * USD, 600n * USD, f.total);
    });
  });

  describe('claimFor and batchClaimFor (push payouts)', function () {
    it('claimFor pays the holder, not the operator', async function () {
      const { manager, stablecoin, operator, carol, proofOf } =
        await networkHelpers.loadFixture(publishedManager);
      await expect(manager.connect(operator).claimFor(DIST, 2, carol.address, 650n * USD, proofOf(2)))
        .to.emit(manager, 'PayoutClaimed')
        .withArgs(DIST, 2, carol.address, 650n * USD);
      expect(await stablecoin.balanceOf(carol.address)).to.equal(650n * USD);
      await expect(manager.connect(operator).claimFor(DIST, 2, carol.address, 650n * USD, proofOf(2)))
        .to.be.revertedWithCustomError(manager, 'PayoutAlreadyClaimed')
        .withArgs(DIST, 2);
    });

    it('claimFor checks proof and eligibility, and is restricted to OPERATOR_ROLE', async function () {
      const { manager, token, operator, alice, carol, proofOf } =
        await networkHelpers.loadFixture(publishedManager);
      await expect(manager.connect(operator).claimFor(DIST, 2, alice.address, 650n * USD, proofOf(2)))
        .to.be.revertedWithCustomError(manager, 'InvalidMerkleProof')
        .withArgs(DIST, 2, alice.address, 650n * USD);
      await token.setFrozen(carol.address, true);
      await expect(manager.connect(operator).claimFor(DIST, 2, carol.address, 650n * USD, proofOf(2)))
        .to.be.revertedWithCustomError(manager, 'HolderNotEligible')
        .withArgs(DIST, carol.address);
      await expect(manager.connect(carol).claimFor(DIST, 2, carol.address, 650n * USD, proofOf(2)))
        .to.be.revertedWithCustomError(manager, 'AccessControlUnauthorizedAccount')
        .withArgs(carol.address, OPERATOR_ROLE);
    });

    it('batchClaimFor pays everyone once and skips the already paid and the ineligible', async function () {
      const { manager, stablecoin, token, operator, alice, bob, payouts, proofOf } =
        await networkHelpers.loadFixture(publishedManager);
      await manager.connect(alice).claim(DIST, 0, 100n * USD, proofOf(0));
      await token.setFrozen(bob.address, true);
      const batch = payouts.map(([index, account, amount], i) => ({
        index,
        account,
        amount,
        proof: proofOf(i),
      }));
      const tx = manager.connect(operator).batchClaimFor(DIST, batch);
      await expect(tx).to.emit(manager, 'PayoutSkipped').withArgs(DIST, 0, alice.address, 0);
      await expect(tx).to.emit(manager, 'PayoutSkipped').withArgs(DIST, 1, bob.address, 1);
      expect(await stablecoin.balanceOf(payouts[2][1])).to.equal(650n * USD);
      expect(await manager.connect(operator).batchClaimFor.staticCall(DIST, batch)).to.equal(0n);
      await token.setFrozen(bob.address, false);
      expect(await manager.connect(operator).batchClaimFor.staticCall(DIST, batch)).to.equal(1n);
    });

    it('batchClaimFor reverts the whole batch on an invalid proof', async function () {
      const { manager, operator, alice, proofOf } = await networkHelpers.loadFixture(publishedManager);
      const batch = [{ index: 0n, account: alice.address, amount: 1n, proof: proofOf(0) }];
      await expect(manager.connect(operator).batchClaimFor(DIST, batch))
        .to.be.revertedWithCustomError(manager, 'InvalidMerkleProof')
        .withArgs(DIST, 0, alice.address, 1n);
    });

    it('batchClaimFor is restricted to OPERATOR_ROLE', async function () {
      const { manager, stranger } = await networkHelpers.loadFixture(publishedManager);
      await expect(manager.connect(stranger).batchClaimFor(DIST, []))
        .to.be.revertedWithCustomError(manager, 'AccessControlUnauthorizedAccount')
        .withArgs(stranger.address, OPERATOR_ROLE);
    });
  });

  describe('sweep', function () {
    it('returns the unclaimed remainder to the treasury after the deadline, once', async function () {
      const { manager, stablecoin, treasury, alice, proofOf, publication } =
        await networkHelpers.loadFixture(publishedManager);
      await manager.connect(alice).claim(DIST, 0, 100n * USD, proofOf(0));
      await networkHelpers.time.increaseTo(publication.claimDeadline + 1n);
      await expect(manager.connect(treasury).sweep(DIST))
        .to.emit(manager, 'DistributionSwept')
        .withArgs(DIST, treasury.address, 900n * USD);
      expect(await stablecoin.balanceOf(await manager.getAddress())).to.equal(0n);
      expect((await manager.distribution(DIST)).swept).to.equal(true);
      await expect(manager.connect(treasury).sweep(DIST))
        .to.be.revertedWithCustomError(manager, 'DistributionClosed')
        .withArgs(DIST);
    });

    it('refuses before the deadline, for unpublished distributions and for strangers', async function () {
      const { manager, operator, treasury, stranger, publication } =
        await networkHelpers.loadFixture(publishedManager);
      await expect(manager.connect(treasury).sweep(DIST))
        .to.be.revertedWithCustomError(manager, 'ClaimPeriodNotEnded')
        .withArgs(DIST, publication.claimDeadline);
      await expect(manager.connect(operator).sweep(ethers.id('x')))
        .to.be.revertedWithCustomError(manager, 'DistributionNotPublished')
        .withArgs(ethers.id('x'));
      await expect(manager.connect(stranger).sweep(DIST))
        .to.be.revertedWithCustomError(manager, 'UnauthorizedSweeper')
        .withArgs(stranger.address);
    });

    it('an operator can sweep a fully claimed distribution (nothing to return)', async function () {
      const { manager, operator, payouts, proofOf, publication } =
        await networkHelpers.loadFixture(publishedManager);
      const batch = payouts.map(([index, account, amount], i) => ({
        index,
        account,
        amount,
        proof: proofOf(i),
      }));
      await manager.connect(operator).batchClaimFor(DIST, batch);
      await networkHelpers.time.increaseTo(publication.claimDeadline + 1n);
      expect(await manager.connect(operator).sweep.staticCall(DIST)).to.equal(0n);
      await manager.connect(operator).sweep(DIST);
      await expect(manager.connect(operator).fund(DIST, publication.stablecoin, 1n))
        .to.be.revertedWithCustomError(manager, 'DistributionClosed')
        .withArgs(DIST);
    });
  });

  describe('kill switch', function () {
    it('pause and unpause emit Paused/Unpaused', async function () {
      const { manager, pauser, admin } = await networkHelpers.loadFixture(deployManager);
      await expect(manager.connect(pauser).pause()).to.emit(manager, 'Paused').withArgs(pauser.address);
      await expect(manager.connect(admin).unpause()).to.emit(manager, 'Unpaused').withArgs(admin.address);
    });
  });
});
