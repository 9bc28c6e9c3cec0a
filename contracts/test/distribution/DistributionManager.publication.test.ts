// DistributionManager: funding a distribution and publishing it with k-of-n oracle signatures.
import { expect } from 'chai';

import { ethers, networkHelpers, OPERATOR_ROLE, DIST, USD, deployManager } from './fixtures.js';
import { PUBLICATION_TYPES, type Publication } from './helpers.js';

describe('DistributionManager', function () {
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
          PUBLICATION_TYPES,
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
});
