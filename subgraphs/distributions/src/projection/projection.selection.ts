import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { ProjectionShape } from './projection.result.js';

/**
 * The field names a selection set selects, through inline fragments and fragment spreads, each
 * with the selection sets under it (one per occurrence: a field may be selected twice).
 */
function fieldsOf(
  set: SelectionSetNode | undefined,
  info: GraphQLResolveInfo,
  into = new Map<string, SelectionSetNode[]>(),
): Map<string, SelectionSetNode[]> {
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      const under = into.get(selection.name.value) ?? [];
      if (selection.selectionSet) under.push(selection.selectionSet);
      into.set(selection.name.value, under);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      fieldsOf(selection.selectionSet, info, into);
    } else {
      fieldsOf(info.fragments[selection.name.value]?.selectionSet, info, into);
    }
  }
  return into;
}

/**
 * Which per-period lists of a projection the resolving field's selection asks for: `pool`, and
 * `cashFlows` under `classes`. A list under a `@skip`/`@include` directive counts as selected.
 */
export function selectedShape(info: GraphQLResolveInfo): ProjectionShape {
  const top = new Map<string, SelectionSetNode[]>();
  for (const node of info.fieldNodes) fieldsOf(node.selectionSet, info, top);
  const classes = new Map<string, SelectionSetNode[]>();
  for (const set of top.get('classes') ?? []) fieldsOf(set, info, classes);
  return { pool: top.has('pool'), cashFlows: classes.has('cashFlows') };
}
