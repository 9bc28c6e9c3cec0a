/**
 * Vitest global setup for suites that need a real PostgreSQL database (each subgraph's service
 * tests): creates a throwaway database on `DATABASE_URL`'s server when it is set, otherwise on
 * an embedded PostgreSQL started for the run, hands its URL to the test files
 * (`inject('databaseUrl')`, see testing.ts) and drops it afterwards.
 *
 * Use it as `globalSetup: ['../../packages/devstack/dist/test-database-setup.js']`.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createLogger } from '@tranche/platform';
import { createDatabaseIfMissing, dropDatabase, ensureDatabase } from './database.js';
import { freePort } from './processes.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of this run's throwaway database. */
    databaseUrl: string;
  }
}

/** Where the embedded test cluster lives (git-ignored, shared with the end-to-end tests). */
const TEST_DATA_DIR = resolve(import.meta.dirname, '../../../.data/test');

export default async function setup(project: {
  provide(key: 'databaseUrl', value: string): void;
}): Promise<() => Promise<void>> {
  const name = `tranche_test_${randomBytes(5).toString('hex')}`;
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    await createDatabaseIfMissing(url.toString());
    project.provide('databaseUrl', url.toString());
    return () => dropDatabase(url.toString());
  }
  const database = await ensureDatabase({
    dataDir: TEST_DATA_DIR,
    port: await freePort(),
    databaseName: name,
    logger: createLogger('test-database', 'warn'),
  });
  project.provide('databaseUrl', database.url);
  return async () => {
    await dropDatabase(database.url).catch(() => undefined);
    await database.stop();
  };
}
