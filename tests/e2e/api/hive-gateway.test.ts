/**
 * The committed supergraph runs unchanged under a second gateway: Hive Gateway with its Rust
 * query planner (bench/hive-gateway.mjs), in front of the same subgraphs as ours. It forwards
 * the bearer token, the subgraphs verify it, and clients get the same answers and the same
 * refusals through either gateway — what running several gateway processes (or another
 * gateway product) behind one load balancer needs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort, waitForHttp } from '@tranche/devstack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSeededApi } from '../../support/api.js';
import { graphql, ROOT } from '../../support/platform.js';

const api = useSeededApi();
let hive: ChildProcess | undefined;
let hiveUrl = '';

beforeAll(async () => {
  const port = await freePort();
  hive = spawn(process.execPath, [resolve(ROOT, 'bench/hive-gateway.mjs')], {
    env: {
      ...process.env,
      PORT: String(port),
      SUPERGRAPH: resolve(ROOT, 'gateway/supergraph.graphql'),
      SUBGRAPH_URLS: JSON.stringify(api.platform.subgraphUrls),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  hiveUrl = `http://127.0.0.1:${port}/graphql`;
  await waitForHttp(`http://127.0.0.1:${port}/healthcheck`, null, 60_000);
}, 90_000);

afterAll(() => {
  hive?.kill('SIGTERM');
});

/** The same operation through our gateway and through Hive Gateway. */
async function both<T>(query: string, variables: Record<string, unknown>, token?: string) {
  const [ours, theirs] = await Promise.all([
    graphql<T>(api.platform.gatewayUrl, query, variables, token),
    graphql<T>(hiveUrl, query, variables, token),
  ]);
  return { ours, theirs };
}

describe('the committed supergraph under Hive Gateway (Rust query planner)', () => {
  it('answers a query across the deals, investors and distributions subgraphs as our gateway does', async () => {
    const { ours, theirs } = await both<{
      deals: { items: { name: string; investorCount: number; tranches: { distributions: unknown[] }[] }[] };
    }>(
      `{
        deals {
          total
          items {
            id
            name
            originalBalance
            investorCount
            tranches { id name couponBps distributions { period interestAmount principalAmount status } }
          }
        }
      }`,
      {},
      await api.token('investor@acme.test'),
    );
    expect(ours.errors).toBeUndefined();
    expect(theirs.status).toBe(200);
    expect(theirs.data).toEqual(ours.data);
    // the three subgraphs answered (each verified the forwarded token)
    const deal = theirs.data?.deals.items[0];
    expect(deal?.name).toBe('Acme Prime RMBS 2026-1');
    expect(deal?.investorCount).toBe(2);
    expect(deal?.tranches[0]?.distributions).toHaveLength(1);
  });

  it('refuses a request without a token as UNAUTHENTICATED (401), as our gateway does', async () => {
    const { ours, theirs } = await both('{ deals { total } }', {});
    expect(ours.status).toBe(401);
    expect(theirs.status).toBe(401);
    expect(ours.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(theirs.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(theirs.data ?? null).toBeNull();
  });

  it("shows a tenant nothing of another tenant's deal, as our gateway does", async () => {
    const token = await api.token('arranger@borealis.test');
    const byId = await both<{ deal: unknown }>(
      'query($id: ID!) { deal(id: $id) { id name investorCount tranches { id } } }',
      { id: api.acmeDealId },
      token,
    );
    expect(byId.ours.data).toEqual({ deal: null });
    expect(byId.theirs.data).toEqual({ deal: null });
    const listed = await both<{ deals: { total: number; items: unknown[] } }>(
      'query($ids: [ID!]) { deals(filter: { ids: $ids }) { total items { id } } }',
      { ids: [api.acmeDealId] },
      token,
    );
    expect(listed.ours.data).toEqual({ deals: { total: 0, items: [] } });
    expect(listed.theirs.data).toEqual(listed.ours.data);
  });
});
