// SPDX-License-Identifier: GPL-3.0-or-later
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { wtns } from 'snarkjs';
import { instanceArtifacts } from '../src/artifacts.js';
import { getPoseidon, leafHashesFromPacked, packLoan, treeRoot, type PoolLoan } from '../src/commitment.js';
import { instanceByName } from '../src/instances.js';
import { circuitInputUnchecked, type AttestationIds, type CovenantThresholds } from '../src/statements.js';

export const SMALLEST = instanceByName('pool16');
export const IDS: AttestationIds = { dealId: 0x1b4e28ba2fa111d2883f0016d3cca427n, period: 202611 };

/** Deterministic pseudo-random generator (mulberry32) so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomPool(n: number, seed: number): { loans: PoolLoan[]; salts: bigint[] } {
  const r = rng(seed);
  const loans: PoolLoan[] = [];
  const salts: bigint[] = [];
  for (let i = 0; i < n; i++) {
    loans.push({
      balance: BigInt(Math.floor(r() * 50_000_000)) + 1n,
      ltvBps: Math.floor(r() * 9_500),
      daysDelinquent: r() < 0.1 ? Math.floor(r() * 200) : 0,
    });
    salts.push(BigInt(Math.floor(r() * 2 ** 52)) * 2n ** 190n + BigInt(i));
  }
  return { loans, salts };
}

/** Root over loans without any range checks (for out-of-range witnesses), at `capacity`. */
export async function uncheckedRoot(
  loans: readonly PoolLoan[],
  salts: readonly bigint[],
  capacity: number,
): Promise<bigint> {
  const poseidon = await getPoseidon();
  return treeRoot(poseidon, leafHashesFromPacked(poseidon, loans.map(packLoan), salts), capacity);
}

const circuitSource = readFileSync(resolve('src/circom/pool_attestation.circom'), 'utf8').split('\n');

/** `PoolAttestation ... line: N` for the first source line containing `snippet` (the failing check). */
export function failsAt(snippet: string): RegExp {
  const line = circuitSource.findIndex((l) => l.includes(snippet)) + 1;
  if (line === 0) throw new Error(`no line with ${snippet}`);
  return new RegExp(`PoolAttestation_\\d+ line: ${line}\\b`);
}

/**
 * The smallest instance's witness generator on the input: null when it accepts, else its error message,
 * which names the failing template and line (a failed `===` or range check makes the witness throw).
 */
export async function witnessError(
  loans: readonly PoolLoan[],
  salts: readonly bigint[],
  thresholds: CovenantThresholds,
  root: bigint,
  ids: AttestationIds = IDS,
): Promise<string | null> {
  const input = circuitInputUnchecked(loans, salts, thresholds, ids, root, SMALLEST.capacity);
  try {
    await wtns.calculate(input, instanceArtifacts(SMALLEST).wasmPath, { type: 'mem' });
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Whether the smallest instance's witness generator accepts the input. */
export async function witnessAccepts(
  loans: readonly PoolLoan[],
  salts: readonly bigint[],
  thresholds: CovenantThresholds,
  root: bigint,
  ids: AttestationIds = IDS,
): Promise<boolean> {
  return (await witnessError(loans, salts, thresholds, root, ids)) === null;
}
