/**
 * What every file of the API's end-to-end suite (`tests/e2e/api/*.test.ts`, one per subgraph
 * plus the gateway's) shares: a fresh platform of its own, seeded through the API, with a
 * connection to its database, cached tokens and the seeded deals' ids. Each file starts its own
 * platform so no file depends on what another wrote.
 */
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { seedDemo } from '@tranche/devstack';
import { graphql, startPlatform, type TestPlatform } from './platform.js';

/** A deal any test may create (two tranches, minor units). */
export const DEAL_INPUT = {
  name: 'Validation Check 2026-X',
  assetClass: 'RMBS',
  currency: 'USD',
  closingDate: '2026-12-01',
  tranches: [
    { name: 'A', seniority: 1, originalBalance: '1000000', couponBps: 400 },
    { name: 'B', seniority: 2, originalBalance: '250000', couponBps: 700 },
  ],
};

export const CREATE_DEAL =
  'mutation($input: CreateDealInput!) { createDeal(input: $input) { id name originalBalance } }';

export interface SeededApi {
  platform: TestPlatform;
  /** The platform database, for asserting what was (not) written. */
  db: pg.Client;
  /** The demo deal of Acme (structured, three tranches) and its tranche ids. */
  acmeDealId: string;
  acmeTrancheIds: string[];
  /** The demo deal of Borealis, the other tenant (not structured). */
  borealisDealId: string;
  /** An access token of a seeded user, fetched once per file. */
  token(email: string): Promise<string>;
  /** SQL statements a subgraph has sent so far (its `/metrics`). */
  sqlCount(subgraph: keyof TestPlatform['subgraphUrls']): Promise<number>;
  /** Creates `count` deals for Acme's arranger, returning their ids in order. */
  createDeals(count: number, prefix: string): Promise<string[]>;
}

/**
 * Registers the file's `beforeAll`/`afterAll`: a fresh platform seeded with the demo. The
 * returned object is filled in before the first test runs.
 */
export function useSeededApi(options: { env?: NodeJS.ProcessEnv } = {}): SeededApi {
  const tokens: Record<string, string> = {};
  const api = {
    acmeDealId: '',
    acmeTrancheIds: [] as string[],
    borealisDealId: '',
    token: async (email: string) => (tokens[email] ??= await api.platform.token(email)),
    sqlCount: async (subgraph: keyof TestPlatform['subgraphUrls']) => {
      const url = api.platform.subgraphUrls[subgraph].replace(/graphql$/, 'metrics');
      return Number(/sql_statements_total (\d+)/.exec(await (await fetch(url)).text())?.[1]);
    },
    createDeals: async (count: number, prefix: string) => {
      const arranger = await api.token('arranger@acme.test');
      const ids: string[] = [];
      for (let i = 0; i < count; i += 1) {
        const name = `${prefix} ${String(i).padStart(3, '0')}`;
        const r = await graphql<{ createDeal: { id: string } }>(
          api.platform.gatewayUrl,
          CREATE_DEAL,
          { input: { ...DEAL_INPUT, name } },
          arranger,
        );
        if (!r.data) throw new Error(`creating ${name} failed: ${JSON.stringify(r.errors)}`);
        ids.push(r.data.createDeal.id);
      }
      return ids;
    },
  } as SeededApi;

  beforeAll(async () => {
    api.platform = await startPlatform({ admin: false, env: options.env });
    await seedDemo(api.platform.gatewayUrl, api.platform.issuerUrl);
    api.db = new pg.Client({ connectionString: api.platform.databaseUrl });
    await api.db.connect();
    const acme = await graphql<{ deals: { items: { id: string; tranches: { id: string }[] }[] } }>(
      api.platform.gatewayUrl,
      '{ deals { items { id tranches { id } } } }',
      {},
      await api.token('arranger@acme.test'),
    );
    api.acmeDealId = acme.data?.deals.items[0]?.id ?? '';
    api.acmeTrancheIds = acme.data?.deals.items[0]?.tranches.map((t) => t.id) ?? [];
    const borealis = await graphql<{ deals: { items: { id: string }[] } }>(
      api.platform.gatewayUrl,
      '{ deals { items { id } } }',
      {},
      await api.token('arranger@borealis.test'),
    );
    api.borealisDealId = borealis.data?.deals.items[0]?.id ?? '';
  }, 240_000);

  afterAll(async () => {
    await api.db?.end();
    await api.platform?.stop();
  }, 60_000);

  return api;
}
