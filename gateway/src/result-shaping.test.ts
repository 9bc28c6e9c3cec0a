import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  apolloComputeResponse,
  computeResponse,
  useCompiledResultShaping,
  type ComputeResponseArgs,
} from './result-shaping.js';

// Apollo Gateway's own copy of federation-internals, as result-shaping.ts uses it.
const gatewayRequire = createRequire(createRequire(import.meta.url).resolve('@apollo/gateway'));
const fi = gatewayRequire('@apollo/federation-internals') as typeof import('@apollo/federation-internals');

const supergraphSdl = readFileSync(new URL('../supergraph.graphql', import.meta.url), 'utf8');
const api = fi.Supergraph.build(supergraphSdl).apiSchema();

const custom = fi.buildSchema(`
  scalar JSON
  enum Color { RED GREEN }
  interface Node { id: ID! }
  type Query { node(id: ID!): Node  nodes: [Node!]!  things: [Thing]  top: Top!  maybe: Top }
  type Top { id: ID!  color: Color  colors: [Color!]!  count: Int  ratio: Float  flag: Boolean  blob: JSON  req: String!  child: Top  kids: [Top!] }
  type A implements Node { id: ID!  a: String!  color: Color }
  type B implements Node { id: ID!  b: Int }
  union Thing = A | B | Top
`);

function run(shape: typeof computeResponse, args: ComputeResponseArgs) {
  try {
    const { data, errors } = shape({ ...args, input: structuredClone(args.input) });
    return {
      data: JSON.stringify(data),
      errors: errors.map((e) => ({ message: e.message, path: e.path, extensions: e.extensions })),
    };
  } catch (err) {
    return { threw: (err as Error).message };
  }
}

/** Our shaping and Apollo Gateway's give the same data, errors and failures. */
function same(schema: typeof api, query: string, input: unknown, variables: Record<string, unknown> = {}) {
  const operation = fi.operationFromDocument(schema, parse(query), { validate: false });
  const args: ComputeResponseArgs = {
    operation,
    variables,
    input: input as ComputeResponseArgs['input'],
    introspectionHandling: (selection) => ({ introspected: selection.toString() }),
  };
  const ours = run(computeResponse, args);
  expect(ours).toEqual(run(apolloComputeResponse, args));
  return ours;
}

const page = (n: number) => ({
  deals: {
    items: Array.from({ length: n }, (_, i) => ({
      __typename: 'Deal',
      id: `d${i}`,
      name: `Deal ${i}`,
      status: 'DRAFT',
      investorCount: i,
      tranches: [0, 1, 2].map((j) => ({
        __typename: 'Tranche',
        id: `t${i}.${j}`,
        name: 'A',
        distributions: j ? [] : [{ id: `x${i}`, period: 1, interestAmount: '10' }],
      })),
    })),
  },
});
const PAGE = `{ deals(page: { limit: 100 }) { items { id name investorCount
  tranches { id name distributions { id period interestAmount } } } } }`;

