import { expect } from 'chai';
import { network } from 'hardhat';

const { ethers, networkHelpers } = await network.create();

const ARRANGER_ROLE = ethers.id('ARRANGER_ROLE');
const SERVICER_ROLE = ethers.id('SERVICER_ROLE');
const PAUSER_ROLE = ethers.id('PAUSER_ROLE');
// The BN254 scalar field order in its usual hex form (independent of the decimal literal in the contract).
const BN254_R = 0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001n;
const DEAL = ethers.zeroPadValue('0x0123456789abcdef0123456789abcdef', 32);
const META = ethers.id('deal metadata v1');
const SHA = ethers.sha256(ethers.toUtf8Bytes('loan tape'));
const THRESHOLDS = {
  maxDelinquencyBps: 500,
  delinquencyDays: 60,
  maxWaLtvBps: 8000,
  minBalance: 1_000_000_00n,
};

async function deployRegistry() {
  const [admin, arranger, servicer, stranger, tokenA, tokenB, pauser] = await ethers.getSigners();
  const registry = await ethers.deployContract('DealRegistry', [admin.address]);
  await registry.grantRole(ARRANGER_ROLE, arranger.address);
  await registry.grantRole(SERVICER_ROLE, servicer.address);
  await registry.grantRole(PAUSER_ROLE, pauser.address);
  return { registry, admin, arranger, servicer, stranger, pauser, tokens: [tokenA.address, tokenB.address] };
}

