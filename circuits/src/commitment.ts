// SPDX-License-Identifier: GPL-3.0-or-later
import { buildPoseidon, type Poseidon } from 'circomlibjs';
import {
  BALANCE_BITS,
  DAYS_DELINQUENT_BITS,
  LOANS_PER_LEAF,
  LTV_BITS,
  TREE_ARITY,
  instanceForPool,
} from './instances.js';

/** BN254 scalar field order: every signal, salt and root is an element of this field. */
export const FIELD_ORDER = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** One loan as committed in the loan-tape root. No identifiers: only what the covenants need. */
export interface PoolLoan {
  /** Current outstanding balance, integer minor units, 0 <= balance < 2^48. */
  readonly balance: bigint;
  /** Current loan-to-value, integer basis points, 0 <= ltvBps < 2^16. */
  readonly ltvBps: number;
  /** Days delinquent (0 when current), 0 <= daysDelinquent < 2^16. */
  readonly daysDelinquent: number;
}

let poseidonPromise: Promise<Poseidon> | undefined;

/** circomlibjs' Poseidon (identical to circomlib's circuit), built once per process. */
export function getPoseidon(): Promise<Poseidon> {
  poseidonPromise ??= buildPoseidon();
  return poseidonPromise;
}

function checkRange(value: bigint, bits: number, field: string): void {
  if (value < 0n || value >= 1n << BigInt(bits)) {
    throw new RangeError(`${field} must be an integer in [0, 2^${bits}), got ${value}`);
  }
}

/** Throws a RangeError naming the loan and field when a loan is outside the circuit's ranges. */
export function assertLoanInRange(loan: PoolLoan, index: number): void {
  if (!Number.isInteger(loan.ltvBps)) throw new RangeError(`loans[${index}].ltvBps must be an integer`);
  if (!Number.isInteger(loan.daysDelinquent)) {
    throw new RangeError(`loans[${index}].daysDelinquent must be an integer`);
  }
  checkRange(loan.balance, BALANCE_BITS, `loans[${index}].balance`);
  checkRange(BigInt(loan.ltvBps), LTV_BITS, `loans[${index}].ltvBps`);
  checkRange(BigInt(loan.daysDelinquent), DAYS_DELINQUENT_BITS, `loans[${index}].daysDelinquent`);
}

/**
 * The loan's fields packed into one field element exactly as the circuit does:
 * balance + ltvBps * 2^48 + daysDelinquent * 2^64. Injective only for in-range values (checked by
 * the callers that build commitments, and by the circuit).
 */
export function packLoan(loan: PoolLoan): bigint {
  return (
    loan.balance +
    (BigInt(loan.ltvBps) << BigInt(BALANCE_BITS)) +
    (BigInt(loan.daysDelinquent) << BigInt(BALANCE_BITS + LTV_BITS))
  );
}

