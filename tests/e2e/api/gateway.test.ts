/**
 * The gateway end to end (on a platform of this file's own): one query planned across the
 * subgraphs, authentication before any planning and again in every subgraph, query limits,
 * CSRF prevention, request ids, hidden stack traces, and batched entity references.
 */
import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { useSeededApi } from '../../support/api.js';
import { graphql } from '../../support/platform.js';

const api = useSeededApi();

describe('federated reads through the gateway', () => {
  it('resolves one query across the deals, investors and distributions subgraphs', async () => {
    const res = await graphql<{
      deals: {
        total: number;
        items: {
          name: string;
          originalBalance: string;
          investorCount: number;
          tranches: { name: string; distributions: { period: number; interestAmount: string }[] }[];
        }[];
      };
    }>(
      api.platform.gatewayUrl,
      `
        {
          deals {
            total
            items {
              name
              originalBalance
              investorCount
              tranches {
                name
                distributions {
                  period
                  interestAmount
                }
              }
            }
          }
        }
      `,
      {},
      await api.token('investor@acme.test'),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.deals.total).toBe(1);
    const deal = res.data?.deals.items[0];
    expect(deal?.name).toBe('Acme Prime RMBS 2026-1');
    expect(deal?.originalBalance).toBe('50000000000');
    expect(deal?.investorCount).toBe(2);
    expect(deal?.tranches.map((t) => t.name)).toEqual(['A', 'M', 'B']);
    // Class A: 40,000,000,000 minor units × 475 bps / 12 = 158,333,333 (integer division).
    expect(deal?.tranches[0]?.distributions).toEqual([{ period: 202610, interestAmount: '158333333' }]);
  });

  it('answers liveness and readiness', async () => {
    const base = api.platform.gatewayUrl.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect(await (await fetch(`${base}/health/ready`)).json()).toEqual({ status: 'ready' });
  });
});

