// SPDX-License-Identifier: GPL-3.0-or-later
// PoolAttestationVerifier against the real DealRegistry and the generated Groth16 verifier of the
// smallest circuit instance, with real proofs from @tranche/circuits (a workspace devDependency whose
// dist/ and circuit artifacts `build:ci` produces before the contract tests run).
import { expect } from 'chai';
import { network } from 'hardhat';

import {
  dealIdToBytes32,
  poolLeaves,
  poolRoot,
  provePoolAttestation,
  releaseCurve,
  toVerifierCalldata,
  type PoolAttestation,
  type PoolLoan,
  type VerifierCalldata,
} from '@tranche/circuits';

const { ethers, networkHelpers } = await network.create();

const ARRANGER_ROLE = ethers.id('ARRANGER_ROLE');
const SERVICER_ROLE = ethers.id('SERVICER_ROLE');
const DEAL_ID = 0x1b4e28ba2fa111d2883f0016d3cca427n;
const OTHER_DEAL_ID = 0x9d2c4e1f00aa4b6c8e0f1a2b3c4d5e6fn;
const DEAL = dealIdToBytes32(DEAL_ID);
const OTHER_DEAL = dealIdToBytes32(OTHER_DEAL_ID);
const PERIOD = 202611;
const OTHER_PERIOD = 202612;
const THRESHOLDS = {
  maxDelinquencyBps: 500,
  delinquencyDays: 60,
  maxWaLtvBps: 8_000,
  minBalance: 1_000_000_00n,
};
const SHA = ethers.sha256(ethers.toUtf8Bytes('loan tape 2026-11'));
const META = ethers.id('deal metadata v1');

const loans: PoolLoan[] = Array.from({ length: 11 }, (_, i) => ({
  balance: i === 3 ? 5_000_000n : 25_000_000n + BigInt(i) * 1_000_000n,
  ltvBps: 6_000 + i * 150,
  daysDelinquent: i === 3 ? 90 : i === 5 ? 30 : 0,
}));
const salts = loans.map((_, i) => 0x5eed_0000n + BigInt(i) * 7_919n);

let attestation: PoolAttestation;
let calldata: VerifierCalldata;
let root: bigint;

before(async function () {
  this.timeout(120_000);
  root = await poolRoot(await poolLeaves(loans, salts));
  attestation = await provePoolAttestation(loans, salts, THRESHOLDS, { dealId: DEAL_ID, period: PERIOD });
  calldata = toVerifierCalldata(attestation.proof, attestation.publicSignals);
});
after(releaseCurve);

async function deployAttestation() {
  const [admin, arranger, servicer, anyone] = await ethers.getSigners();
  const registry = await ethers.deployContract('DealRegistry', [admin.address]);
  await registry.grantRole(ARRANGER_ROLE, arranger.address);
  await registry.grantRole(SERVICER_ROLE, servicer.address);
  const groth16 = await ethers.deployContract('Groth16VerifierPool16');
  const verifier = await ethers.deployContract('PoolAttestationVerifier', [
    await registry.getAddress(),
    [16],
    [await groth16.getAddress()],
  ]);
  for (const deal of [DEAL, OTHER_DEAL]) {
    await registry.connect(arranger).registerDeal(deal, META, [anyone.address]);
    await registry.connect(arranger).setCovenantThresholds(deal, THRESHOLDS);
  }
  await registry.connect(servicer).anchorDataset(DEAL, PERIOD, SHA, root);
  return { registry, groth16, verifier, admin, arranger, servicer, anyone };
}

function attest(
  verifier: Awaited<ReturnType<typeof deployAttestation>>['verifier'],
  deal = DEAL,
  period = PERIOD,
  capacity = 16,
) {
  return verifier.attest(deal, period, capacity, calldata.pA, calldata.pB, calldata.pC);
}

