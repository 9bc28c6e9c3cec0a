// SPDX-License-Identifier: GPL-3.0-or-later
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { poolLeaves, poolRoot, type PoolLoan } from './commitment.js';
import { LOANS_PER_LEAF, commitmentCapacity } from './instances.js';

function workerPath(): string {
  const sibling = new URL('./leaves-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return fileURLToPath(sibling);
  // running from src/ (tests): use the compiled worker
  return fileURLToPath(new URL('../dist/leaves-worker.js', import.meta.url));
}

type Reply =
  { id: number; ok: true; value: unknown; maxRssKb?: number } | { id: number; ok: false; error: string };

/**
 * A few worker processes answering leaf and root jobs. Processes rather than worker_threads:
 * circomlibjs loads ffjavascript, whose `web-worker` shim mistakes any worker_thread for one of its
 * own workers.
 */
class WorkerPool {
  private readonly workers: ChildProcess[] = [];
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private turn = 0;
  /** The largest peak resident set a worker reported, KiB. */
  maxRssKb = 0;

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const worker = fork(workerPath(), [], { execArgv: [], serialization: 'advanced' });
      worker.on('message', (msg: Reply) => {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.ok) this.maxRssKb = Math.max(this.maxRssKb, msg.maxRssKb ?? 0);
        if (msg.ok) p.resolve(msg.value);
        else p.reject(new RangeError(msg.error));
      });
      worker.on('exit', (code) => {
        if (code === 0 || this.closed) return;
        for (const p of this.pending.values())
          p.reject(new Error(`commitment worker exited with code ${code}`));
        this.pending.clear();
      });
      this.workers.push(worker);
    }
  }

  private closed = false;

  run<T>(job: Record<string, unknown>): Promise<T> {
    const id = this.nextId++;
    const worker = this.workers[this.turn++ % this.workers.length]!;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.send({ ...job, id } as Parameters<ChildProcess['send']>[0]);
    });
  }

  close(): void {
    this.closed = true;
    for (const w of this.workers) {
      if (w.connected) w.disconnect();
    }
  }
}

export interface PoolCommitment {
  /** The Poseidon Merkle root (what DealRegistry anchors and the proofs are checked against). */
  root: bigint;
  /** The loan capacity the root is computed at ({@link commitmentCapacity}). */
  capacity: number;
  leafCount: number;
  /** The largest peak resident set of a worker process, KiB (0 when computed on the calling thread). */
  workerMaxRssKb: number;
}

/**
 * Builds a pool's commitment while its loans are still arriving — {@link poolLeaves} then
 * {@link poolRoot}, the same functions — on worker processes: each full block of loans (a multiple
 * of the 8 loans of a leaf) is hashed by the next worker while the caller reads on, so a streamed
 * 100,000-loan tape is rooted in about the time it takes to read it, off the caller's event loop.
 * Call {@link close} (or {@link finish}, which closes) in every case.
 */
export class PoolCommitmentBuilder {
  private readonly pool: WorkerPool;
  private readonly parts: Promise<bigint[]>[] = [];
  private loans: PoolLoan[] = [];
  private salts: bigint[] = [];
  private count = 0;

  constructor(
    options: { threads?: number; blockLoans?: number } = {},
    private readonly blockLoans = Math.max(LOANS_PER_LEAF, Math.floor((options.blockLoans ?? 4096) / 8) * 8),
  ) {
    this.pool = new WorkerPool(Math.max(1, Math.min(options.threads ?? availableParallelism(), 8)));
  }

  /** Adds loans (and their salts) in pool order. */
  add(loans: readonly PoolLoan[], salts: readonly bigint[]): void {
    if (salts.length !== loans.length) {
      throw new RangeError(`salts has ${salts.length} entries, loans has ${loans.length}`);
    }
    for (let i = 0; i < loans.length; i++) {
      this.loans.push(loans[i]!);
      this.salts.push(salts[i]!);
      if (this.loans.length >= this.blockLoans) this.dispatch();
    }
  }

  private dispatch(): void {
    if (!this.loans.length) return;
    const job = { kind: 'leaves', loans: this.loans, salts: this.salts, offset: this.count };
    this.count += this.loans.length;
    this.loans = [];
    this.salts = [];
    const part = this.pool.run<bigint[]>(job);
    part.catch(() => undefined); // awaited in finish()
    this.parts.push(part);
  }

  /** The root over every loan added. @throws RangeError naming an out-of-range loan */
  async finish(): Promise<PoolCommitment> {
    try {
      this.dispatch();
      const leaves = (await Promise.all(this.parts)).flat();
      const capacity = commitmentCapacity(this.count);
      const root = await this.pool.run<bigint>({ kind: 'root', leaves, capacity });
      return { root, capacity, leafCount: leaves.length, workerMaxRssKb: this.pool.maxRssKb };
    } finally {
      this.close();
    }
  }

  close(): void {
    this.pool.close();
  }
}

/**
 * The pool's commitment computed in worker processes (see {@link PoolCommitmentBuilder}).
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
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), 8));
  const perThread = Math.ceil(Math.ceil(loans.length / LOANS_PER_LEAF) / threads) * LOANS_PER_LEAF;
  const builder = new PoolCommitmentBuilder({ threads, blockLoans: Math.max(perThread, LOANS_PER_LEAF) });
  try {
    builder.add(loans, salts);
  } catch (err) {
    builder.close();
    throw err;
  }
  return builder.finish();
}

/** The same commitment on the calling thread (small pools, tests). */
export async function poolCommitmentSync(
  loans: readonly PoolLoan[],
  salts: readonly bigint[],
): Promise<PoolCommitment> {
  const capacity = commitmentCapacity(loans.length);
  const leaves = await poolLeaves(loans, salts);
  return { root: await poolRoot(leaves, capacity), capacity, leafCount: leaves.length, workerMaxRssKb: 0 };
}
