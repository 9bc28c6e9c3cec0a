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

/**
 * The live workers' heartbeats (beside graphile-worker's schema, which it owns): a worker id whose
 * jobs are locked but whose heartbeat stopped belongs to a process that died mid-job.
 */
export const JOB_LIVENESS_SCHEMA = 'tranche_job_liveness';
const LIVENESS_TABLE = `${JOB_LIVENESS_SCHEMA}.worker`;

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
    await client.query(`create schema if not exists ${JOB_LIVENESS_SCHEMA}`);
    await client.query(
      `create table if not exists ${LIVENESS_TABLE} (worker_id text primary key, heartbeat_at timestamptz not null)`,
    );
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
  /**
   * How long a worker may miss its heartbeat (every fifth of it) before its locked jobs are taken
   * as orphaned by a dead process and unlocked, to run again at once rather than after the queue's
   * own four-hour lock expiry. Default 30 s.
   */
  livenessGraceMs?: number;
}

/**
 * Starts running the queue's jobs for `handlers` in this process until `stop()`, which lets
 * running jobs finish (an aborted job runs again later). A job that throws is retried with
 * exponential backoff up to its max attempts; a killed process's jobs are unlocked by the
 * liveness sweep of any live process once its heartbeat has been missing for `livenessGraceMs`,
 * and run again.
 */
export async function startJobWorker(options: JobWorkerOptions): Promise<{ stop(): Promise<void> }> {
  const liveness = await startLiveness(options);
  const taskList: Record<string, Task> = {};
  for (const [name, handler] of Object.entries(options.handlers)) {
    taskList[name] = async (payload: unknown, helpers: JobHelpers) => {
      if (helpers.job.locked_by) await liveness.alive(helpers.job.locked_by);
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
  return {
    stop: async () => {
      await runner.stop();
      await liveness.stop();
    },
  };
}

/**
 * Worker liveness: this process heartbeats the worker ids its jobs run under, and sweeps the
 * queue for jobs locked by workers whose heartbeat stopped (a process killed mid-job, a machine
 * lost) and unlocks them, so they run again within the grace period. A job is idempotent, so
 * running it again after a crash finishes it without repeating what it did.
 */
async function startLiveness(options: JobWorkerOptions): Promise<{
  alive(workerId: string): Promise<void>;
  stop(): Promise<void>;
}> {
  const graceMs = options.livenessGraceMs ?? 30_000;
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
  pool.on('error', () => undefined); // a dropped idle connection is replaced on next use
  const mine = new Set<string>();
  const heartbeat = (ids: string[]) =>
    pool.query(
      `insert into ${LIVENESS_TABLE} (worker_id, heartbeat_at) select unnest($1::text[]), now()
         on conflict (worker_id) do update set heartbeat_at = excluded.heartbeat_at`,
      [ids],
    );
  const sweep = async () => {
    if (mine.size) await heartbeat([...mine]);
    const { rows } = await pool.query<{ locked_by: string }>(
      `select distinct j.locked_by from ${JOB_SCHEMA}._private_jobs j
         left join ${LIVENESS_TABLE} w on w.worker_id = j.locked_by
        where j.locked_by is not null
          and j.locked_at < now() - make_interval(secs => $1)
          and (w.heartbeat_at is null or w.heartbeat_at < now() - make_interval(secs => $1))`,
      [graceMs / 1000],
    );
    const dead = rows.map((r) => r.locked_by).filter((id) => !mine.has(id));
    if (dead.length) {
      await pool.query(`select ${JOB_SCHEMA}.force_unlock_workers($1::text[])`, [dead]);
      options.logger.warn({ workers: dead }, 'unlocked the jobs of workers that stopped: they run again');
    }
    await pool.query(`delete from ${LIVENESS_TABLE} where heartbeat_at < now() - interval '1 day'`);
  };
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(
    () => {
      running = sweep().catch((err: unknown) =>
        options.logger.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'job liveness sweep failed',
        ),
      );
    },
    Math.max(200, Math.floor(graceMs / 5)),
  );
  timer.unref();
  return {
    alive: async (workerId) => {
      if (mine.has(workerId)) return;
      mine.add(workerId);
      await heartbeat([workerId]);
    },
    stop: async () => {
      clearInterval(timer);
      await running;
      await pool.end();
    },
  };
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
