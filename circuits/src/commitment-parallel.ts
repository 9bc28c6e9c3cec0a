// SPDX-License-Identifier: GPL-3.0-or-later
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fork } from 'node:child_process';
import { poolLeaves, poolRoot, type PoolLoan } from './commitment.js';
import { LOANS_PER_LEAF, commitmentCapacity } from './instances.js';

function workerPath(): string {
  const sibling = new URL('./leaves-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return fileURLToPath(sibling);
  // running from src/ (tests): use the compiled worker
  return fileURLToPath(new URL('../dist/leaves-worker.js', import.meta.url));
}

/**
 * Runs one job in a child process. A process rather than a worker_thread: circomlibjs loads
 * ffjavascript, whose `web-worker` shim mistakes any worker_thread for one of its own workers.
 */
function inWorker<T>(message: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = fork(workerPath(), [], { execArgv: [], serialization: 'advanced' });
    let settled = false;
    worker.once('message', (msg: { ok: true; value: T } | { ok: false; error: string }) => {
      settled = true;
      worker.kill();
      if (msg.ok) resolve(msg.value);
      else reject(new RangeError(msg.error));
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`commitment worker exited with code ${code}`));
    });
    worker.send(message as Parameters<typeof worker.send>[0]);
  });
}

export interface PoolCommitment {
  /** The Poseidon Merkle root (what DealRegistry anchors and the proofs are checked against). */
  root: bigint;
  /** The loan capacity the root is computed at ({@link commitmentCapacity}). */
  capacity: number;
  leafCount: number;
}

/**
 * The pool's commitment — {@link poolLeaves} then {@link poolRoot}, the same functions — computed
 * in worker processes: the loans are split on leaf boundaries (8 loans) across `threads` workers, so
 * a 100,000-loan tape is rooted in parallel and the caller's event loop stays free.
 *
 * @throws RangeError naming the loan and field when a value is outside the circuit's ranges
 */
export async function poolCommitment(
  loans: readonly PoolLoan[],
  salts: readonly bigint[],
  options: { threads?: number } = {},
): Promise<PoolCommitment> {
  if (salts.length !== loans.length) {
    throw new RangeError(`salts has ${salts.length} entries, loans has ${loans.length}`);
  }
  const capacity = commitmentCapacity(loans.length);
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), 8));
  const leavesTotal = Math.ceil(loans.length / LOANS_PER_LEAF);
  const perThread = Math.ceil(leavesTotal / threads) * LOANS_PER_LEAF;
  const parts: Promise<bigint[]>[] = [];
  for (let start = 0; start < loans.length; start += perThread) {
    const slice = {
      loans: loans.slice(start, start + perThread),
      salts: salts.slice(start, start + perThread),
      offset: start,
    };
    parts.push(inWorker<bigint[]>({ kind: 'leaves', ...slice }));
  }
  const leaves = (await Promise.all(parts)).flat();
  const root = await inWorker<bigint>({ kind: 'root', leaves, capacity });
  return { root, capacity, leafCount: leaves.length };
}

/** The same commitment on the calling thread (small pools, tests). */
export async function poolCommitmentSync(
  loans: readonly PoolLoan[],
  salts: readonly bigint[],
): Promise<PoolCommitment> {
  const capacity = commitmentCapacity(loans.length);
  const leaves = await poolLeaves(loans, salts);
  return { root: await poolRoot(leaves, capacity), capacity, leafCount: leaves.length };
}