describe('DealRegistry', function () {
  it('exposes the role ids as keccak256 of their names', async function () {
    const { registry } = await networkHelpers.loadFixture(deployRegistry);
    expect(await registry.ARRANGER_ROLE()).to.equal(ARRANGER_ROLE);
    expect(await registry.SERVICER_ROLE()).to.equal(SERVICER_ROLE);
    expect(await registry.PAUSER_ROLE()).to.equal(PAUSER_ROLE);
  });

  describe('registerDeal', function () {
    it('registers a deal with its tranche tokens and emits DealRegistered', async function () {
      const { registry, arranger, tokens } = await networkHelpers.loadFixture(deployRegistry);
      await expect(registry.connect(arranger).registerDeal(DEAL, META, tokens))
        .to.emit(registry, 'DealRegistered')
        .withArgs(DEAL, META, tokens);
      const deal = await registry.deal(DEAL);
      expect(deal.metadataHash).to.equal(META);
      expect(deal.trancheTokens).to.deep.equal(tokens);
      expect(deal.registeredAt).to.be.greaterThan(0n);
    });

    it('is append-only: a second registration reverts with DealAlreadyRegistered', async function () {
      const { registry, arranger, tokens } = await networkHelpers.loadFixture(deployRegistry);
      await registry.connect(arranger).registerDeal(DEAL, META, tokens);
      await expect(registry.connect(arranger).registerDeal(DEAL, META, tokens))
        .to.be.revertedWithCustomError(registry, 'DealAlreadyRegistered')
        .withArgs(DEAL);
    });

    it('rejects a zero deal id, a zero metadata hash and bad tranche token lists', async function () {
      const { registry, arranger, tokens } = await networkHelpers.loadFixture(deployRegistry);
      const r = registry.connect(arranger);
      await expect(r.registerDeal(ethers.ZeroHash, META, tokens))
        .to.be.revertedWithCustomError(registry, 'InvalidDealId')
        .withArgs(ethers.ZeroHash);
      await expect(r.registerDeal(DEAL, ethers.ZeroHash, tokens)).to.be.revertedWithCustomError(
        registry,
        'ZeroHash',
      );
      await expect(r.registerDeal(DEAL, META, []))
        .to.be.revertedWithCustomError(registry, 'InvalidTrancheToken')
        .withArgs(0, ethers.ZeroAddress);
      await expect(r.registerDeal(DEAL, META, [tokens[0], ethers.ZeroAddress]))
        .to.be.revertedWithCustomError(registry, 'InvalidTrancheToken')
        .withArgs(1, ethers.ZeroAddress);
      await expect(r.registerDeal(DEAL, META, [tokens[0], tokens[0]]))
        .to.be.revertedWithCustomError(registry, 'InvalidTrancheToken')
        .withArgs(1, tokens[0]);
    });

    it('is restricted to ARRANGER_ROLE', async function () {
      const { registry, servicer, tokens } = await networkHelpers.loadFixture(deployRegistry);
      await expect(registry.connect(servicer).registerDeal(DEAL, META, tokens))
        .to.be.revertedWithCustomError(registry, 'AccessControlUnauthorizedAccount')
        .withArgs(servicer.address, ARRANGER_ROLE);
    });

    it('reverts deal() for an unknown deal with DealNotRegistered', async function () {
      const { registry } = await networkHelpers.loadFixture(deployRegistry);
      await expect(registry.deal(DEAL))
        .to.be.revertedWithCustomError(registry, 'DealNotRegistered')
        .withArgs(DEAL);
    });
  });

  describe('anchorDataset', function () {
    it('anchors a dataset per deal and period and emits DatasetAnchored', async function () {
      const { registry, servicer } = await networkHelpers.loadFixture(deployRegistry);
      const root = 12345n;
      await expect(registry.connect(servicer).anchorDataset(DEAL, 202611, SHA, root))
        .to.emit(registry, 'DatasetAnchored')
        .withArgs(DEAL, 202611, SHA, root);
      const anchor = await registry.datasetAnchor(DEAL, 202611);
      expect(anchor.fileSha256).to.equal(SHA);
      expect(anchor.poseidonRoot).to.equal(root);
      expect(anchor.anchoredAt).to.be.greaterThan(0n);
      expect(await registry.isDatasetAnchored(DEAL, 202611)).to.equal(true);
      expect(await registry.isDatasetAnchored(DEAL, 202612)).to.equal(false);
      await registry.connect(servicer).anchorDataset(DEAL, 202612, SHA, root + 1n);
      expect(await registry.anchoredPeriods(DEAL)).to.deep.equal([202611n, 202612n]);
    });

    it('is append-only: a second anchor for the same period reverts with DatasetAlreadyAnchored', async function () {
      const { registry, servicer } = await networkHelpers.loadFixture(deployRegistry);
      await registry.connect(servicer).anchorDataset(DEAL, 202611, SHA, 1n);
      await expect(registry.connect(servicer).anchorDataset(DEAL, 202611, SHA, 2n))
        .to.be.revertedWithCustomError(registry, 'DatasetAlreadyAnchored')
        .withArgs(DEAL, 202611);
    });

    it('accepts the largest field element and rejects a root outside the BN254 scalar field', async function () {
      const { registry, servicer } = await networkHelpers.loadFixture(deployRegistry);
      await registry.connect(servicer).anchorDataset(DEAL, 202601, SHA, BN254_R - 1n);
      await expect(registry.connect(servicer).anchorDataset(DEAL, 202602, SHA, BN254_R))
        .to.be.revertedWithCustomError(registry, 'PoseidonRootOutOfField')
        .withArgs(BN254_R);
    });

    it('rejects a zero deal id, a malformed period and a zero file hash', async function () {
      const { registry, servicer } = await networkHelpers.loadFixture(deployRegistry);
      const r = registry.connect(servicer);
      await expect(r.anchorDataset(ethers.ZeroHash, 202611, SHA, 1n))
        .to.be.revertedWithCustomError(registry, 'InvalidDealId')
        .withArgs(ethers.ZeroHash);
      for (const period of [202600, 202613, 189912, 0, 1]) {
        await expect(r.anchorDataset(DEAL, period, SHA, 1n))
          .to.be.revertedWithCustomError(registry, 'InvalidPeriod')
          .withArgs(period);
      }
      await expect(r.anchorDataset(DEAL, 202611, ethers.ZeroHash, 1n)).to.be.revertedWithCustomError(
        registry,
        'ZeroHash',
      );
    });

    it('is restricted to SERVICER_ROLE', async function () {
      const { registry, arranger } = await networkHelpers.loadFixture(deployRegistry);
      await expect(registry.connect(arranger).anchorDataset(DEAL, 202611, SHA, 1n))
        .to.be.revertedWithCustomError(registry, 'AccessControlUnauthorizedAccount')
        .withArgs(arranger.address, SERVICER_ROLE);
    });

    it('reverts datasetAnchor() for a missing anchor with DatasetNotAnchored', async function () {
      const { registry } = await networkHelpers.loadFixture(deployRegistry);
      await expect(registry.datasetAnchor(DEAL, 202611))
        .to.be.revertedWithCustomError(registry, 'DatasetNotAnchored')
        .withArgs(DEAL, 202611);
    });
  });

  describe('setCovenantThresholds', function () {
    it('records versions, returns the latest and emits CovenantThresholdsSet', async function () {
      const { registry, arranger } = await networkHelpers.loadFixture(deployRegistry);
      await expect(registry.connect(arranger).setCovenantThresholds(DEAL, THRESHOLDS))
        .to.emit(registry, 'CovenantThresholdsSet')
        .withArgs(DEAL, 1, Object.values(THRESHOLDS));
      const tighter = { ...THRESHOLDS, maxDelinquencyBps: 300 };
      await registry.connect(arranger).setCovenantThresholds(DEAL, tighter);
      expect((await registry.covenantThresholds(DEAL)).maxDelinquencyBps).to.equal(300n);
      expect(await registry.covenantVersionCount(DEAL)).to.equal(2n);
      expect((await registry.covenantThresholdsAt(DEAL, 1)).maxDelinquencyBps).to.equal(500n);
      const latest = await registry.covenantThresholdsAt(DEAL, 2);
      expect(latest.delinquencyDays).to.equal(60n);
      expect(latest.maxWaLtvBps).to.equal(8000n);
      expect(latest.minBalance).to.equal(THRESHOLDS.minBalance);
    });

    it('reverts covenantThresholds() with CovenantsNotSet and unknown versions with CovenantVersionNotFound', async function () {
      const { registry, arranger } = await networkHelpers.loadFixture(deployRegistry);
      await expect(registry.covenantThresholds(DEAL))
        .to.be.revertedWithCustomError(registry, 'CovenantsNotSet')
        .withArgs(DEAL);
      await registry.connect(arranger).setCovenantThresholds(DEAL, THRESHOLDS);
      for (const version of [0, 2]) {
        await expect(registry.covenantThresholdsAt(DEAL, version))
          .to.be.revertedWithCustomError(registry, 'CovenantVersionNotFound')
          .withArgs(DEAL, version);
      }
    });

    it('rejects inconsistent thresholds and a zero deal id', async function () {
      const { registry, arranger } = await networkHelpers.loadFixture(deployRegistry);
      const r = registry.connect(arranger);
      const over = { ...THRESHOLDS, maxDelinquencyBps: 10_001 };
      await expect(r.setCovenantThresholds(DEAL, over))
        .to.be.revertedWithCustomError(registry, 'InvalidCovenantThresholds')
        .withArgs(Object.values(over));
      const noBucket = { ...THRESHOLDS, delinquencyDays: 0 };
      await expect(r.setCovenantThresholds(DEAL, noBucket))
        .to.be.revertedWithCustomError(registry, 'InvalidCovenantThresholds')
        .withArgs(Object.values(noBucket));
      await expect(r.setCovenantThresholds(ethers.ZeroHash, THRESHOLDS))
        .to.be.revertedWithCustomError(registry, 'InvalidDealId')
        .withArgs(ethers.ZeroHash);
    });

    it('is restricted to ARRANGER_ROLE', async function () {
      const { registry, stranger } = await networkHelpers.loadFixture(deployRegistry);
      await expect(registry.connect(stranger).setCovenantThresholds(DEAL, THRESHOLDS))
        .to.be.revertedWithCustomError(registry, 'AccessControlUnauthorizedAccount')
        .withArgs(stranger.address, ARRANGER_ROLE);
    });
  });

  describe('registerDocument', function () {
    it('appends documents and emits DocumentRegistered with their index', async function () {
      const { registry, arranger } = await networkHelpers.loadFixture(deployRegistry);
      const hash = ethers.id('prospectus.pdf');
      await expect(registry.connect(arranger).registerDocument(DEAL, hash, 'ipfs://prospectus'))
        .to.emit(registry, 'DocumentRegistered')
        .withArgs(DEAL, 0, hash, 'ipfs://prospectus');
      await registry.connect(arranger).registerDocument(DEAL, ethers.id('psa.pdf'), 's3://docs/psa.pdf');
      expect(await registry.documentCount(DEAL)).to.equal(2n);
      const doc = await registry.document(DEAL, 1);
      expect(doc.documentHash).to.equal(ethers.id('psa.pdf'));
      expect(doc.uri).to.equal('s3://docs/psa.pdf');
      await expect(registry.document(DEAL, 2))
        .to.be.revertedWithCustomError(registry, 'DocumentNotFound')
        .withArgs(DEAL, 2);
    });

    it('rejects a zero deal id, a zero hash and an empty URI', async function () {
      const { registry, arranger } = await networkHelpers.loadFixture(deployRegistry);
      const r = registry.connect(arranger);
      await expect(r.registerDocument(ethers.ZeroHash, META, 'x'))
        .to.be.revertedWithCustomError(registry, 'InvalidDealId')
        .withArgs(ethers.ZeroHash);
      await expect(r.registerDocument(DEAL, ethers.ZeroHash, 'x')).to.be.revertedWithCustomError(
        registry,
        'ZeroHash',
      );
      await expect(r.registerDocument(DEAL, META, '')).to.be.revertedWithCustomError(registry, 'EmptyUri');
    });

    it('is restricted to ARRANGER_ROLE', async function () {
      const { registry, servicer } = await networkHelpers.loadFixture(deployRegistry);
      await expect(registry.connect(servicer).registerDocument(DEAL, META, 'x'))
        .to.be.revertedWithCustomError(registry, 'AccessControlUnauthorizedAccount')
        .withArgs(servicer.address, ARRANGER_ROLE);
    });
  });

  describe("pauseDeal (one tenant's kill switch)", function () {
    it('stops writes about that deal only; PAUSER_ROLE pauses, only the admin unpauses', async function () {
      const { registry, admin, arranger, servicer, pauser, stranger, tokens } =
        await networkHelpers.loadFixture(deployRegistry);
      const other = ethers.zeroPadValue('0x02', 32);
      await registry.connect(arranger).registerDeal(DEAL, META, tokens);
      await expect(registry.connect(stranger).pauseDeal(DEAL))
        .to.be.revertedWithCustomError(registry, 'AccessControlUnauthorizedAccount')
        .withArgs(stranger.address, PAUSER_ROLE);
      await expect(registry.connect(pauser).pauseDeal(DEAL))
        .to.emit(registry, 'DealPauseSet')
        .withArgs(DEAL, true, pauser.address);
      expect(await registry.isDealPaused(DEAL)).to.equal(true);
      expect(await registry.paused()).to.equal(false);
      for (const write of [
        () => registry.connect(arranger).setCovenantThresholds(DEAL, THRESHOLDS),
        () => registry.connect(servicer).anchorDataset(DEAL, 202611, SHA, 1n),
        () => registry.connect(arranger).registerDocument(DEAL, META, 'ipfs://doc'),
      ]) {
        await expect(write()).to.be.revertedWithCustomError(registry, 'DealIsPaused').withArgs(DEAL);
      }
      await registry.connect(arranger).registerDocument(other, META, 'ipfs://doc'); // another deal goes on
      await expect(registry.connect(pauser).unpauseDeal(DEAL)).to.be.revertedWithCustomError(
        registry,
        'AccessControlUnauthorizedAccount',
      );
      await expect(registry.connect(admin).unpauseDeal(DEAL))
        .to.emit(registry, 'DealPauseSet')
        .withArgs(DEAL, false, admin.address);
      await registry.connect(arranger).registerDocument(DEAL, META, 'ipfs://doc');
      expect(await registry.documentCount(DEAL)).to.equal(1n);
    });
  });

  describe('pause (kill switch)', function () {
    it('is restricted to PAUSER_ROLE, takes effect at once and cannot be repeated', async function () {
      const { registry, pauser, stranger } = await networkHelpers.loadFixture(deployRegistry);
      await expect(registry.connect(stranger).pause())
        .to.be.revertedWithCustomError(registry, 'AccessControlUnauthorizedAccount')
        .withArgs(stranger.address, PAUSER_ROLE);
      await expect(registry.connect(pauser).pause()).to.emit(registry, 'Paused').withArgs(pauser.address);
      expect(await registry.paused()).to.equal(true);
      await expect(registry.connect(pauser).pause()).to.be.revertedWithCustomError(registry, 'EnforcedPause');
    });

    it('refuses every registration with EnforcedPause while paused; reads keep working', async function () {
      const { registry, arranger, servicer, pauser, tokens } =
        await networkHelpers.loadFixture(deployRegistry);
      await registry.connect(arranger).registerDeal(DEAL, META, tokens);
      await registry.connect(pauser).pause();
      const other = ethers.zeroPadValue('0x02', 32);
      await expect(
        registry.connect(arranger).registerDeal(other, META, tokens),
      ).to.be.revertedWithCustomError(registry, 'EnforcedPause');
      await expect(
        registry.connect(arranger).setCovenantThresholds(DEAL, THRESHOLDS),
      ).to.be.revertedWithCustomError(registry, 'EnforcedPause');
      await expect(
        registry.connect(servicer).anchorDataset(DEAL, 202611, SHA, 1n),
      ).to.be.revertedWithCustomError(registry, 'EnforcedPause');
      await expect(
        registry.connect(arranger).registerDocument(DEAL, META, 'ipfs://doc'),
      ).to.be.revertedWithCustomError(registry, 'EnforcedPause');
      expect((await registry.deal(DEAL)).metadataHash).to.equal(META);
      expect(await registry.isDatasetAnchored(DEAL, 202611)).to.equal(false);
      expect(await registry.documentCount(DEAL)).to.equal(0n);
      expect(await registry.covenantVersionCount(DEAL)).to.equal(0n);
    });

    it('is lifted only by DEFAULT_ADMIN_ROLE (the timelock), after which registrations work again', async function () {
      const { registry, admin, arranger, pauser, tokens } = await networkHelpers.loadFixture(deployRegistry);
      await expect(registry.connect(admin).unpause()).to.be.revertedWithCustomError(
        registry,
        'ExpectedPause',
      );
      await registry.connect(pauser).pause();
      await expect(registry.connect(pauser).unpause())
        .to.be.revertedWithCustomError(registry, 'AccessControlUnauthorizedAccount')
        .withArgs(pauser.address, ethers.ZeroHash);
      await expect(registry.connect(admin).unpause()).to.emit(registry, 'Unpaused').withArgs(admin.address);
      expect(await registry.paused()).to.equal(false);
      await expect(registry.connect(arranger).registerDeal(DEAL, META, tokens)).to.emit(
        registry,
        'DealRegistered',
      );
    });
  });
});