describe('PoolAttestationVerifier', function () {
  it('accepts a proof against the anchored root and registered thresholds, from anyone, and records it', async function () {
    const { verifier, registry, groth16, anyone } = await networkHelpers.loadFixture(deployAttestation);
    expect(await verifier.registry()).to.equal(await registry.getAddress());
    expect(await verifier.verifierFor(16)).to.equal(await groth16.getAddress());
    expect(await verifier.verifierFor(64)).to.equal(ethers.ZeroAddress);
    await expect(attest(verifier.connect(anyone)))
      .to.emit(verifier, 'PoolAttested')
      .withArgs(DEAL, PERIOD, root, 16, anyone.address);
    expect(await verifier.isAttested(DEAL, PERIOD)).to.equal(true);
    const recorded = await verifier.attestation(DEAL, PERIOD);
    expect(recorded.poolRoot).to.equal(root);
    expect(recorded.capacity).to.equal(16n);
    expect(recorded.submitter).to.equal(anyone.address);
    expect(recorded.thresholds.maxWaLtvBps).to.equal(BigInt(THRESHOLDS.maxWaLtvBps));
  });

  it('rejects a second attestation for the same deal and period', async function () {
    const { verifier } = await networkHelpers.loadFixture(deployAttestation);
    await attest(verifier);
    await expect(attest(verifier))
      .to.be.revertedWithCustomError(verifier, 'AttestationAlreadyRecorded')
      .withArgs(DEAL, PERIOD);
  });

  it('rejects the proof against another anchored root', async function () {
    const { verifier, servicer, registry } = await networkHelpers.loadFixture(deployAttestation);
    await registry.connect(servicer).anchorDataset(DEAL, OTHER_PERIOD, SHA, root + 1n);
    // same deal, a period whose anchored root differs
    await expect(attest(verifier, DEAL, OTHER_PERIOD))
      .to.be.revertedWithCustomError(verifier, 'InvalidProof')
      .withArgs(DEAL, OTHER_PERIOD);
  });

  it('rejects the proof for another period even when the same root is anchored there', async function () {
    const { verifier, servicer, registry } = await networkHelpers.loadFixture(deployAttestation);
    await registry.connect(servicer).anchorDataset(DEAL, OTHER_PERIOD, SHA, root);
    await expect(attest(verifier, DEAL, OTHER_PERIOD))
      .to.be.revertedWithCustomError(verifier, 'InvalidProof')
      .withArgs(DEAL, OTHER_PERIOD);
  });

  it('rejects the proof for another deal even with the same root and thresholds', async function () {
    const { verifier, servicer, registry } = await networkHelpers.loadFixture(deployAttestation);
    await registry.connect(servicer).anchorDataset(OTHER_DEAL, PERIOD, SHA, root);
    await expect(attest(verifier, OTHER_DEAL, PERIOD))
      .to.be.revertedWithCustomError(verifier, 'InvalidProof')
      .withArgs(OTHER_DEAL, PERIOD);
  });

  it('rejects the proof once the registered thresholds differ from the proven ones', async function () {
    const { verifier, arranger, registry } = await networkHelpers.loadFixture(deployAttestation);
    await registry.connect(arranger).setCovenantThresholds(DEAL, { ...THRESHOLDS, maxWaLtvBps: 7_999 });
    await expect(attest(verifier))
      .to.be.revertedWithCustomError(verifier, 'InvalidProof')
      .withArgs(DEAL, PERIOD);
  });

  it('rejects a tampered proof', async function () {
    const { verifier } = await networkHelpers.loadFixture(deployAttestation);
    const pA: [bigint, bigint] = [calldata.pA[0], calldata.pA[1] + 1n];
    await expect(verifier.attest(DEAL, PERIOD, 16, pA, calldata.pB, calldata.pC)).to.be.revert(ethers);
    const pC: [bigint, bigint] = [calldata.pA[0], calldata.pA[1]];
    await expect(verifier.attest(DEAL, PERIOD, 16, calldata.pA, calldata.pB, pC))
      .to.be.revertedWithCustomError(verifier, 'InvalidProof')
      .withArgs(DEAL, PERIOD);
  });

  it('rejects an unknown circuit capacity and an unanchored period', async function () {
    const { verifier, registry } = await networkHelpers.loadFixture(deployAttestation);
    await expect(attest(verifier, DEAL, PERIOD, 64))
      .to.be.revertedWithCustomError(verifier, 'UnknownCircuitCapacity')
      .withArgs(64);
    await expect(attest(verifier, DEAL, OTHER_PERIOD)).to.be.revertedWithCustomError(
      registry,
      'DatasetNotAnchored',
    );
  });

  it('reverts AttestationNotFound for a period without an attestation', async function () {
    const { verifier } = await networkHelpers.loadFixture(deployAttestation);
    expect(await verifier.isAttested(DEAL, PERIOD)).to.equal(false);
    await expect(verifier.attestation(DEAL, PERIOD))
      .to.be.revertedWithCustomError(verifier, 'AttestationNotFound')
      .withArgs(DEAL, PERIOD);
  });

  it('refuses an inconsistent verifier configuration', async function () {
    const { registry, groth16 } = await networkHelpers.loadFixture(deployAttestation);
    const factory = await ethers.getContractFactory('PoolAttestationVerifier');
    const g = await groth16.getAddress();
    const r = await registry.getAddress();
    await expect(
      ethers.deployContract('PoolAttestationVerifier', [r, [16, 16], [g, g]]),
    ).to.be.revertedWithCustomError(factory, 'InvalidVerifierConfig');
    await expect(
      ethers.deployContract('PoolAttestationVerifier', [r, [16], []]),
    ).to.be.revertedWithCustomError(factory, 'InvalidVerifierConfig');
  });

  it('the generated Groth16 verifier accepts the snarkjs calldata and rejects a tampered signal', async function () {
    const { groth16 } = await networkHelpers.loadFixture(deployAttestation);
    expect(await groth16.verifyProof(calldata.pA, calldata.pB, calldata.pC, calldata.pubSignals)).to.equal(
      true,
    );
    const tampered = [...calldata.pubSignals];
    tampered[2] = root + 1n;
    expect(await groth16.verifyProof(calldata.pA, calldata.pB, calldata.pC, tampered)).to.equal(false);
    const gas = await groth16.verifyProof.estimateGas(
      calldata.pA,
      calldata.pB,
      calldata.pC,
      calldata.pubSignals,
    );
    expect(gas).to.be.lessThan(300_000n);
  });
});
