import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { measureOperation } from './limits.js';

// The API schema clients see, from the committed supergraph.
const schema = Supergraph.build(readFileSync(new URL('../supergraph.graphql', import.meta.url), 'utf8'))
  .apiSchema()
  .toGraphQLJSSchema();

function measure(query: string, variables: Record<string, unknown> = {}) {
  const doc = parse(query);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const fragments = Object.fromEntries(
    doc.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const root = op?.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!op || !root) throw new Error('no operation');
  return measureOperation(schema, op.selectionSet, root, fragments, variables);
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
