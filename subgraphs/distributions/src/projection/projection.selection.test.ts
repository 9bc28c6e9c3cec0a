import { parse, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, Kind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { selectedShape } from './projection.selection.js';

/** The resolve info of the first `projection`/`projectionGrid` field of `query`. */
function infoOf(query: string): GraphQLResolveInfo {
  const document = parse(query, { noLocation: true });
  const fragments: Record<string, FragmentDefinitionNode> = {};
  let field: FieldNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const find = (node: unknown): void => {
    if (field || !node || typeof node !== 'object') return;
    const n = node as FieldNode;
    if (n.kind === Kind.FIELD && /^projection/.test(n.name.value)) field = n;
    else for (const value of Object.values(node)) find(value);
  };
  find(document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION));
  if (!field) throw new Error('no projection field');
  return { fieldNodes: [field], fragments } as unknown as GraphQLResolveInfo;
}

describe('selectedShape', () => {
  it('leaves out the per-period lists a grid of WALs does not select', () => {
    expect(
      selectedShape(infoOf('{ deal(id: 1) { projectionGrid { poolWal classes { classId wal } } } }')),
    ).toEqual({ pool: false, cashFlows: false });
  });

  it('finds them directly, in inline fragments and in fragment spreads', () => {
    expect(
      selectedShape(
        infoOf('{ deal(id: 1) { projection { pool { period } classes { cashFlows { period } } } } }'),
      ),
    ).toEqual({ pool: true, cashFlows: true });
    expect(
      selectedShape(
        infoOf(`{ deal(id: 1) { projection { ... on DealProjection { classes { ...Flows } } } } }
          fragment Flows on ClassProjection { wal cashFlows { period } }`),
      ),
    ).toEqual({ pool: false, cashFlows: true });
    expect(
      selectedShape(
        infoOf(`{ deal(id: 1) { projection { ...P } } }
          fragment P on DealProjection { pool @include(if: false) { period } }`),
      ),
    ).toEqual({ pool: true, cashFlows: false });
  });
});
