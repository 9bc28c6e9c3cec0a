import { expect } from 'chai';
import { network } from 'hardhat';

const { ethers } = await network.create();

const OPERATOR_ROLE = ethers.id('OPERATOR_ROLE');
const PAUSER_ROLE = ethers.id('PAUSER_ROLE');
const DEAL = ethers.zeroPadValue('0x1b4e28ba2fa111d2883f0016d3cca427', 32);
const TYPES = {
  AuditReport: [
    { name: 'dealId', type: 'bytes32' },
    { name: 'bundleSha256', type: 'bytes32' },
    { name: 'resultDigest', type: 'bytes32' },
    { name: 'verified', type: 'bool' },
    { name: 'verifiedAt', type: 'uint64' },
  ],
};

async function deploy() {
  const [admin, relayer, pauser, auditor, stranger] = await ethers.getSigners();
  const registry = await ethers.deployContract('AuditReportRegistry', [admin.address]);
  await registry.grantRole(OPERATOR_ROLE, relayer.address);
  await registry.grantRole(PAUSER_ROLE, pauser.address);
  const { chainId } = await ethers.provider.getNetwork();
  const domain = {
    name: 'Tranche Audit Reports',
    version: '1',
    chainId,
    verifyingContract: await registry.getAddress(),
  };
  const report = (overrides: Partial<Record<string, unknown>> = {}) => ({
    dealId: DEAL,
    bundleSha256: ethers.sha256(ethers.toUtf8Bytes('bundle')),
    resultDigest: ethers.sha256(ethers.toUtf8Bytes('checks')),
    verified: true,
    verifiedAt: 1_764_800_000,
    ...overrides,
  });
  return { registry, admin, relayer, pauser, auditor, stranger, domain, report };
}

describe('AuditReportRegistry', () => {
  it('records a report signed by the auditor and relayed by the platform, with the signer as auditor', async () => {
    const { registry, relayer, auditor, domain, report } = await deploy();
    const r = report();
    const signature = await auditor.signTypedData(domain, TYPES, r);
    const digest = ethers.TypedDataEncoder.hash(domain, TYPES, r);
    expect(await registry.digestOf(r)).to.equal(digest);
    await expect(registry.connect(relayer).record(r, signature))
      .to.emit(registry, 'AuditReportRecorded')
      .withArgs(DEAL, auditor.address, digest, 0, r.bundleSha256, r.resultDigest, true);
    expect(await registry.isRecorded(digest)).to.equal(true);
    expect(await registry.reportCount(DEAL)).to.equal(1n);
    const stored = await registry.reportAt(DEAL, 0);
    expect(stored.auditor).to.equal(auditor.address);
    expect(stored.verified).to.equal(true);
    expect(stored.verifiedAt).to.equal(1_764_800_000n);
  });

  it('lets the auditor record their own report, and records a report that did not verify as such', async () => {
    const { registry, auditor, domain, report } = await deploy();
    const r = report({ verified: false });
    await registry.connect(auditor).record(r, await auditor.signTypedData(domain, TYPES, r));
    expect((await registry.reportAt(DEAL, 0)).verified).to.equal(false);
  });

  it('refuses a stranger relaying, a replay, a changed report, a bad signature and an empty report', async () => {
    const { registry, relayer, auditor, stranger, domain, report } = await deploy();
    const r = report();
    const signature = await auditor.signTypedData(domain, TYPES, r);
    await expect(registry.connect(stranger).record(r, signature))
      .to.be.revertedWithCustomError(registry, 'UnauthorizedRecorder')
      .withArgs(stranger.address, auditor.address);
    await registry.connect(relayer).record(r, signature);
    await expect(registry.connect(relayer).record(r, signature)).to.be.revertedWithCustomError(
      registry,
      'ReportAlreadyRecorded',
    );
    // the same signature over another result recovers another (unknown) signer: only the
    // operator could relay it, and it would name that signer, not the auditor
    const changed = report({ resultDigest: ethers.sha256(ethers.toUtf8Bytes('other')) });
    await expect(registry.connect(auditor).record(changed, signature)).to.be.revertedWithCustomError(
      registry,
      'UnauthorizedRecorder',
    );
    await expect(registry.connect(relayer).record(r, '0x1234')).to.be.revertedWithCustomError(
      registry,
      'UnauthorizedRecorder',
    );
    const empty = report({ bundleSha256: ethers.ZeroHash });
    await expect(
      registry.connect(relayer).record(empty, await auditor.signTypedData(domain, TYPES, empty)),
    ).to.be.revertedWithCustomError(registry, 'EmptyReport');
    await expect(registry.reportAt(DEAL, 5)).to.be.revertedWithCustomError(registry, 'ReportNotFound');
  });

  it('stops recording while paused (PAUSER_ROLE), and only the admin lifts it', async () => {
    const { registry, admin, relayer, pauser, auditor, stranger, domain, report } = await deploy();
    await expect(registry.connect(stranger).pause()).to.be.revertedWithCustomError(
      registry,
      'AccessControlUnauthorizedAccount',
    );
    await registry.connect(pauser).pause();
    const r = report();
    const signature = await auditor.signTypedData(domain, TYPES, r);
    await expect(registry.connect(relayer).record(r, signature)).to.be.revertedWithCustomError(
      registry,
      'EnforcedPause',
    );
    await expect(registry.connect(pauser).unpause()).to.be.revertedWithCustomError(
      registry,
      'AccessControlUnauthorizedAccount',
    );
    await registry.connect(admin).unpause();
    await registry.connect(relayer).record(r, signature);
    expect(await registry.reportCount(DEAL)).to.equal(1n);
  });
});
