// SPDX-License-Identifier: GPL-3.0-or-later
// Verification gas of the pool-attestation verifiers on Hardhat's in-process EVM (EDR), with the proofs
// saved by scripts/bench.mjs. Run from the workspace root: `hardhat run circuits/scripts/bench-gas.ts`
// (the root `bench:zk` script does). Prints `BENCH zk.verify_gas_<N>` (Groth16 verifyProof, whole
// transaction) and `BENCH zk.attest_gas_<N>` (PoolAttestationVerifier.attest against a DealRegistry).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { network } from 'hardhat';

interface SavedProof {
  capacity: number;
  root: string;
  publicSignals: string[];
  pA: [string, string];
  pB: [[string, string], [string, string]];
  pC: [string, string];
}

const { ethers } = await network.create();
const [admin] = await ethers.getSigners();
const buildDir = process.env['TRANCHE_CIRCUITS_BUILD_DIR'] ?? join(process.cwd(), 'circuits', 'build');
const THRESHOLDS = { maxDelinquencyBps: 1_000, delinquencyDays: 60, maxWaLtvBps: 9_000, minBalance: 1n };
const bench = (metric: string, value: bigint | number, unit: string): void =>
  console.log(`BENCH ${metric} ${value} ${unit}`);

for (const capacity of [16, 64, 256, 1024, 4096]) {
  const file = join(buildDir, `pool${capacity}`, 'bench-proof.json');
  if (!existsSync(file)) continue;
  const p = JSON.parse(readFileSync(file, 'utf8')) as SavedProof;
  let groth16;
  try {
    groth16 = await ethers.deployContract(`Groth16VerifierPool${capacity}`);
  } catch {
    console.log(`# no compiled Groth16VerifierPool${capacity} (generated verifier not committed): skipped`);
    continue;
  }
  const signals = p.publicSignals.map((s) => BigInt(s));
  if (!(await groth16.getFunction('verifyProof').staticCall(p.pA, p.pB, p.pC, signals))) {
    throw new Error(`pool${capacity}: saved proof does not verify on-chain (stale build?)`);
  }
  const gas = await groth16.getFunction('verifyProof').estimateGas(p.pA, p.pB, p.pC, signals);
  bench(`zk.verify_gas_${capacity}`, gas, 'gas');

  const registry = await ethers.deployContract('DealRegistry', [admin.address]);
  await registry.grantRole(ethers.id('ARRANGER_ROLE'), admin.address);
  await registry.grantRole(ethers.id('SERVICER_ROLE'), admin.address);
  const dealId = ethers.zeroPadValue(ethers.toBeHex(BigInt(p.publicSignals[0] ?? '0')), 32);
  const period = Number(p.publicSignals[1]);
  await registry.registerDeal(dealId, ethers.id('bench'), [admin.address]);
  await registry.setCovenantThresholds(dealId, THRESHOLDS);
  await registry.anchorDataset(dealId, period, ethers.id('tape'), BigInt(p.root));
  const verifier = await ethers.deployContract('PoolAttestationVerifier', [
    await registry.getAddress(),
    [capacity],
    [await groth16.getAddress()],
  ]);
  const tx = await verifier.getFunction('attest')(dealId, period, capacity, p.pA, p.pB, p.pC);
  const receipt = await tx.wait();
  bench(`zk.attest_gas_${capacity}`, receipt?.gasUsed ?? 0n, 'gas');
}
