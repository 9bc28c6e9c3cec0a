import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  GraphQLError,
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  Kind,
  valueFromASTUntyped,
  type FragmentDefinitionNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  type GraphQLType,
  type SelectionSetNode,
  type GraphQLNamedType,
} from 'graphql';

/** Assumed size of a list field that takes no `page.limit`. */
const DEFAULT_LIST_SIZE = 10;
const DEFAULT_PAGE_SIZE = 25;

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
}

export interface QueryMeasure {
  depth: number;
  cost: number;
}

function isList(type: GraphQLType): boolean {
  return isNonNullType(type) ? isList(type.ofType) : isListType(type);
}

/**
 * Depth and estimated cost of an operation: every field costs 1, and a list field multiplies
 * the cost of its selection by its page size (`page.limit`, from a literal or a variable) or
 * by {@link DEFAULT_LIST_SIZE}; in a `{ items, total }` page the `items` list counts as long as
 * the page's `limit` (25 when not given). Introspection fields are not counted.
 */
export function measureOperation(
  schema: GraphQLSchema,
  selectionSet: SelectionSetNode,
  rootType: GraphQLNamedType,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): QueryMeasure {
  const visit = (
    set: SelectionSetNode,
    parent: GraphQLNamedType,
    depth: number,
    seen: Set<string>,
    pageSize?: number,
  ): QueryMeasure => {
    let cost = 0;
    let maxDepth = depth;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value.startsWith('__')) continue;
        const fields = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields() : {};
        const def = fields[sel.name.value];
        let multiplier = 1;
        // A paged field (one that takes `page`) returns `limit` items, 25 unless asked otherwise.
        let pageLimit: number | undefined = def?.args.some((a) => a.name === 'page')
          ? DEFAULT_PAGE_SIZE
          : undefined;
        for (const arg of sel.arguments ?? []) {
          if (arg.name.value !== 'page') continue;
          const value = valueFromASTUntyped(arg.value, variables) as { limit?: unknown } | null;
          if (value && typeof value.limit === 'number') pageLimit = value.limit;
        }
        const type = def?.type as GraphQLOutputType | undefined;
        if (type && isList(type)) {
          // The `items` of a page object are as long as the page asked for.
          multiplier = sel.name.value === 'items' && pageSize !== undefined ? pageSize : DEFAULT_LIST_SIZE;
        }
        const child =
          sel.selectionSet && type
            ? visit(sel.selectionSet, getNamedType(type), depth + 1, seen, pageLimit)
            : null;
        cost += 1 + multiplier * (child?.cost ?? 0);
        if (child) maxDepth = Math.max(maxDepth, child.depth);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const typeName = sel.typeCondition?.name.value;
        const t = (typeName && schema.getType(typeName)) || parent;
        const child = visit(sel.selectionSet, t, depth, seen, pageSize);
        cost += child.cost;
        maxDepth = Math.max(maxDepth, child.depth);
      } else {
        const name = sel.name.value;
        const frag = fragments[name];
        if (!frag || seen.has(name)) continue;
        const t = schema.getType(frag.typeCondition.name.value) ?? parent;
        const child = visit(frag.selectionSet, t, depth, new Set([...seen, name]), pageSize);
        cost += child.cost;
        maxDepth = Math.max(maxDepth, child.depth);
      }
    }
    return { cost, depth: maxDepth };
  };
  return visit(selectionSet, rootType, 1, new Set());
}

/**
 * Rejects operations deeper than `maxDepth` or costlier than `maxCost` before any subgraph is
 * called, with `extensions.code` QUERY_TOO_DEEP / QUERY_TOO_COSTLY and HTTP 400.
 */
export function queryLimitsPlugin<T extends BaseContext>(limits: QueryLimits): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request }) {
          if (!operation) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const def of document.definitions) {
            if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
          }
          const root =
            operation.operation === 'mutation'
              ? schema.getMutationType()
              : operation.operation === 'subscription'
                ? schema.getSubscriptionType()
                : schema.getQueryType();
          if (!root) return;
          const { depth, cost } = measureOperation(
            schema,
            operation.selectionSet,
            root,
            fragments,
            request.variables ?? {},
          );
          if (depth > limits.maxDepth) {
            throw new GraphQLError(`query depth ${depth} exceeds the limit of ${limits.maxDepth}`, {
              extensions: { code: 'QUERY_TOO_DEEP', depth, maxDepth: limits.maxDepth, http: { status: 400 } },
            });
          }
          if (cost > limits.maxCost) {
            throw new GraphQLError(`query cost ${cost} exceeds the limit of ${limits.maxCost}`, {
              extensions: { code: 'QUERY_TOO_COSTLY', cost, maxCost: limits.maxCost, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
