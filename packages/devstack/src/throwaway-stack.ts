import { randomBytes } from 'node:crypto';
import { createDatabaseIfMissing, dropDatabase } from './database.js';
import { freePort } from './processes.js';
import { startStack, type RunningStack, type StackOptions } from './stack.js';

/**
 * A whole platform on free ports over a fresh database of its own, for a test file or a
 * benchmark run: on `DATABASE_URL`'s server when it is set, else on an embedded server under
 * `dataDir`. `stop()` stops every service and drops the database.
 */
export async function startThrowawayStack(
  options: Omit<StackOptions, 'databaseUrl' | 'databaseName' | 'embeddedPgPort' | 'ports'> & {
    label: string;
  },
): Promise<RunningStack> {
  const { label, ...stackOptions } = options;
  const name = `tranche_${label}_${randomBytes(5).toString('hex')}`;
  let databaseUrl: string | undefined;
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    await createDatabaseIfMissing(databaseUrl);
  }
  const stack = await startStack({
    ...stackOptions,
    databaseUrl,
    databaseName: name,
    embeddedPgPort: Number(process.env.TEST_EMBEDDED_PG_PORT ?? 0) || (await freePort()),
    ports: 'random',
  });
  return {
    ...stack,
    stop: async () => {
      if (databaseUrl) {
        await stack.stop();
        await dropDatabase(databaseUrl);
      } else {
        // The embedded server goes down with the stack: drop the database while it is up.
        await dropDatabase(stack.databaseUrl).catch(() => undefined);
        await stack.stop();
      }
    },
  };
}
