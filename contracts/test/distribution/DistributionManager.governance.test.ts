// DistributionManager: deployment, governance by the admin and the kill switch.
import { expect } from 'chai';

import {
  ethers,
  networkHelpers,
  PAUSER_ROLE,
  DEFAULT_ADMIN_ROLE,
  DIST,
  USD,
  deployManager,
  publishedManager,
} from './fixtures.js';

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

  describe("pauseToken (one tenant's kill switch)", function () {
    it("stops one token's funding, publication and claims; PAUSER_ROLE pauses, only the admin unpauses", async function () {
      const { manager, pauser, admin, operator, token, bob, proofOf } =
        await networkHelpers.loadFixture(publishedManager);
      const address = await token.getAddress();
      await expect(manager.connect(operator).pauseToken(address))
        .to.be.revertedWithCustomError(manager, 'AccessControlUnauthorizedAccount')
        .withArgs(operator.address, PAUSER_ROLE);
      await expect(manager.connect(pauser).pauseToken(address))
        .to.emit(manager, 'TokenPauseSet')
        .withArgs(address, true, pauser.address);
      expect(await manager.isTokenPaused(address)).to.equal(true);
      expect(await manager.paused()).to.equal(false);
      await expect(manager.connect(bob).claim(DIST, 1, 250n * USD, proofOf(1)))
        .to.be.revertedWithCustomError(manager, 'TokenIsPaused')
        .withArgs(address);
      await expect(manager.connect(pauser).unpauseToken(address))
        .to.be.revertedWithCustomError(manager, 'AccessControlUnauthorizedAccount')
        .withArgs(pauser.address, DEFAULT_ADMIN_ROLE);
      await manager.connect(admin).unpauseToken(address);
      await expect(manager.connect(bob).claim(DIST, 1, 250n * USD, proofOf(1))).to.emit(
        manager,
        'PayoutClaimed',
      );
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
