import type { EntityManager } from '@mikro-orm/postgresql';
import {
  Logger as WorkerLogger,
  run,
  runMigrations,
  type JobHelpers,
  type Runner,
  type Task,
} from 'graphile-worker';
import pg from 'pg';
import type { Logger } from '../logger.js';

/** The PostgreSQL schema the queue (graphile-worker) keeps its jobs in. */
export const JOB_SCHEMA = 'graphile_worker';

/** What a running job knows about itself. */
export interface JobContext {
  /** 1 on the first run; a job that threw runs again (with backoff) until `maxAttempts`. */
  attempt: number;
  maxAttempts: number;
  jobKey: string | null;
  logger: Logger;
  /** Aborted when the worker shuts down: stop at the next safe point (the job runs again). */
  signal: AbortSignal;
}

/**
 * One task of the queue. It must be idempotent: the queue runs a job at least once (again after a
 * crash or a throw), so a task records its progress in its own rows and sends chain transactions
 * under idempotency keys, so that running it twice changes nothing twice.
 */
export type JobHandler = (payload: unknown, ctx: JobContext) => Promise<void>;

export interface EnqueueOptions {
  /** At most one queued job per key: enqueueing the same key again does nothing. */
  jobKey?: string;
  /** Jobs of one named queue run one at a time, in order (e.g. one tenant's anchors). */
  queueName?: string;
  maxAttempts?: number;
  runAt?: Date;
}

/**
 * Records the intent to run `task` with `payload` in `tx`, the transaction of the state change
 * that calls for it: the job exists only if that transaction commits, and a job key makes a
 * repeated request one job.
 *
 * @throws Error outside a transaction.
 */
export async function enqueueJob(
  tx: EntityManager,
  task: string,
  payload: unknown,
  options: EnqueueOptions = {},
): Promise<void> {
  if (!tx.isInTransaction()) throw new Error('enqueueJob must run inside the transaction of the change');
  await tx.execute(
    `select ${JOB_SCHEMA}.add_job(?, ?::json, max_attempts => ?, job_key => ?, run_at => ?, job_key_mode => 'unsafe_dedupe')`,
    [
      task,
      JSON.stringify(payload ?? {}),
      options.maxAttempts ?? 10,
      options.jobKey ?? null,
      options.runAt ?? null,
    ],
  );
}

/**
 * Installs or upgrades the queue's schema. Several services may start at once: a session
 * advisory lock makes them take turns (the queue's own migrations take none).
 */
export async function installJobQueue(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`select pg_advisory_lock(hashtext('tranche.job-queue.install'))`);
    await runMigrations({ connectionString: databaseUrl, schema: JOB_SCHEMA, logger: quietLogger() });
  } finally {
    await client
      .query(`select pg_advisory_unlock(hashtext('tranche.job-queue.install'))`)
      .catch(() => undefined);
    await client.end();
  }
}

export interface JobWorkerOptions {
  databaseUrl: string;
  handlers: Record<string, JobHandler>;
  logger: Logger;
  /** Jobs run at once by this process (I/O-bound tasks; CPU-heavy ones use worker threads). */
  concurrency?: number;
  pollIntervalMs?: number;
  /**
   * Recurring jobs, graphile-worker crontab syntax (e.g. `* * * * * audit:anchor-plan`; task
   * names of recurring jobs allow letters, digits, `_`, `-`, `:` and `/`, not dots).
   */
  crontab?: string;
}

/**
 * Starts running the queue's jobs for `handlers` in this process until `stop()`, which lets
 * running jobs finish (an aborted job runs again later). A job that throws is retried with
 * exponential backoff up to its max attempts; a killed process's jobs are picked up again once
 * their lock expires.
 */
export async function startJobWorker(options: JobWorkerOptions): Promise<{ stop(): Promise<void> }> {
  const taskList: Record<string, Task> = {};
  for (const [name, handler] of Object.entries(options.handlers)) {
    taskList[name] = async (payload: unknown, helpers: JobHelpers) => {
      const logger = options.logger.child({
        job: name,
        jobId: helpers.job.id,
        attempt: helpers.job.attempts,
      });
      await handler(payload, {
        attempt: helpers.job.attempts,
        maxAttempts: helpers.job.max_attempts,
        jobKey: helpers.job.key,
        logger,
        signal: helpers.abortSignal,
      });
    };
  }
  const runner: Runner = await run({
    connectionString: options.databaseUrl,
    schema: JOB_SCHEMA,
    concurrency: options.concurrency ?? 4,
    pollInterval: options.pollIntervalMs ?? 500,
    noHandleSignals: true,
    taskList,
    crontab: options.crontab,
    logger: workerLogger(options.logger),
  });
  return { stop: () => runner.stop() };
}

function workerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger(() => (level, message, meta) => {
    const log = logger.child({ component: 'job-queue' });
    if (level === 'error') log.error(meta ?? {}, message);
    else if (level === 'warning') log.warn(meta ?? {}, message);
    else log.debug(meta ?? {}, message);
  });
}

function quietLogger(): WorkerLogger {
  return new WorkerLogger(() => () => undefined);
}
