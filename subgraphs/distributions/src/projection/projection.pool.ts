import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EngineInputError, type ProjectionResult } from '@tranche/engine';
import type { ProjectionShape } from './projection.result.js';
import type { DealProjection } from './projection.types.js';
import type { ProjectionMessage, ProjectionReply, ProjectionTask } from './projection.worker.js';

/**
 * The compiled worker beside this module; when this module runs from source (vitest), the one
 * the build put in dist/ (so the subgraph's projection tests need `pnpm run build` first).
 */
function workerFile(): string {
  const beside = fileURLToPath(new URL('./projection.worker.js', import.meta.url));
  if (existsSync(beside)) return beside;
  const built = fileURLToPath(new URL('../../dist/projection/projection.worker.js', import.meta.url));
  if (existsSync(built)) return built;
  throw new Error(`projection worker not built: neither ${beside} nor ${built} exists (run the build)`);
}

interface Job {
  task: ProjectionTask;
  resolve: (result: ProjectionResult | DealProjection) => void;
  reject: (err: Error) => void;
}

interface Thread {
  worker: Worker;
  job?: Job;
  /** The documents last posted to the thread (it keeps the structure it last prepared). */
  sent?: { rules: string; collateral: string };
}

/**
 * A fixed set of worker threads running the waterfall engine, one scenario per task, so a
 * projection grid never holds the subgraph's event loop: the main thread only copies the
 * structure in and the result out. Threads start on the first task and are unref'd, so an idle
 * pool keeps no process alive; `close` terminates them (the subgraph calls it when it stops).
 */
export class ProjectionPool {
  private readonly threads: Thread[] = [];
  private readonly queue: Job[] = [];
  private closed = false;

  /** `size` threads at most (default: one per core, `os.availableParallelism()`). */
  constructor(readonly size: number = availableParallelism()) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`pool size must be ≥ 1, got ${size}`);
  }

  /**
   * Projects one scenario on a free thread (queued while all are busy).
   *
   * @throws EngineInputError when the engine refuses the structure or scenario; Error when the
   *   pool is closed or a thread fails.
   */
  run(task: Omit<ProjectionTask, 'shape'>): Promise<ProjectionResult> {
    return this.enqueue({ ...task }) as Promise<ProjectionResult>;
  }

  /**
   * Projects one scenario and answers in the API's shape, with only the per-period lists
   * `shape` asks for: the thread builds it, so the event loop's thread receives no more than the
   * caller selected.
   *
   * @throws as {@link run}.
   */
  project(task: Omit<ProjectionTask, 'shape'>, shape: ProjectionShape): Promise<DealProjection> {
    return this.enqueue({ ...task, shape }) as Promise<DealProjection>;
  }

  private enqueue(task: ProjectionTask): Promise<ProjectionResult | DealProjection> {
    if (this.closed) return Promise.reject(new Error('projection pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  /** Terminates every thread; queued and running tasks are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('projection pool is closed'));
    const threads = this.threads.splice(0);
    for (const t of threads) t.job?.reject(new Error('projection pool is closed'));
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length) {
      const thread = this.threads.find((t) => !t.job) ?? this.spawn();
      if (!thread) return;
      const job = this.queue.shift();
      if (!job) return;
      thread.job = job;
      thread.worker.ref();
      const { rules, collateral, ...rest } = job.task;
      // Same strings as last time (one request's grid shares them): no need to copy them again.
      const same = thread.sent?.rules === rules && thread.sent.collateral === collateral;
      const message: ProjectionMessage = same ? { ...rest, sameStructure: true } : job.task;
      thread.sent = { rules, collateral };
      thread.worker.postMessage(message);
    }
  }

  private spawn(): Thread | undefined {
    if (this.threads.length >= this.size) return undefined;
    const thread: Thread = { worker: new Worker(workerFile()) };
    thread.worker.unref();
    thread.worker.on('message', (reply: ProjectionReply) => this.settle(thread, reply));
    thread.worker.on('error', (err) => this.fail(thread, err));
    thread.worker.on('exit', (code) => this.fail(thread, new Error(`projection thread exited (${code})`)));
    this.threads.push(thread);
    return thread;
  }

  private settle(thread: Thread, reply: ProjectionReply): void {
    const job = thread.job;
    thread.job = undefined;
    thread.worker.unref();
    if (job) {
      if (reply.ok) job.resolve('projection' in reply ? reply.projection : reply.result);
      else if ('issues' in reply) job.reject(new EngineInputError(reply.issues));
      else job.reject(new Error(reply.message));
    }
    this.dispatch();
  }

  // A thread that crashed or exited is dropped; the next task starts a fresh one.
  private fail(thread: Thread, err: Error): void {
    const index = this.threads.indexOf(thread);
    if (index < 0) return;
    this.threads.splice(index, 1);
    thread.job?.reject(err);
    thread.job = undefined;
    if (!this.closed) this.dispatch();
  }
}

let shared: ProjectionPool | undefined;

/** The process's projection pool, created on first use (one thread per core). */
export function projectionPool(): ProjectionPool {
  if (!shared) shared = new ProjectionPool();
  return shared;
}

/** Closes the process's pool if one was started; the next `projectionPool()` makes a new one. */
export async function closeProjectionPool(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}
