/**
 * The federated API end to end on real parts: a fresh PostgreSQL database, the development
 * OIDC issuer, the four subgraphs and the gateway as separate processes, seeded through the
 * API. Proves what institutional clients rely on: federated reads, authentication, role and
 * tenant isolation (also through entity references), validation with nothing half-written,
 * query limits, CSRF prevention, request ids, batching and committed migrations.
 */
import { generateKeyPair, SignJWT } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '@tranche/devstack';
import { createLogger, createOrm, pendingSchemaDiff, type SubgraphDefinition } from '@tranche/platform';
import { eventually, graphql, startPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
let db: pg.Client;
const tokens: Record<string, string> = {};
let acmeDealId = '';
let acmeTrancheIds: string[] = [];
let borealisDealId = '';

const token = async (email: string) => (tokens[email] ??= await platform.token(email));

const sqlCount = async (subgraph: keyof TestPlatform['subgraphUrls']) => {
  const text = await (await fetch(platform.subgraphUrls[subgraph].replace(/graphql$/, 'metrics'))).text();
  return Number(/sql_statements_total (\d+)/.exec(text)?.[1]);
};

const DEAL_INPUT = {
  name: 'Validation Check 2026-X',
  assetClass: 'RMBS',
  currency: 'USD',
  closingDate: '2026-12-01',
  tranches: [
    { name: 'A', seniority: 1, originalBalance: '1000000', couponBps: 400 },
    { name: 'B', seniority: 2, originalBalance: '250000', couponBps: 700 },
  ],
};
const CREATE = 'mutation($input: CreateDealInput!) { createDeal(input: $input) { id name originalBalance } }';

beforeAll(async () => {
  platform = await startPlatform({ admin: false });
  await seedDemo(platform.gatewayUrl, platform.issuerUrl);
  db = new pg.Client({ connectionString: platform.databaseUrl });
  await db.connect();
  const acme = await graphql<{ deals: { items: { id: string; tranches: { id: string }[] }[] } }>(
    platform.gatewayUrl,
    '{ deals { items { id tranches { id } } } }',
    {},
    await token('arranger@acme.test'),
  );
  acmeDealId = acme.data?.deals.items[0]?.id ?? '';
  acmeTrancheIds = acme.data?.deals.items[0]?.tranches.map((t) => t.id) ?? [];
  const borealis = await graphql<{ deals: { items: { id: string }[] } }>(
    platform.gatewayUrl,
    '{ deals { items { id } } }',
    {},
    await token('arranger@borealis.test'),
  );
  borealisDealId = borealis.data?.deals.items[0]?.id ?? '';
}, 240_000);

afterAll(async () => {
  await db?.end();
  await platform?.stop();
}, 60_000);

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
      platform.gatewayUrl,
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
      await token('investor@acme.test'),
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

  it('sorts and pages deals on the server', async () => {
    const arranger = await token('arranger@acme.test');
    for (const name of ['Sort Test C', 'Sort Test A', 'Sort Test B']) {
      const r = await graphql(platform.gatewayUrl, CREATE, { input: { ...DEAL_INPUT, name } }, arranger);
      expect(r.errors).toBeUndefined();
    }
    const page = await graphql<{ deals: { total: number; items: { name: string }[] } }>(
      platform.gatewayUrl,
      `
        {
          deals(
            filter: { q: "sort test" }
            sort: { field: NAME, order: DESC }
            page: { offset: 1, limit: 1 }
          ) {
            total
            items {
              name
            }
          }
        }
      `,
      {},
      arranger,
    );
    expect(page.data?.deals).toEqual({ total: 3, items: [{ name: 'Sort Test B' }] });
  });

  it('answers liveness and readiness', async () => {
    const base = platform.gatewayUrl.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect(await (await fetch(`${base}/health/ready`)).json()).toEqual({ status: 'ready' });
  });
});

