import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fetchUserToken } from '@tranche/dev-issuer';
import { startThrowawayStack, type RunningStack } from '@tranche/devstack';

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
