import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ApolloServer } from '@apollo/server';
import { measureOperation, queryLimitsPlugin } from './limits.js';
import { fieldPricesFromSupergraph, type FieldPrices } from './prices.js';

// The API schema clients see, and the prices the subgraphs declared, from the committed supergraph.
const supergraphSdl = readFileSync(new URL('../supergraph.graphql', import.meta.url), 'utf8');
const schema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
const prices = fieldPricesFromSupergraph(supergraphSdl);
const DEFAULT_MAX_COST = 20000;

function measure(query: string, variables: Record<string, unknown> = {}, fieldPrices?: FieldPrices) {
  const doc = parse(query);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const fragments = Object.fromEntries(
    doc.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const root = op?.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!op || !root) throw new Error('no operation');
  return measureOperation(schema, op.selectionSet, root, fragments, variables, fieldPrices);
}

describe('measureOperation', () => {
  it('counts depth as the deepest selection', () => {
    expect(measure('{ deal(id: "x") { id } }').depth).toBe(2);
    expect(measure('{ deals { items { tranches { distributions { id } } } } }').depth).toBe(5);
  });

  it('counts fields reached through fragments and inline fragments', () => {
    const viaFragment = measure('query { deals { items { ...D } } } fragment D on Deal { tranches { id } }');
    const inline = measure('{ deals { items { ... on Deal { tranches { id } } } } }');
    expect(viaFragment).toEqual(inline);
    expect(inline.depth).toBe(4);
  });

  it('multiplies page items by the requested limit, from a literal or a variable', () => {
    // deals + items + 10 × (id)  with the default page of 25: 1 + (1 + 25 × 1)
    expect(measure('{ deals { items { id } } }').cost).toBe(27);
    expect(measure('{ deals(page: { limit: 100 }) { items { id } } }').cost).toBe(102);
    expect(
      measure('query($p: PageInput) { deals(page: $p) { items { id } } }', { p: { limit: 4 } }).cost,
    ).toBe(6);
  });

  it('multiplies unpaged lists by 10 at every level', () => {
    // deal + tranches × 10 × (id + distributions × 10 × (id))
    expect(measure('{ deal(id: "x") { tranches { id distributions { id } } } }').cost).toBe(
      1 + 1 + 10 * (1 + 1 + 10),
    );
  });

  it('does not count introspection', () => {
    expect(measure('{ __schema { types { name fields { name type { name ofType { name } } } } } }')).toEqual({
      depth: 1,
      cost: 0,
    });
  });
});

