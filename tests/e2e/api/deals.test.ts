/**
 * The deals subgraph through the gateway (on a platform of this file's own): server-side sort
 * and paging, writers only, tenant isolation also through entity references, validation with
 * nothing half-written, the lifecycle, the outbox written in the same transaction, batched
 * references, and structure documents validated by the engine on save.
 */
import { describe, expect, it } from 'vitest';
import { CREATE_DEAL, DEAL_INPUT, useSeededApi } from '../../support/api.js';
import { eventually, graphql } from '../../support/platform.js';

const api = useSeededApi();

describe('reading deals', () => {
  it('sorts and pages deals on the server', async () => {
    const arranger = await api.token('arranger@acme.test');
    for (const name of ['Sort Test C', 'Sort Test A', 'Sort Test B']) {
      const r = await graphql(
        api.platform.gatewayUrl,
        CREATE_DEAL,
        { input: { ...DEAL_INPUT, name } },
        arranger,
      );
      expect(r.errors).toBeUndefined();
    }
    const page = await graphql<{ deals: { total: number; items: { name: string }[] } }>(
      api.platform.gatewayUrl,
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
});

describe('authorization and tenant isolation', () => {
  it('forbids an investor from creating a deal', async () => {
    const res = await graphql(
      api.platform.gatewayUrl,
      CREATE_DEAL,
      { input: DEAL_INPUT },
      await api.token('investor@acme.test'),
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.data).toBeNull();
  });

  it("never returns another tenant's deal by id", async () => {
    const res = await graphql<{ deal: unknown }>(
      api.platform.gatewayUrl,
      'query($id: ID!) { deal(id: $id) { id name } }',
      { id: api.acmeDealId },
      await api.token('arranger@borealis.test'),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.deal).toBeNull();
  });

  it("never lists another tenant's deals, even when asked for their ids", async () => {
    const res = await graphql<{ deals: { total: number; items: { id: string }[] } }>(
      api.platform.gatewayUrl,
      'query($ids: [ID!]) { deals(filter: { ids: $ids }) { total items { id } } }',
      { ids: [api.acmeDealId, api.borealisDealId] },
      await api.token('arranger@borealis.test'),
    );
    expect(res.data?.deals).toEqual({ total: 1, items: [{ id: api.borealisDealId }] });
  });

  it("resolves another tenant's entity reference to null", async () => {
    const res = await graphql<{ _entities: ({ id: string; name: string } | null)[] }>(
      api.platform.subgraphUrls.deals,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Deal { id name } ... on Tranche { id name } } }',
      {
        r: [
          { __typename: 'Deal', id: api.acmeDealId },
          { __typename: 'Tranche', id: api.acmeTrancheIds[0] },
          { __typename: 'Deal', id: api.borealisDealId },
        ],
      },
      await api.token('arranger@borealis.test'),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities[0]).toBeNull();
    expect(res.data?._entities[1]).toBeNull();
    expect(res.data?._entities[2]?.id).toBe(api.borealisDealId);
  });
});

describe('validation and writes', () => {
  it('rejects bad input naming each field, and writes nothing', async () => {
    const before = await api.db.query('select count(*)::int as n from deals.deal');
    const outboxBefore = await api.db.query('select count(*)::int as n from deals.outbox_event');
    const res = await graphql(
      api.platform.gatewayUrl,
      CREATE_DEAL,
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
      await api.token('arranger@acme.test'),
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.extensions?.fields).toHaveProperty('currency');
    const second = await graphql(
      api.platform.gatewayUrl,
      CREATE_DEAL,
      {
        input: {
          ...DEAL_INPUT,
          tranches: [
            { name: 'A', seniority: 1, originalBalance: '0', couponBps: 400 },
            { name: 'A', seniority: 1, originalBalance: '10', couponBps: 400 },
          ],
        },
      },
      await api.token('arranger@acme.test'),
    );
    expect(second.errors?.[0]?.extensions?.fields).toEqual({
      'tranches.0.originalBalance': 'must be greater than 0',
      'tranches.1.name': 'duplicate tranche name "A"',
      'tranches.1.seniority': 'duplicate seniority 1',
    });
    const malformed = await graphql(
      api.platform.gatewayUrl,
      CREATE_DEAL,
      { input: { ...DEAL_INPUT, tranches: [{ ...DEAL_INPUT.tranches[0], originalBalance: '12.50' }] } },
      await api.token('arranger@acme.test'),
    );
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await api.db.query('select count(*)::int as n from deals.deal')).rows[0].n).toBe(
      before.rows[0].n,
    );
    expect((await api.db.query('select count(*)::int as n from deals.outbox_event')).rows[0].n).toBe(
      outboxBefore.rows[0].n,
    );
  });

  it('refuses a duplicate deal name in the same tenant with CONFLICT', async () => {
    const res = await graphql(
      api.platform.gatewayUrl,
      CREATE_DEAL,
      { input: { ...DEAL_INPUT, name: 'Acme Prime RMBS 2026-1' } },
      await api.token('arranger@acme.test'),
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('refuses a lifecycle move only the workflow makes, and leaves the deal unchanged', async () => {
    const q = 'mutation($id: ID!) { updateDeal(id: $id, input: { status: MATURED }) { status } }';
    const res = await graphql(
      api.platform.gatewayUrl,
      q,
      { id: api.acmeDealId },
      await api.token('arranger@acme.test'),
    );
    expect(res.errors?.[0]?.extensions?.fields).toEqual({ status: 'cannot move from PROPOSED to MATURED' });
    const row = await api.db.query('select status from deals.deal where id = $1', [api.acmeDealId]);
    expect(row.rows[0].status).toBe('PROPOSED');
  });

  it("cannot update another tenant's deal", async () => {
    const q = 'mutation($id: ID!) { updateDeal(id: $id, input: { name: "Hijacked" }) { id } }';
    const res = await graphql(
      api.platform.gatewayUrl,
      q,
      { id: api.acmeDealId },
      await api.token('arranger@borealis.test'),
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('records the audit event in the same transaction, with the forwarded request id', async () => {
    const requestId = `test-${Date.now()}`;
    const res = await graphql<{ createDeal: { id: string } }>(
      api.platform.gatewayUrl,
      CREATE_DEAL,
      { input: { ...DEAL_INPUT, name: 'Audited Deal 2026-Z' } },
      await api.token('arranger@acme.test'),
      { 'x-request-id': requestId },
    );
    const id = res.data?.createDeal.id;
    const outbox = await api.db.query(
      'select action, actor, request_id from deals.outbox_event where aggregate_id = $1',
      [id],
    );
    expect(outbox.rows).toEqual([
      { action: 'deal.created', actor: 'user:arranger@acme.test', request_id: requestId },
    ]);
    const linked = await eventually(async () => {
      const r = await graphql<{ auditEvents: { items: { action: string; seq: number }[] } }>(
        api.platform.gatewayUrl,
        'query($id: String) { auditEvents(filter: { aggregateId: $id }) { items { action seq } } }',
        { id },
        await api.token('auditor@acme.test'),
      );
      return r.data?.auditEvents.items.length ? r.data.auditEvents.items : undefined;
    });
    expect(linked[0]?.action).toBe('deal.created');
  });
});

describe('batching of entity references', () => {
  it('resolves 100 deal references with one SQL statement', async () => {
    const arranger = await api.token('arranger@acme.test');
    const ids: string[] = [];
    for (let i = 0; i < 100; i += 1) {
      const r = await graphql<{ createDeal: { id: string } }>(
        api.platform.gatewayUrl,
        CREATE_DEAL,
        { input: { ...DEAL_INPUT, name: `Batch Deal ${String(i).padStart(3, '0')}` } },
        arranger,
      );
      ids.push(r.data?.createDeal.id ?? '');
    }
    const before = await api.sqlCount('deals');
    const res = await graphql<{ _entities: { id: string }[] }>(
      api.platform.subgraphUrls.deals,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Deal { id name status } } }',
      { r: ids.map((id) => ({ __typename: 'Deal', id })) },
      arranger,
    );
    const statements = (await api.sqlCount('deals')) - before;
    expect(res.data?._entities.map((e) => e.id)).toEqual(ids);
    expect(statements).toBe(1);
  });
});

describe('deal structure', () => {
  it('validates a rule document on save, naming the path, and keeps the old structure', async () => {
    const SET =
      'mutation($id: ID!, $input: DealStructureInput!) { setDealStructure(id: $id, input: $input) { id } }';
    const before = await api.db.query('select waterfall_rules from deals.deal where id = $1', [
      api.acmeDealId,
    ]);
    const rules = JSON.parse(before.rows[0].waterfall_rules as string) as { waterfall: unknown[] };
    const collateral = (
      await api.db.query('select collateral from deals.deal where id = $1', [api.acmeDealId])
    ).rows[0].collateral;
    const unknownClass = {
      ...rules,
      waterfall: [{ payInterest: ['A', 'M', 'B'] }, { payPrincipal: { sequential: ['A', 'Z9'] } }],
    };
    const res = await graphql(
      api.platform.gatewayUrl,
      SET,
      { id: api.acmeDealId, input: { waterfallRules: JSON.stringify(unknownClass), collateral } },
      await api.token('arranger@acme.test'),
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
      api.platform.gatewayUrl,
      SET,
      { id: api.acmeDealId, input: { waterfallRules: JSON.stringify(missingTranche), collateral } },
      await api.token('arranger@acme.test'),
    );
    expect(res2.errors?.[0]?.extensions?.fields).toMatchObject({
      'waterfallRules.classes': 'no class for tranche(s) M, B',
    });
    const notJson = await graphql(
      api.platform.gatewayUrl,
      SET,
      { id: api.acmeDealId, input: { waterfallRules: '{"classes": [', collateral } },
      await api.token('arranger@acme.test'),
    );
    expect(notJson.errors?.[0]?.extensions?.fields).toHaveProperty('waterfallRules');
    const denied = await graphql(
      api.platform.gatewayUrl,
      SET,
      { id: api.acmeDealId, input: { waterfallRules: before.rows[0].waterfall_rules, collateral } },
      await api.token('servicer@acme.test'),
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const after = await api.db.query('select waterfall_rules from deals.deal where id = $1', [
      api.acmeDealId,
    ]);
    expect(after.rows[0].waterfall_rules).toBe(before.rows[0].waterfall_rules);
  });
});