describe('authentication', () => {
  it('rejects a request without a token with 401 UNAUTHENTICATED', async () => {
    const res = await graphql(api.platform.gatewayUrl, '{ deals { total } }');
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('rejects a token whose signature was tampered with', async () => {
    const good = await api.token('arranger@acme.test');
    const [h, p, s] = good.split('.');
    const forged = `${h}.${p}.${s?.startsWith('A') ? 'B' : 'A'}${s?.slice(1)}`;
    const res = await graphql(api.platform.gatewayUrl, '{ deals { total } }', {}, forged);
    expect(res.status).toBe(401);
  });

  it('rejects a well-formed token signed by a key the issuer does not publish', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const rogue = await new SignJWT({ roles: ['ADMIN'], tenant: 'acme' })
      .setProtectedHeader({ alg: 'RS256', kid: 'rogue' })
      .setIssuer(api.platform.issuerUrl)
      .setAudience('tranche-api')
      .setSubject('mallory')
      .setExpirationTime('5m')
      .sign(privateKey);
    const res = await graphql(api.platform.gatewayUrl, '{ deals { total } }', {}, rogue);
    expect(res.status).toBe(401);
  });

  it('makes every subgraph verify the token too (no trust in the network)', async () => {
    const entityOf = {
      deals: 'Deal',
      investors: 'Investor',
      distributions: 'Distribution',
      audit: 'AuditEvent',
    };
    for (const [name, url] of Object.entries(api.platform.subgraphUrls)) {
      const res = await graphql(url, '{ _service { sdl } }');
      expect(res.errors).toBeUndefined(); // composition metadata is public
      const entities = await graphql(
        url,
        'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
        {
          r: [{ __typename: entityOf[name as keyof typeof entityOf], id: api.acmeDealId }],
        },
      );
      expect(entities.errors?.[0]?.extensions?.code, url).toBe('UNAUTHENTICATED');
    }
  });
});

describe('gateway protections', () => {
  it('rejects a query over the cost limit before calling any subgraph', async () => {
    const before = await api.sqlCount('deals');
    const res = await graphql(
      api.platform.gatewayUrl,
      `
        {
          deals(page: { limit: 100 }) {
            items {
              id
              tranches {
                id
                distributions {
                  id
                  period
                  interestAmount
                  principalAmount
                  status
                }
              }
            }
          }
        }
      `,
      {},
      await api.token('arranger@acme.test'),
    );
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
    expect(await api.sqlCount('deals')).toBe(before);
  });

  it('refuses 200 aliased projections by their @cost before calling any subgraph', async () => {
    const before = await api.sqlCount('distributions');
    const aliases = Array.from({ length: 200 }, (_, i) => `p${i}: projection(scenario: {}) { periods }`);
    const res = await graphql(
      api.platform.gatewayUrl,
      `query($id: ID!) { deal(id: $id) { ${aliases.join(' ')} } }`,
      { id: api.acmeDealId },
      await api.token('arranger@acme.test'),
    );
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', cost: 1 + 200 * 251 });
    expect(await api.sqlCount('distributions')).toBe(before);
  });

  it('keeps CSRF prevention on (a simple text/plain POST is refused)', async () => {
    const res = await fetch(api.platform.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain',
        authorization: `Bearer ${await api.token('arranger@acme.test')}`,
      },
      body: JSON.stringify({ query: '{ deals { total } }' }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/Cross-Site Request Forgery/);
  });

  it('refuses a body over 1 MB with 413 before parsing it', async () => {
    const res = await fetch(api.platform.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await api.token('arranger@acme.test')}`,
      },
      body: JSON.stringify({ query: `{ deals { total } } # ${'x'.repeat(1_100_000)}` }),
    });
    expect(res.status).toBe(413);
    // Sent in chunks, without a length: refused once the limit is passed, and the gateway
    // still answers the next request (it closes that connection instead of reusing it).
    const chunk = new TextEncoder().encode(' '.repeat(64 * 1024));
    let sent = 0;
    const chunked = await fetch(api.platform.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await api.token('arranger@acme.test')}`,
      },
      body: new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= 1_200_000) return controller.close();
          sent += chunk.length;
          controller.enqueue(chunk);
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    const next = await graphql<{ deals: { total: number } }>(
      api.platform.gatewayUrl,
      '{ deals { total } }',
      {},
      await api.token('arranger@acme.test'),
    );
    expect(next.errors).toBeUndefined();
  });

  it('keeps HTTP batching off (an array of operations is refused, none of them run)', async () => {
    const before = await api.sqlCount('deals');
    const res = await fetch(api.platform.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await api.token('arranger@acme.test')}`,
      },
      body: JSON.stringify([{ query: '{ deals { total } }' }, { query: '{ deals { total } }' }]),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/batching/i);
    expect(await api.sqlCount('deals')).toBe(before);
  });

  it('echoes the request id and hides stack traces outside development', async () => {
    const res = await fetch(api.platform.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'req-12345',
        authorization: `Bearer ${await api.token('investor@acme.test')}`,
      },
      body: JSON.stringify({ query: '{ auditEvents { total } }' }),
    });
    expect(res.headers.get('x-request-id')).toBe('req-12345');
    const body = (await res.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0]?.extensions.code).toBe('FORBIDDEN');
    expect(body.errors[0]?.extensions).not.toHaveProperty('stacktrace');
  });
});

describe('batching across subgraphs', () => {
  it('runs one statement per subgraph for a 100-deal federated page', async () => {
    await api.createDeals(99, 'Batch Deal');
    const before = {
      deals: await api.sqlCount('deals'),
      investors: await api.sqlCount('investors'),
      distributions: await api.sqlCount('distributions'),
    };
    const res = await graphql<{ deals: { items: unknown[] } }>(
      api.platform.gatewayUrl,
      '{ deals(page: { limit: 100 }) { items { id investorCount tranches { id distributions { id } } } } }',
      {},
      await api.token('arranger@acme.test'),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.deals.items).toHaveLength(100);
    // deals: the page, its count, and one batched tranche load.
    expect((await api.sqlCount('deals')) - before.deals).toBe(3);
    expect((await api.sqlCount('investors')) - before.investors).toBe(1);
    expect((await api.sqlCount('distributions')) - before.distributions).toBe(1);
  });

  it('answers a 100-deal page with tranches and distributions, priced by @listSize, under the default cost limit', async () => {
    const res = await graphql<{ deals: { items: { tranches: unknown[] }[] } }>(
      api.platform.gatewayUrl,
      '{ deals(page: { limit: 100 }) { items { id name investorCount tranches { id name distributions { id period interestAmount } } } } }',
      {},
      await api.token('arranger@acme.test'),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.deals.items.length).toBeGreaterThanOrEqual(100);
  });
});