describe('prices from @cost and @listSize in the committed supergraph', () => {
  it('reads the declared prices by field coordinate', () => {
    expect(prices.get('Deal.tranches')).toEqual({ assumedSize: 5 });
    expect(prices.get('Tranche.distributions')).toEqual({ assumedSize: 12 });
    expect(prices.get('Deal.projection')?.weight).toBe(250);
    expect(prices.get('Deal.projectionGrid')).toMatchObject({ weight: 250, assumedSize: 25 });
    expect(prices.get('Query.deals')).toMatchObject({ assumedSize: 100, sizedFields: ['items'] });
  });

  it('sizes child lists by @listSize instead of 10', () => {
    // deal + tranches × 5 × (id + distributions × 12 × (id))
    expect(measure('{ deal(id: "x") { tranches { id distributions { id } } } }', {}, prices).cost).toBe(
      1 + 1 + 5 * (1 + 1 + 12),
    );
  });

  it('answers a 100-deal page with its tranches and their distributions under the default limit', () => {
    const page =
      '{ deals(page: { limit: 100 }) { items { id name investorCount tranches { id name distributions { id period interestAmount } } } } }';
    const { cost } = measure(page, {}, prices);
    expect(cost).toBe(2 + 100 * (4 + 5 * (3 + 12 * 3)));
    expect(cost).toBeLessThanOrEqual(DEFAULT_MAX_COST);
    // priced as before (lists as 10 rows) it was refused
    expect(measure(page).cost).toBeGreaterThan(DEFAULT_MAX_COST);
  });

  it('still refuses a 100-deal page with every distribution field', () => {
    const query =
      '{ deals(page: { limit: 100 }) { items { id tranches { id distributions { id period interestAmount principalAmount status } } } } }';
    expect(measure(query, {}, prices).cost).toBeGreaterThan(DEFAULT_MAX_COST);
  });

  it('prices a projection by its @cost weight, a grid by scenarios × weight, and refuses 200 aliased projections', () => {
    const one = measure('{ deal(id: "x") { projection(scenario: {}) { scenarioName } } }', {}, prices).cost;
    expect(one).toBe(1 + 250 + 1);
    const grid = measure(
      '{ deal(id: "x") { projectionGrid(scenarios: []) { scenarioName } } }',
      {},
      prices,
    ).cost;
    expect(grid).toBe(1 + 25 * 250 + 25 * 1);
    expect(grid).toBeLessThanOrEqual(DEFAULT_MAX_COST);
    const aliases = Array.from({ length: 200 }, (_, i) => `p${i}: projection(scenario: {}) { scenarioName }`);
    const aliased = measure(`{ deal(id: "x") { ${aliases.join(' ')} } }`, {}, prices).cost;
    expect(aliased).toBe(1 + 200 * 251);
    expect(aliased).toBeGreaterThan(DEFAULT_MAX_COST);
  });

  it('keeps paging by page.limit (25 without one) on a field that declares a larger assumed size', () => {
    expect(measure('{ deals { items { id } } }', {}, prices).cost).toBe(27);
    expect(measure('{ deals(page: { limit: 4 }) { items { id } } }', {}, prices).cost).toBe(6);
  });
});

describe('queryLimitsPlugin', () => {
  // The API schema behind an Apollo Server with the plugin, over a root that counts what ran: a
  // refusal must come before execution (before any subgraph call, in the gateway).
  const serve = async (limits: { maxDepth: number; maxCost: number }) => {
    const calls = { deals: 0 };
    const rootValue = {
      deals: () => {
        calls.deals += 1;
        return { total: 0, items: [] };
      },
    };
    const server = new ApolloServer({
      schema,
      rootValue,
      plugins: [queryLimitsPlugin({ ...limits, prices })],
    });
    await server.start();
    const run = async (query: string) => {
      const res = await server.executeOperation({ query });
      const single = res.body.kind === 'single' ? res.body.singleResult : undefined;
      return { status: res.http.status, errors: single?.errors };
    };
    return { server, calls, run };
  };

  it('refuses an operation deeper than the limit with QUERY_TOO_DEEP (400) and runs nothing', async () => {
    const { server, calls, run } = await serve({ maxDepth: 4, maxCost: DEFAULT_MAX_COST });
    try {
      const deep = await run('{ deals { items { tranches { distributions { id } } } } }');
      expect(deep.status).toBe(400);
      expect(deep.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', depth: 5, maxDepth: 4 });
      expect(calls.deals).toBe(0);
      const shallow = await run('{ deals { items { tranches { id } } } }');
      expect(shallow.errors).toBeUndefined();
      expect(calls.deals).toBe(1);
    } finally {
      await server.stop();
    }
  });

  it('refuses an operation over the cost limit with QUERY_TOO_COSTLY (400) and runs nothing', async () => {
    const { server, calls, run } = await serve({ maxDepth: 8, maxCost: 10 });
    try {
      const costly = await run('{ deals { items { id } } }');
      expect(costly.status).toBe(400);
      expect(costly.errors?.[0]?.extensions).toMatchObject({
        code: 'QUERY_TOO_COSTLY',
        cost: 27,
        maxCost: 10,
      });
      expect(calls.deals).toBe(0);
    } finally {
      await server.stop();
    }
  });
});
