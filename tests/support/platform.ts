import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureChain, type ChainHandle } from '@tranche/chain';
import { fetchUserToken } from '@tranche/dev-issuer';
import { startThrowawayStack, type RunningStack } from '@tranche/devstack';
import pg from 'pg';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface TestPlatform extends RunningStack {
  /** An access token for a seeded user, from the running issuer. */
  token(email: string): Promise<string>;
}

/**
 * Starts a fresh platform for one test file: a new database (on `DATABASE_URL`'s server when
 * set, else on the embedded server under `.data/test`), the issuer, the four subgraphs, the
 * gateway and the back office (when `admin/dist` is built, or with `admin: true`), all on free ports. `stop()` tears it down and
 * drops the database.
 */
export async function startPlatform(
  options: { admin?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<TestPlatform> {
  const stack = await startThrowawayStack({
    label: 'test',
    root: ROOT,
    dataDir: resolve(ROOT, '.data/test'),
    admin: options.admin ?? existsSync(resolve(ROOT, 'admin/dist/index.html')),
    nodeEnv: 'test',
    logLevel: process.env.TEST_LOG_LEVEL ?? 'warn',
    env: { AUDIT_WRITER_INTERVAL_MS: '50', ...options.env },
  });
  return { ...stack, token: (email) => fetchUserToken(stack.issuerUrl, email) };
}

export interface GraphQLResult<T> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** POSTs a GraphQL operation with an optional bearer token; never throws on GraphQL errors. */
export async function graphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  headers: Record<string, string> = {},
): Promise<GraphQLResult<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Omit<GraphQLResult<T>, 'status'>;
  return { status: res.status, ...body };
}

/** Polls `check` until it returns a value other than undefined (or times out). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A platform on its own Hardhat node, with a client of its database (see {@link startPlatformOnChain}). */
export interface PlatformOnChain {
  chain: ChainHandle;
  platform: TestPlatform;
  db: pg.Client;
  /** Where the node's deployment manifest is. */
  manifestDir: string;
  /** Closes the client, stops the platform, then the node. */
  stop(): Promise<void>;
}

/**
 * Starts a Hardhat node with the platform's contracts deployed, then a platform whose only chain it
 * is (CHAIN_RPC_URL, CHAIN_MANIFEST_DIR, CHAINS), with `env` added, and connects to its database.
 * A failure part-way stops what had started.
 */
export async function startPlatformOnChain(
  options: { admin?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<PlatformOnChain> {
  const manifestDir = mkdtempSync(join(tmpdir(), 'tranche-manifest-'));
  const chain = await ensureChain({ port: 0, manifestDir });
  let platform: TestPlatform | undefined;
  try {
    platform = await startPlatform({
      admin: options.admin ?? false,
      env: {
        CHAIN_RPC_URL: chain.rpcUrl,
        CHAIN_MANIFEST_DIR: manifestDir,
        CHAINS: JSON.stringify([{ chainId: chain.chainId, name: 'Hardhat', rpcUrl: chain.rpcUrl }]),
        ...options.env,
      },
    });
    const db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    const started = platform;
    return {
      chain,
      platform: started,
      db,
      manifestDir,
      stop: async () => {
        await db.end();
        await started.stop();
        await chain.stop();
      },
    };
  } catch (err) {
    await platform?.stop();
    await chain.stop();
    throw err;
  }
}
