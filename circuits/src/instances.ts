// SPDX-License-Identifier: GPL-3.0-or-later
/**
 * The one place where pool-attestation circuits are declared. Every instance is the same template,
 * `PoolAttestation(capacity)` in `src/circom/pool_attestation.circom`, at a different capacity; the build
 * (`scripts/build.mjs`) generates each instance's main component from this table, and the prover picks
 * the smallest instance that holds a pool. Changing a row changes that instance's root layout, keys and
 * verifier: treat it like a migration.
 */

/** Loans hashed together in one Poseidon(16) leaf: 8 x (packed fields, salt). */
export const LOANS_PER_LEAF = 8;
/** Arity of the Merkle tree over leaves (the last level takes whatever 2..16 nodes remain). */
export const TREE_ARITY = 16;
/** Range of each committed loan field, in bits (enforced by the circuit, checked up front in TS). */
export const BALANCE_BITS = 48;
export const LTV_BITS = 16;
export const DAYS_DELINQUENT_BITS = 16;
/** Range of the public thresholds the circuit accepts. */
export const THRESHOLD_BPS_BITS = 32;
export const MIN_BALANCE_BITS = 128;

/**
 * Public signals, in the circuit's (and the Solidity verifier's) order. `dealId` is `uint256(bytes32)`
 * of the deal id (a left-padded 128-bit UUID), `period` is YYYYMM.
 */
export const PUBLIC_SIGNALS = [
  'dealId',
  'period',
  'root',
  'maxDelinquencyBps',
  'delinquencyDays',
  'maxWaLtvBps',
  'minBalance',
] as const;
export type PublicSignalName = (typeof PUBLIC_SIGNALS)[number];

export interface CircuitInstance {
  /** Artifact and contract name stem, e.g. `pool64`. */
  readonly name: string;
  /** Loan slots; pools with fewer loans are padded with zero-balance loans. */
  readonly capacity: number;
  /** log2 of the powers-of-tau size the instance needs (constraints + public inputs + 1 <= 2^power). */
  readonly ptauPower: number;
  /** Built, set up and tested in CI (only the smallest). */
  readonly ci: boolean;
}

export const INSTANCES: readonly CircuitInstance[] = [
  { name: 'pool16', capacity: 16, ptauPower: 12, ci: true },
  { name: 'pool64', capacity: 64, ptauPower: 14, ci: false },
  { name: 'pool256', capacity: 256, ptauPower: 16, ci: false },
  { name: 'pool1024', capacity: 1024, ptauPower: 18, ci: false },
  { name: 'pool4096', capacity: 4096, ptauPower: 20, ci: false },
];

/** The instance with exactly this capacity. Throws a RangeError naming the capacity when none is declared. */
export function instanceByCapacity(capacity: number): CircuitInstance {
  const found = INSTANCES.find((i) => i.capacity === capacity);
  if (!found) throw new RangeError(`no circuit instance with capacity ${capacity}`);
  return found;
}

/** The instance with this name (e.g. `pool64`). Throws a RangeError when none is declared. */
export function instanceByName(name: string): CircuitInstance {
  const found = INSTANCES.find((i) => i.name === name);
  if (!found) throw new RangeError(`no circuit instance named ${name}`);
  return found;
}

/**
 * The smallest declared instance that holds `loanCount` loans. The pool's commitment root is computed
 * at this instance's capacity, so the anchored root and the proof always agree on the tree shape.
 * Throws a RangeError when the pool is larger than the largest instance.
 */
export function instanceForPool(loanCount: number): CircuitInstance {
  const found = [...INSTANCES].sort((a, b) => a.capacity - b.capacity).find((i) => i.capacity >= loanCount);
  if (!found) {
    throw new RangeError(`pool of ${loanCount} loans exceeds the largest circuit instance`);
  }
  return found;
}

/**
 * The capacity a pool of `loanCount` loans is committed at: the smallest declared instance that holds
 * it, or, for a pool larger than every instance, the capacity its instance would be declared at (the
 * largest declared capacity times the next power of 4), so the anchored root is the one a larger
 * instance (`node scripts/build.mjs instances`, after declaring it above) proves against.
 */
export function commitmentCapacity(loanCount: number): number {
  if (!Number.isInteger(loanCount) || loanCount < 0) throw new RangeError(`invalid loan count ${loanCount}`);
  const largest = Math.max(...INSTANCES.map((i) => i.capacity));
  if (loanCount <= largest) return instanceForPool(loanCount).capacity;
  let capacity = largest;
  while (capacity < loanCount) capacity *= 4;
  return capacity;
}