describe('compiled result shaping (same as Apollo Gateway computeResponse)', () => {
  it('is what Apollo Gateway executes query plans with, once installed', () => {
    const executing = () =>
      (gatewayRequire('./resultShaping.js') as { computeResponse: unknown }).computeResponse;
    useCompiledResultShaping();
    expect(executing()).toBe(computeResponse);
    expect(apolloComputeResponse).not.toBe(computeResponse);
    // executeQueryPlan looks computeResponse up on that module at each call (a new
    // @apollo/gateway that imported it otherwise would silently go back to its own)
    const { executeQueryPlan } = gatewayRequire('@apollo/gateway') as { executeQueryPlan: () => unknown };
    expect(executeQueryPlan.toString()).toContain('(0, resultShaping_1.computeResponse)(');
  });

  it('shapes a 100-deal page like Apollo, and has the same output', () => {
    const out = same(api, PAGE, page(100));
    expect(out.errors).toEqual([]);
    expect(JSON.parse(out.data!).deals.items).toHaveLength(100);
  });

  it('drops fields the operation did not ask for, and keeps aliases, repeats and __typename', () => {
    same(api, `{ deals { a: items { id n: name __typename t: __typename id } } }`, page(3));
    same(api, `{ deals { items { ... on Deal { id name } id } } }`, page(2));
    same(api, `query { __typename deals { __typename items { __typename } } }`, page(2));
    same(api, `fragment F on Deal { id tranches { id } } { deals { items { ...F name } } }`, page(2));
  });

  it('bubbles nulls from non-null fields up to the nearest nullable parent, with the same errors', () => {
    const input = page(3);
    (input.deals.items[1] as Record<string, unknown>).name = null;
    (input.deals.items[2]!.tranches[1] as Record<string, unknown>).id = null;
    same(api, PAGE, input);
    same(api, PAGE, { deals: null });
    same(api, PAGE, { deals: { items: [null, ...page(1).deals.items] } });
    same(custom, `{ top { id req child { req } } }`, { top: { id: '1', req: null, child: { req: null } } });
    same(custom, `{ maybe { id kids { req } } }`, {
      maybe: { id: '1', kids: [{ req: 'x' }, { req: null }] },
    });
    same(custom, `{ maybe { id kids { req } } }`, { maybe: { id: '1' } });
    same(custom, `{ top { id } }`, {});
  });

  it('refuses invalid leaf values and unknown __typenames the same way', () => {
    same(custom, `{ top { color colors count ratio flag blob req } }`, {
      top: {
        color: 'BLUE',
        colors: ['RED', 'NOPE'],
        count: 1.5,
        ratio: 'x',
        flag: 1,
        blob: { a: [1] },
        req: 7,
      },
    });
    same(custom, `{ top { count ratio flag id } }`, { top: { count: 3, ratio: 2, flag: true, id: 12 } });
    same(custom, `{ top { count } }`, { top: { count: Infinity } });
    same(custom, `{ nodes { id } }`, { nodes: [{ __typename: 'Nope', id: '1' }] });
    same(custom, `{ maybe { id } }`, { maybe: { __typename: 'A', id: '1' } });
    same(api, `{ deals { items { status } } }`, { deals: { items: [{ status: 'NOT_A_STATUS' }] } });
  });

  it('applies type conditions on interfaces and unions by __typename', () => {
    const q = `{ nodes { id __typename ... on A { a color } ... on B { b } ... on Node { id } }
      things { __typename ... on A { id a } ... on Top { id count } ... on Node { id } } }`;
    same(custom, q, {
      nodes: [
        { __typename: 'A', id: '1', a: 'x', color: 'RED' },
        { __typename: 'B', id: '2', b: 3 },
        { __typename: 'A', id: '3', a: null },
      ],
      things: [{ __typename: 'Top', id: 't', count: 2 }, null, { __typename: 'B', id: 'b', b: 1 }],
    });
    same(custom, `{ node(id: "1") { id ... on A { a } } }`, { node: { id: '1', a: 'x' } });
  });

  it('honours @skip and @include with literals, variables and defaults', () => {
    const q = `query($s: Boolean!, $i: Boolean = false) {
      top { id @skip(if: $s) req @include(if: $i) count @skip(if: true) ratio @include(if: true)
        ... on Top @include(if: $s) { flag } } }`;
    const input = { top: { id: '1', req: 'r', count: 1, ratio: 1.5, flag: false } };
    for (const s of [true, false]) {
      same(custom, q, input, { s });
      same(custom, q, input, { s, i: true });
    }
  });

  it('hands introspection fields to the introspection handler', () => {
    same(api, `{ __schema { queryType { name } } deals { total } }`, { deals: { total: 3 } });
    same(custom, `{ __type(name: "Top") { name } top { id } }`, { top: { id: '1' } });
  });

  it('fails the same way on data that does not fit the operation', () => {
    same(custom, `{ top { kids { id } } }`, { top: { kids: { id: '1' } } });
    same(custom, `{ top { child { id } } }`, { top: { child: 'x' } });
    same(custom, `{ top { id } }`, { top: { __typename: 7, id: '1' } });
    same(custom, `{ nodes { ... on A { a } } }`, { nodes: [{ __typename: 3 }] });
    same(custom, `{ top { id } }`, null);
  });

  it('gives answer objects no prototype, so that any response name is an ordinary key', () => {
    const out = same(
      custom,
      `{ top { constructor: id __proto__: req toString: count } }`,
      JSON.parse('{ "top": { "constructor": "1", "__proto__": "r", "toString": 2 } }'),
    );
    expect(out.data).toBe('{"top":{"constructor":"1","__proto__":"r","toString":2}}');
    const { data } = computeResponse({
      operation: fi.operationFromDocument(custom, parse(`{ top { hasOwnProperty: id } }`)),
      input: { top: { hasOwnProperty: '1' } },
      introspectionHandling: () => null,
    });
    expect(Object.getPrototypeOf(Object.getPrototypeOf(data))).toBeNull();
    expect((data!.top as Record<string, unknown>).hasOwnProperty).toBe('1');
  });
});
