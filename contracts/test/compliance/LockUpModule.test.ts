import { expect } from 'chai';
import { network } from 'hardhat';

const { ethers, networkHelpers } = await network.create();

async function deployLockUp() {
  const [owner, alice, bob, stranger] = await ethers.getSigners();
  const module = await ethers.deployContract('LockUpModule');
  // The mock stablecoin stands in for the T-REX token: the module only reads balanceOf.
  const token = await ethers.deployContract('MockStablecoin', [owner.address]);
  const compliance = await ethers.deployContract('MockModularCompliance', [await token.getAddress()]);
  const moduleAddress = await module.getAddress();
  const complianceAddress = await compliance.getAddress();
  const call = (fn: string, args: unknown[]) =>
    compliance.forward(moduleAddress, module.interface.encodeFunctionData(fn, args));
  await call('bindCompliance', [complianceAddress]);
  const lockUpEnd = BigInt(await networkHelpers.time.latest()) + 86400n;
  await call('setLockUpEnd', [lockUpEnd]);
  // Issuance: 100 minted to alice under lock-up.
  await token.mint(alice.address, 100n);
  await call('moduleMintAction', [alice.address, 100n]);
  return { module, token, compliance, complianceAddress, call, lockUpEnd, owner, alice, bob, stranger };
}

describe('LockUpModule', function () {
  it('describes itself as a plug-and-play T-REX module', async function () {
    const { module, complianceAddress } = await networkHelpers.loadFixture(deployLockUp);
    expect(await module.name()).to.equal('LockUpModule');
    expect(await module.isPlugAndPlay()).to.equal(true);
    expect(await module.canComplianceBind(complianceAddress)).to.equal(true);
    expect(await module.isComplianceBound(complianceAddress)).to.equal(true);
  });

  it('locks tokens minted before the lock-up end and frees them after it', async function () {
    const { module, complianceAddress, alice, bob, lockUpEnd } =
      await networkHelpers.loadFixture(deployLockUp);
    expect(await module.lockUpEnd(complianceAddress)).to.equal(lockUpEnd);
    expect(await module.lockedBalance(complianceAddress, alice.address)).to.equal(100n);
    expect(await module.moduleCheck(alice.address, bob.address, 1n, complianceAddress)).to.equal(false);
    expect(await module.moduleCheck(ethers.ZeroAddress, alice.address, 1n, complianceAddress)).to.equal(true);
    await networkHelpers.time.increaseTo(lockUpEnd);
    expect(await module.moduleCheck(alice.address, bob.address, 100n, complianceAddress)).to.equal(true);
    expect(await module.lockedBalance(complianceAddress, alice.address)).to.equal(0n);
  });

  it('leaves tokens acquired by transfer free during the lock-up', async function () {
    const { module, token, complianceAddress, alice, bob } = await networkHelpers.loadFixture(deployLockUp);
    await token.mint(alice.address, 30n); // e.g. bought on the secondary market
    expect(await module.moduleCheck(alice.address, bob.address, 30n, complianceAddress)).to.equal(true);
    expect(await module.moduleCheck(alice.address, bob.address, 31n, complianceAddress)).to.equal(false);
    expect(await module.moduleCheck(bob.address, alice.address, 1n, complianceAddress)).to.equal(true);
  });

  it('shrinks the lock after a forced transfer or burn took locked tokens', async function () {
    const { module, token, complianceAddress, call, alice, bob } =
      await networkHelpers.loadFixture(deployLockUp);
    await token.connect(alice).transfer(bob.address, 60n); // an agent's forced transfer
    await call('moduleTransferAction', [alice.address, bob.address, 60n]);
    expect(await module.lockedBalance(complianceAddress, alice.address)).to.equal(40n);
    await call('moduleBurnAction', [alice.address, 0n]);
    expect(await module.lockedBalance(complianceAddress, alice.address)).to.equal(40n);
    await call('moduleBurnAction', [bob.address, 0n]);
    expect(await module.moduleCheck(alice.address, bob.address, 1n, complianceAddress)).to.equal(false);
  });

  it('does not lock mints after the lock-up ended', async function () {
    const { module, call, complianceAddress, bob, lockUpEnd } =
      await networkHelpers.loadFixture(deployLockUp);
    await networkHelpers.time.increaseTo(lockUpEnd + 1n);
    await call('moduleMintAction', [bob.address, 10n]);
    await call('setLockUpEnd', [lockUpEnd + 1000n]);
    expect(await module.lockedBalance(complianceAddress, bob.address)).to.equal(0n);
  });

  it('only lets a bound compliance call its hooks, and binds each compliance once', async function () {
    const { module, compliance, complianceAddress, call, stranger } =
      await networkHelpers.loadFixture(deployLockUp);
    for (const fn of [
      'setLockUpEnd',
      'moduleMintAction',
      'moduleBurnAction',
      'moduleTransferAction',
      'unbindCompliance',
    ]) {
      const args = {
        setLockUpEnd: [1n],
        moduleMintAction: [stranger.address, 1n],
        moduleBurnAction: [stranger.address, 1n],
        moduleTransferAction: [stranger.address, stranger.address, 1n],
        unbindCompliance: [stranger.address],
      }[fn] as unknown[];
      await expect(module.connect(stranger).getFunction(fn)(...args))
        .to.be.revertedWithCustomError(module, 'OnlyBoundCompliance')
        .withArgs(stranger.address);
    }
    await expect(module.connect(stranger).bindCompliance(complianceAddress))
      .to.be.revertedWithCustomError(module, 'InvalidCompliance')
      .withArgs(complianceAddress);
    await expect(module.connect(stranger).bindCompliance(ethers.ZeroAddress))
      .to.be.revertedWithCustomError(module, 'InvalidCompliance')
      .withArgs(ethers.ZeroAddress);
    await expect(call('bindCompliance', [complianceAddress]))
      .to.be.revertedWithCustomError(module, 'ComplianceAlreadyBound')
      .withArgs(complianceAddress);
    await expect(call('unbindCompliance', [stranger.address]))
      .to.be.revertedWithCustomError(module, 'InvalidCompliance')
      .withArgs(stranger.address);
    await expect(call('unbindCompliance', [complianceAddress]))
      .to.emit(module, 'ComplianceUnbound')
      .withArgs(complianceAddress);
    expect(await module.isComplianceBound(await compliance.getAddress())).to.equal(false);
  });
});

describe('test doubles', function () {
  it('MockStablecoin has 6 decimals and only its owner mints', async function () {
    const [owner, other] = await ethers.getSigners();
    const coin = await ethers.deployContract('MockStablecoin', [owner.address]);
    expect(await coin.decimals()).to.equal(6n);
    await expect(coin.connect(other).mint(other.address, 1n))
      .to.be.revertedWithCustomError(coin, 'OwnableUnauthorizedAccount')
      .withArgs(other.address);
  });

  it('MockERC3643Token answers the ERC-3643 views it implements', async function () {
    const [, holder] = await ethers.getSigners();
    const token = await ethers.deployContract('MockERC3643Token');
    expect(await token.compliance()).to.equal(ethers.ZeroAddress);
    expect(await token.balanceOf(holder.address)).to.equal(0n);
    expect(await token.investorCountry(holder.address)).to.equal(0n);
    expect(await token.identity(holder.address)).to.equal(ethers.ZeroAddress);
  });
});
