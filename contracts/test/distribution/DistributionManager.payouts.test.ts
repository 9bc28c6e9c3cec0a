// DistributionManager: claims, pushed payouts (claimFor / batchClaimFor) and the sweep after the deadline.
import { expect } from 'chai';

import {
  ethers,
  networkHelpers,
  OPERATOR_ROLE,
  DIST,
  USD,
  deployManager,
  publishedManager,
} from './fixtures.js';
import { payoutTree } from './helpers.js';

describe('DistributionManager', function () {
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

    it('pays the holders of the signed leaves (eligible at the record block) unless frozen since', async function () {
      const { manager, token, stablecoin, alice, bob, proofOf } =
        await networkHelpers.loadFixture(publishedManager);
      // verification was checked by the oracles at the record block; the leaf carries it
      await token.setVerified(alice.address, false);
      await manager.connect(alice).claim(DIST, 0, 100n * USD, proofOf(0));
      expect(await stablecoin.balanceOf(alice.address)).to.equal(100n * USD);
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
});