/** A fresh hiding salt: 248 uniformly random bits (below the field order, no modular bias). */
export function randomSalt(): bigint {
  const bytes = new Uint8Array(31);
  globalThis.crypto.getRandomValues(bytes);
  return bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

/** `count` fresh hiding salts at once (one random draw, as {@link randomSalt} does one by one). */
export function randomSalts(count: number): bigint[] {
  const bytes = new Uint8Array(31 * count);
  for (let off = 0; off < bytes.length; off += 65_536) {
    globalThis.crypto.getRandomValues(bytes.subarray(off, Math.min(off + 65_536, bytes.length)));
  }
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
  const out = new Array<bigint>(count);
  for (let i = 0; i < count; i++) out[i] = BigInt(`0x${hex.slice(i * 62, i * 62 + 62)}`);
  return out;
}

function checkSalts(loans: readonly PoolLoan[], salts: readonly bigint[]): void {
  if (salts.length !== loans.length) {
    throw new RangeError(`salts has ${salts.length} entries, loans has ${loans.length}`);
  }
  salts.forEach((s, i) => {
    if (s < 0n || s >= FIELD_ORDER) throw new RangeError(`salts[${i}] must be a field element`);
  });
}

/** Leaf hashes over packed values and salts (already padded or not); no range checks. @internal */
export function leafHashesFromPacked(
  poseidon: Poseidon,
  packed: readonly bigint[],
  salts: readonly bigint[],
): bigint[] {
  const leaves: bigint[] = [];
  for (let start = 0; start < packed.length; start += LOANS_PER_LEAF) {
    const inputs: bigint[] = [];
    for (let k = start; k < start + LOANS_PER_LEAF; k++) {
      inputs.push(packed[k] ?? 0n, salts[k] ?? 0n);
    }
    leaves.push(poseidon.F.toObject(poseidon(inputs)));
  }
  return leaves;
}

/**
 * Leaf hashes of a loan tape: one Poseidon(16) per group of 8 loans over (packed fields, salt) pairs,
 * the last group padded with zero loans (zero balance: they cannot move any metric). These are the
 * values the platform stores at ingest; `poolRoot(leaves)` turns them into the anchored root.
 *
 * @param loans the pool's loans, in loan-tape order
 * @param salts one hiding salt per loan (`randomSalt()`), kept private with the tape
 * @throws RangeError naming the loan and field when a value is outside the circuit's ranges
 */
export async function poolLeaves(loans: readonly PoolLoan[], salts: readonly bigint[]): Promise<bigint[]> {
  checkSalts(loans, salts);
  loans.forEach(assertLoanInRange);
  return leafHashesFromPacked(await getPoseidon(), loans.map(packLoan), salts);
}

/** Root of the tree over `leaves` padded to `capacity / 8` leaves with the all-zero leaf. @internal */
export function treeRoot(poseidon: Poseidon, leaves: readonly bigint[], capacity: number): bigint {
  const nLeaves = capacity / LOANS_PER_LEAF;
  if (!Number.isInteger(nLeaves) || nLeaves < 2) throw new RangeError(`invalid capacity ${capacity}`);
  if (leaves.length > nLeaves) {
    throw new RangeError(`${leaves.length} leaves exceed the ${nLeaves} leaves of capacity ${capacity}`);
  }
  const emptyLeaf = poseidon.F.toObject(poseidon(new Array<bigint>(2 * LOANS_PER_LEAF).fill(0n)));
  let level = [...leaves];
  while (level.length < nLeaves) level.push(emptyLeaf);
  // The padding is the same node repeated: a group made only of it hashes to the same value, so it
  // is hashed once per level (the tree is unchanged; a 100k-loan pool pads 20k leaves).
  let empty = emptyLeaf;
  while (level.length > TREE_ARITY) {
    if (level.length % TREE_ARITY !== 0) throw new RangeError(`invalid capacity ${capacity}`);
    const next: bigint[] = [];
    let emptyGroup: bigint | undefined;
    for (let i = 0; i < level.length; i += TREE_ARITY) {
      const group = level.slice(i, i + TREE_ARITY);
      if (group.every((node) => node === empty)) {
        emptyGroup ??= poseidon.F.toObject(poseidon(group));
        next.push(emptyGroup);
      } else next.push(poseidon.F.toObject(poseidon(group)));
    }
    empty = emptyGroup ?? poseidon.F.toObject(poseidon(new Array<bigint>(TREE_ARITY).fill(empty)));
    level = next;
  }
  return poseidon.F.toObject(poseidon(level));
}

/**
 * The Poseidon Merkle root over leaf hashes, identical to the circuit's: leaves padded with the
 * all-zero-loans leaf to the capacity of the smallest circuit instance that holds the pool (or
 * `capacity`), then Poseidon(16) over groups of 16 nodes while more than 16 remain, then one
 * Poseidon(k) over the last k nodes. This is the value anchored on-chain per deal and period.
 *
 * @throws RangeError when there are more leaves than the largest instance (or `capacity`) holds
 */
export async function poolRoot(leaves: readonly bigint[], capacity?: number): Promise<bigint> {
  const cap = capacity ?? instanceForPool(leaves.length * LOANS_PER_LEAF).capacity;
  return treeRoot(await getPoseidon(), leaves, cap);
}