describe('authentication', () => {
  it('rejects a request without a token with 401 UNAUTHENTICATED', async () => {
    const res = await graphql(platform.gatewayUrl, '{ deals { total } }');
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('rejects a token whose signature was tampered with', async () => {
    const good = await token('arranger@acme.test');
    const [h, p, s] = good.split('.');
    const forged = `${h}.${p}.${s?.startsWith('A') ? 'B' : 'A'}${s?.slice(1)}`;
    const res = await graphql(platform.gatewayUrl, '{ deals { total } }', {}, forged);
    expect(res.status).toBe(401);
  });

  it('rejects a well-formed token signed by a key the issuer does not publish', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const rogue = await new SignJWT({ roles: ['ADMIN'], tenant: 'acme' })
      .setProtectedHeader({ alg: 'RS256', kid: 'rogue' })
      .setIssuer(platform.issuerUrl)
      .setAudience('tranche-api')
      .setSubject('mallory')
      .setExpirationTime('5m')
      .sign(privateKey);
    const res = await graphql(platform.gatewayUrl, '{ deals { total } }', {}, rogue);
    expect(res.status).toBe(401);
  });

  it('makes every subgraph verify the token too (no trust in the network)', async () => {
    const entityOf = {
      deals: 'Deal',
      investors: 'Investor',
      distributions: 'Distribution',
      audit: 'AuditEvent',
    };
    for (const [name, url] of Object.entries(platform.subgraphUrls)) {
      const res = await graphql(url, '{ _service { sdl } }');
      expect(res.errors).toBeUndefined(); // composition metadata is public
      const entities = await graphql(
        url,
        'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
        {
          r: [{ __typename: entityOf[name as keyof typeof entityOf], id: acmeDealId }],
        },
      );
      expect(entities.errors?.[0]?.extensions?.code, url).toBe('UNAUTHENTICATED');
    }
  });
});

describe('authorization by role', () => {
  it('forbids an investor from creating a deal', async () => {
    const res = await graphql(
      platform.gatewayUrl,
      CREATE,
      { input: DEAL_INPUT },
      await token('investor@acme.test'),
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.data).toBeNull();
  });

  it('forbids a servicer from reading the audit trail and an investor from listing investors', async () => {
    const audit = await graphql(
      platform.gatewayUrl,
      '{ auditEvents { total } }',
      {},
      await token('servicer@acme.test'),
    );
    expect(audit.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const investors = await graphql(
      platform.gatewayUrl,
      '{ investors { total } }',
      {},
      await token('investor@acme.test'),
    );
    expect(investors.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('forbids a compliance officer from verifying the chain but lets an auditor', async () => {
    const q = '{ verifyAuditChain { valid } }';
    const denied = await graphql(platform.gatewayUrl, q, {}, await token('compliance@acme.test'));
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const allowed = await graphql<{ verifyAuditChain: { valid: boolean } }>(
      platform.gatewayUrl,
      q,
      {},
      await token('auditor@acme.test'),
    );
    expect(allowed.data?.verifyAuditChain.valid).toBe(true);
  });
});

describe('tenant isolation', () => {
  it("never returns another tenant's deal by id", async () => {
    const res = await graphql<{ deal: unknown }>(
      platform.gatewayUrl,
      'query($id: ID!) { deal(id: $id) { id name } }',
      { id: acmeDealId },
      await token('arranger@borealis.test'),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.deal).toBeNull();
  });

  it("never lists another tenant's deals, even when asked for their ids", async () => {
    const res = await graphql<{ deals: { total: number; items: { id: string }[] } }>(
      platform.gatewayUrl,
      'query($ids: [ID!]) { deals(filter: { ids: $ids }) { total items { id } } }',
      { ids: [acmeDealId, borealisDealId] },
      await token('arranger@borealis.test'),
    );
    expect(res.data?.deals).toEqual({ total: 1, items: [{ id: borealisDealId }] });
  });

  it("resolves another tenant's entity reference to null", async () => {
    const res = await graphql<{ _entities: ({ id: string; name: string } | null)[] }>(
      platform.subgraphUrls.deals,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Deal { id name } ... on Tranche { id name } } }',
      {
        r: [
          { __typename: 'Deal', id: acmeDealId },
          { __typename: 'Tranche', id: acmeTrancheIds[0] },
          { __typename: 'Deal', id: borealisDealId },
        ],
      },
      await token('arranger@borealis.test'),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities[0]).toBeNull();
    expect(res.data?._entities[1]).toBeNull();
    expect(res.data?._entities[2]?.id).toBe(borealisDealId);
  });

  it("hides another tenant's distributions and audit events", async () => {
    const distributions = await graphql<{ distributions: { total: number } }>(
      platform.gatewayUrl,
      'query($d: ID) { distributions(filter: { dealId: $d }) { total } }',
      { d: acmeDealId },
      await token('servicer@borealis.test'),
    );
    expect(distributions.data?.distributions.total).toBe(0);
    const audit = await graphql<{ auditEvents: { total: number } }>(
      platform.gatewayUrl,
      'query($id: String) { auditEvents(filter: { aggregateId: $id }) { total } }',
      { id: acmeDealId },
      await token('auditor@borealis.test'),
    );
    expect(audit.data?.auditEvents.total).toBe(0);
  });
});

describe('validation and writes', () => {
  it('rejects bad input naming each field, and writes nothing', async () => {
    const before = await db.query('select count(*)::int as n from deals.deal');
    const outboxBefore = await db.query('select count(*)::int as n from deals.outbox_event');
    const res = await graphql(
      platform.gatewayUrl,
      CREATE,
      {
        input: {
          ...DEAL_INPUT,
          currency: 'usd',
          tranches: [
            { name: 'A', seniority: 1, originalBalance: '0', couponBps: 400 },
            { name: 'A', seniority: 1, originalBalance: '10', couponBps: 400 },
          ],
        },
      },
      await token('arranger@acme.test'),
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.extensions?.fields).toHaveProperty('currency');
    const second = await graphql(
      platform.gatewayUrl,
      CREATE,
      {
        input: {
          ...DEAL_INPUT,
          tranches: [
            { name: 'A', seniority: 1, originalBalance: '0', couponBps: 400 },
            { name: 'A', seniority: 1, originalBalance: '10', couponBps: 400 },
          ],
        },
      },
      await token('arranger@acme.test'),
    );
    expect(second.errors?.[0]?.extensions?.fields).toEqual({
      'tranches.0.originalBalance': 'must be greater than 0',
      'tranches.1.name': 'duplicate tranche name "A"',
      'tranches.1.seniority': 'duplicate seniority 1',
    });
    const malformed = await graphql(
      platform.gatewayUrl,
      CREATE,
      { input: { ...DEAL_INPUT, tranches: [{ ...DEAL_INPUT.tranches[0], originalBalance: '12.50' }] } },
      await token('arranger@acme.test'),
    );
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await db.query('select count(*)::int as n from deals.deal')).rows[0].n).toBe(before.rows[0].n);
    expect((await db.query('select count(*)::int as n from deals.outbox_event')).rows[0].n).toBe(
      outboxBefore.rows[0].n,
    );
  });

  it('refuses a duplicate deal name in the same tenant with CONFLICT', async () => {
    const res = await graphql(
      platform.gatewayUrl,
      CREATE,
      { input: { ...DEAL_INPUT, name: 'Acme Prime RMBS 2026-1' } },
      await token('arranger@acme.test'),
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('refuses a backwards lifecycle move and leaves the deal unchanged', async () => {
    const q = 'mutation($id: ID!) { updateDeal(id: $id, input: { status: CLOSED }) { status } }';
    const res = await graphql(platform.gatewayUrl, q, { id: acmeDealId }, await token('arranger@acme.test'));
    expect(res.errors?.[0]?.extensions?.fields).toEqual({ status: 'cannot move from STRUCTURED to CLOSED' });
    const row = await db.query('select status from deals.deal where id = $1', [acmeDealId]);
    expect(row.rows[0].status).toBe('STRUCTURED');
  });

  it("cannot update another tenant's deal", async () => {
    const q = 'mutation($id: ID!) { updateDeal(id: $id, input: { name: "Hijacked" }) { id } }';
    const res = await graphql(
      platform.gatewayUrl,
      q,
      { id: acmeDealId },
      await token('arranger@borealis.test'),
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('records the audit event in the same transaction, with the forwarded request id', async () => {
    const requestId = `test-${Date.now()}`;
    const res = await graphql<{ createDeal: { id: string } }>(
      platform.gatewayUrl,
      CREATE,
      { input: { ...DEAL_INPUT, name: 'Audited Deal 2026-Z' } },
      await token('arranger@acme.test'),
      { 'x-request-id': requestId },
    );
    const id = res.data?.createDeal.id;
    const outbox = await db.query(
      'select action, actor, request_id from deals.outbox_event where aggregate_id = $1',
      [id],
    );
    expect(outbox.rows).toEqual([
      { action: 'deal.created', actor: 'user:arranger@acme.test', request_id: requestId },
    ]);
    const linked = await eventually(async () => {
      const r = await graphql<{ auditEvents: { items: { action: string; seq: number }[] } }>(
        platform.gatewayUrl,
        'query($id: String) { auditEvents(filter: { aggregateId: $id }) { items { action seq } } }',
        { id },
        await token('auditor@acme.test'),
      );
      return r.data?.auditEvents.items.length ? r.data.auditEvents.items : undefined;
    });
    expect(linked[0]?.action).toBe('deal.created');
  });
});

describe('gateway protections', () => {
  it('rejects a query over the cost limit before calling any subgraph', async () => {
    const before = await sqlCount('deals');
    const res = await graphql(
      platform.gatewayUrl,
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
      await token('arranger@acme.test'),
    );
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
    expect(await sqlCount('deals')).toBe(before);
  });

  it('keeps CSRF prevention on (a simple text/plain POST is refused)', async () => {
    const res = await fetch(platform.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${await token('arranger@acme.test')}` },
      body: JSON.stringify({ query: '{ deals { total } }' }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/Cross-Site Request Forgery/);
  });

  it('echoes the request id and hides stack traces outside development', async () => {
    const res = await fetch(platform.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'req-12345',
        authorization: `Bearer ${await token('investor@acme.test')}`,
      },
      body: JSON.stringify({ query: '{ auditEvents { total } }' }),
    });
    expect(res.headers.get('x-request-id')).toBe('req-12345');
    const body = (await res.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0]?.extensions.code).toBe('FORBIDDEN');
    expect(body.errors[0]?.extensions).not.toHaveProperty('stacktrace');
  });
});

describe('batching of entity references', () => {
  it('resolves 100 deal references with one SQL statement', async () => {
    const arranger = await token('arranger@acme.test');
    const ids: string[] = [];
    for (let i = 0; i < 100; i += 1) {
      const r = await graphql<{ createDeal: { id: string } }>(
        platform.gatewayUrl,
        CREATE,
        { input: { ...DEAL_INPUT, name: `Batch Deal ${String(i).padStart(3, '0')}` } },
        arranger,
      );
      ids.push(r.data?.createDeal.id ?? '');
    }
    const before = await sqlCount('deals');
    const res = await graphql<{ _entities: { id: string }[] }>(
      platform.subgraphUrls.deals,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Deal { id name status } } }',
      { r: ids.map((id) => ({ __typename: 'Deal', id })) },
      arranger,
    );
    const statements = (await sqlCount('deals')) - before;
    expect(res.data?._entities.map((e) => e.id)).toEqual(ids);
    expect(statements).toBe(1);
  });

  it('runs one statement per subgraph for a 100-deal federated page', async () => {
    const before = {
      deals: await sqlCount('deals'),
      investors: await sqlCount('investors'),
      distributions: await sqlCount('distributions'),
    };
    const res = await graphql<{ deals: { items: unknown[] } }>(
      platform.gatewayUrl,
      '{ deals(page: { limit: 100 }) { items { id investorCount tranches { id distributions { id } } } } }',
      {},
      await token('arranger@acme.test'),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.deals.items).toHaveLength(100);
    // deals: the page, its count, and one batched tranche load.
    expect((await sqlCount('deals')) - before.deals).toBe(3);
    expect((await sqlCount('investors')) - before.investors).toBe(1);
    expect((await sqlCount('distributions')) - before.distributions).toBe(1);
  });
});

describe('deal structure and projections (waterfall engine through the gateway)', () => {
  const PROJECT = `query($id: ID!, $s: ScenarioInput!) { deal(id: $id) { name projection(scenario: $s) {
    poolWal periods classes { classId originalBalance wal principalWindowFirst principalWindowLast totalPrincipal
      cashFlows { period beginBalance principalPaid endBalance } } } } }`;

  it('projects the seeded deal: every class repaid, sequential windows, WALs in priority order', async () => {
    const res = await graphql<{
      deal: {
        projection: {
          periods: number;
          classes: {
            classId: string;
            originalBalance: string;
            wal: number | null;
            principalWindowFirst: number | null;
            principalWindowLast: number | null;
            totalPrincipal: string;
            cashFlows: { period: number; beginBalance: string; principalPaid: string; endBalance: string }[];
          }[];
        };
      };
    }>(
      platform.gatewayUrl,
      PROJECT,
      { id: acmeDealId, s: { prepayment: { model: 'PSA', rate: 150 } } },
      await token('investor@acme.test'),
    );
    expect(res.errors).toBeUndefined();
    const classes = res.data?.deal.projection.classes ?? [];
    const byId = Object.fromEntries(classes.map((c) => [c.classId, c]));
    // No defaults: each class is repaid exactly its original balance (minor units, no float drift).
    for (const id of ['A', 'M', 'B']) expect(byId[id]?.totalPrincipal).toBe(byId[id]?.originalBalance);
    expect(byId.A?.originalBalance).toBe('40000000000');
    // Sequential pay: M starts when A retires, B when M retires, and WALs follow seniority.
    expect(byId.A?.principalWindowFirst).toBe(1);
    expect(byId.M?.principalWindowFirst).toBe(byId.A?.principalWindowLast);
    expect(byId.B?.principalWindowFirst).toBe(byId.M?.principalWindowLast);
    expect(byId.A?.wal).toBeLessThan(byId.M?.wal ?? 0);
    expect(byId.M?.wal).toBeLessThan(byId.B?.wal ?? 0);
    // Every row rolls forward: begin - principal = end.
    for (const c of classes) {
      for (const row of c.cashFlows) {
        expect(BigInt(row.beginBalance) - BigInt(row.principalPaid)).toBe(BigInt(row.endBalance));
      }
    }
  });

  it('projects a PSA grid in one request: faster prepayments shorten every WAL', async () => {
    const res = await graphql<{
      deal: { projectionGrid: { scenarioName: string; classes: { classId: string; wal: number }[] }[] };
    }>(
      platform.gatewayUrl,
      `
        query ($id: ID!, $s: [ScenarioInput!]!) {
          deal(id: $id) {
            projectionGrid(scenarios: $s) {
              scenarioName
              classes {
                classId
                wal
              }
            }
          }
        }
      `,
      {
        id: acmeDealId,
        s: [100, 300, 500].map((psa) => ({ name: `${psa} PSA`, prepayment: { model: 'PSA', rate: psa } })),
      },
      await token('arranger@acme.test'),
    );
    expect(res.errors).toBeUndefined();
    const grid = res.data?.deal.projectionGrid ?? [];
    expect(grid.map((g) => g.scenarioName)).toEqual(['100 PSA', '300 PSA', '500 PSA']);
    const walOf = (i: number, id: string) => grid[i]?.classes.find((c) => c.classId === id)?.wal ?? NaN;
    for (const id of ['A', 'M', 'B']) {
      expect(walOf(0, id)).toBeGreaterThan(walOf(1, id));
      expect(walOf(1, id)).toBeGreaterThan(walOf(2, id));
    }
  });

  it('rejects a bad scenario naming the field, and a deal without a structure', async () => {
    const arranger = await token('arranger@acme.test');
    const bad = await graphql(
      platform.gatewayUrl,
      PROJECT,
      { id: acmeDealId, s: { prepayment: { model: 'PSA' } } },
      arranger,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.extensions?.fields).toEqual({
      'scenario.prepayment.rate': 'PSA needs a multiple, e.g. 150',
    });
    const negative = await graphql(
      platform.gatewayUrl,
      PROJECT,
      { id: acmeDealId, s: { severityPct: 120 } },
      arranger,
    );
    expect(negative.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const unstructured = await graphql(
      platform.gatewayUrl,
      PROJECT,
      { id: borealisDealId, s: {} },
      await token('arranger@borealis.test'),
    );
    expect(unstructured.errors?.[0]?.extensions?.fields).toHaveProperty('dealId');
  });

  it('answers a list with projections for structured deals and a per-deal error for the others', async () => {
    const res = await graphql<{
      deals: { items: { name: string; projection: { periods: number } | null }[] };
    }>(
      platform.gatewayUrl,
      '{ deals(page: { limit: 5 }, sort: { field: CREATED_AT, order: ASC }) { items { name projection(scenario: {}) { periods } } } }',
      {},
      await token('arranger@acme.test'),
    );
    const items = res.data?.deals.items ?? [];
    expect(items[0]?.name).toBe('Acme Prime RMBS 2026-1');
    expect(items[0]?.projection?.periods).toBeGreaterThan(300);
    expect(items.slice(1).every((d) => d.projection === null)).toBe(true);
    expect(res.errors?.length).toBe(items.length - 1);
    expect(res.errors?.every((e) => e.extensions?.code === 'BAD_USER_INPUT')).toBe(true);
  });

  it("never projects another tenant's deal", async () => {
    const res = await graphql<{ deal: unknown }>(
      platform.gatewayUrl,
      PROJECT,
      { id: acmeDealId, s: {} },
      await token('arranger@borealis.test'),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.deal).toBeNull();
  });

  it('validates a rule document on save, naming the path, and keeps the old structure', async () => {
    const SET =
      'mutation($id: ID!, $input: DealStructureInput!) { setDealStructure(id: $id, input: $input) { id } }';
    const before = await db.query('select waterfall_rules from deals.deal where id = $1', [acmeDealId]);
    const rules = JSON.parse(before.rows[0].waterfall_rules as string) as { waterfall: unknown[] };
    const collateral = (await db.query('select collateral from deals.deal where id = $1', [acmeDealId]))
      .rows[0].collateral;
    const unknownClass = {
      ...rules,
      waterfall: [{ payInterest: ['A', 'M', 'B'] }, { payPrincipal: { sequential: ['A', 'Z9'] } }],
    };
    const res = await graphql(
      platform.gatewayUrl,
      SET,
      { id: acmeDealId, input: { waterfallRules: JSON.stringify(unknownClass), collateral } },
      await token('arranger@acme.test'),
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const fields = res.errors?.[0]?.extensions?.fields as Record<string, string>;
    expect(Object.keys(fields).some((path) => path.startsWith('waterfallRules.waterfall[1]'))).toBe(true);
    expect(Object.values(fields).join(' ')).toMatch(/Z9/);
    const missingTranche = {
      ...rules,
      classes: [
        { id: 'A', balance: 500000000, coupon: 5 },
        { id: 'R', residual: true },
      ],
      waterfall: [{ payInterest: ['A'] }, { payPrincipal: 'A' }],
      losses: { writedownOrder: ['A'] },
    };
    const res2 = await graphql(
      platform.gatewayUrl,
      SET,
      { id: acmeDealId, input: { waterfallRules: JSON.stringify(missingTranche), collateral } },
      await token('arranger@acme.test'),
    );
    expect(res2.errors?.[0]?.extensions?.fields).toMatchObject({
      'waterfallRules.classes': 'no class for tranche(s) M, B',
    });
    const notJson = await graphql(
      platform.gatewayUrl,
      SET,
      { id: acmeDealId, input: { waterfallRules: '{"classes": [', collateral } },
      await token('arranger@acme.test'),
    );
    expect(notJson.errors?.[0]?.extensions?.fields).toHaveProperty('waterfallRules');
    const denied = await graphql(
      platform.gatewayUrl,
      SET,
      { id: acmeDealId, input: { waterfallRules: before.rows[0].waterfall_rules, collateral } },
      await token('servicer@acme.test'),
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const after = await db.query('select waterfall_rules from deals.deal where id = $1', [acmeDealId]);
    expect(after.rows[0].waterfall_rules).toBe(before.rows[0].waterfall_rules);
  });
});

describe('migrations', () => {
  it('match the entities of every subgraph (no pending schema difference)', async () => {
    for (const name of ['deals', 'investors', 'distributions', 'audit']) {
      const mod = (await import(`../../subgraphs/${name}/dist/index.js`)) as Record<
        string,
        SubgraphDefinition
      >;
      const def = mod[`${name}Subgraph`];
      if (!def) throw new Error(`no definition exported by ${name}`);
      const orm = await createOrm({
        databaseUrl: platform.databaseUrl,
        schema: def.dbSchema,
        entities: def.entities,
        migrations: def.migrations,
        logger: createLogger('test', 'silent'),
      });
      try {
        expect(await pendingSchemaDiff(orm), name).toBe('');
      } finally {
        await orm.close();
      }
    }
  });
});
