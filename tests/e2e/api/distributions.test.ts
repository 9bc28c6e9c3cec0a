/**
 * The distributions subgraph through the gateway (on a platform of this file's own): tenant
 * isolation of distributions, and cash-flow projections of a deal's stored structure by the
 * waterfall engine (single scenarios, grids, named errors, other tenants' deals).
 */
import { describe, expect, it } from 'vitest';
import { useSeededApi } from '../../support/api.js';
import { graphql } from '../../support/platform.js';

const api = useSeededApi();

describe('distributions', () => {
  it("hides another tenant's distributions", async () => {
    const distributions = await graphql<{ distributions: { total: number } }>(
      api.platform.gatewayUrl,
      'query($d: ID) { distributions(filter: { dealId: $d }) { total } }',
      { d: api.acmeDealId },
      await api.token('servicer@borealis.test'),
    );
    expect(distributions.data?.distributions.total).toBe(0);
  });

  it('lets only a servicer or an admin record a distribution', async () => {
    const res = await graphql(
      api.platform.gatewayUrl,
      'mutation($input: CreateDistributionInput!) { createDistribution(input: $input) { id } }',
      {
        input: {
          dealId: api.acmeDealId,
          trancheId: api.acmeTrancheIds[0],
          period: 202611,
          interestAmount: '1',
          principalAmount: '0',
        },
      },
      await api.token('arranger@acme.test'),
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
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
      api.platform.gatewayUrl,
      PROJECT,
      { id: api.acmeDealId, s: { prepayment: { model: 'PSA', rate: 150 } } },
      await api.token('investor@acme.test'),
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
      api.platform.gatewayUrl,
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
        id: api.acmeDealId,
        s: [100, 300, 500].map((psa) => ({ name: `${psa} PSA`, prepayment: { model: 'PSA', rate: psa } })),
      },
      await api.token('arranger@acme.test'),
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
    const arranger = await api.token('arranger@acme.test');
    const bad = await graphql(
      api.platform.gatewayUrl,
      PROJECT,
      { id: api.acmeDealId, s: { prepayment: { model: 'PSA' } } },
      arranger,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.extensions?.fields).toEqual({
      'scenario.prepayment.rate': 'PSA needs a multiple, e.g. 150',
    });
    const negative = await graphql(
      api.platform.gatewayUrl,
      PROJECT,
      { id: api.acmeDealId, s: { severityPct: 120 } },
      arranger,
    );
    expect(negative.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const unstructured = await graphql(
      api.platform.gatewayUrl,
      PROJECT,
      { id: api.borealisDealId, s: {} },
      await api.token('arranger@borealis.test'),
    );
    expect(unstructured.errors?.[0]?.extensions?.fields).toHaveProperty('dealId');
  });

  it('answers a list with projections for structured deals and a per-deal error for the others', async () => {
    await api.createDeals(2, 'Unstructured Deal');
    const res = await graphql<{
      deals: { items: { name: string; projection: { periods: number } | null }[] };
    }>(
      api.platform.gatewayUrl,
      '{ deals(page: { limit: 5 }, sort: { field: CREATED_AT, order: ASC }) { items { name projection(scenario: {}) { periods } } } }',
      {},
      await api.token('arranger@acme.test'),
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
      api.platform.gatewayUrl,
      PROJECT,
      { id: api.acmeDealId, s: {} },
      await api.token('arranger@borealis.test'),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.deal).toBeNull();
  });
});
