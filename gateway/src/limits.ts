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
import type { FieldPrice, FieldPrices } from './prices.js';

/** Assumed size of a list field that takes no `page.limit` and declares no `@listSize`. */
const DEFAULT_LIST_SIZE = 10;
/** `PageInput.limit`'s default: a paged field asked without a limit returns this many. */
const DEFAULT_PAGE_SIZE = 25;

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
  /** Field prices from the supergraph's `@cost` / `@listSize` (see `fieldPricesFromSupergraph`). */
  prices?: FieldPrices;
}

export interface QueryMeasure {
  depth: number;
  cost: number;
}

function isList(type: GraphQLType): boolean {
  return isNonNullType(type) ? isList(type.ofType) : isListType(type);
}

/**
 * Depth and estimated cost of an operation. Every field costs 1, or its `@cost(weight)` (per
 * item, for a list). A list field multiplies the cost of its selection by its size: the value
 * of one of its `@listSize(slicingArguments)`, else its `@listSize(assumedSize)`, else
 * {@link DEFAULT_LIST_SIZE}. A paged field (one taking `page`) returns `page.limit` items (a
 * literal or a variable; 25 when not given), which sizes its `items` list (and any
 * `@listSize(sizedFields)`). Introspection fields are not counted.
 */
export function measureOperation(
  schema: GraphQLSchema,
  selectionSet: SelectionSetNode,
  rootType: GraphQLNamedType,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  prices: FieldPrices = new Map(),
): QueryMeasure {
  const visit = (
    set: SelectionSetNode,
    parent: GraphQLNamedType,
    depth: number,
    seen: Set<string>,
    sized?: { size: number; fields: string[] },
  ): QueryMeasure => {
    let cost = 0;
    let maxDepth = depth;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value.startsWith('__')) continue;
        const fields = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields() : {};
        const def = fields[sel.name.value];
        const price = prices.get(`${parent.name}.${sel.name.value}`);
        const args: Record<string, unknown> = {};
        for (const arg of sel.arguments ?? [])
          args[arg.name.value] = valueFromASTUntyped(arg.value, variables);
        // A paged field (one that takes `page`) returns `limit` items, 25 unless asked otherwise.
        let childSized: { size: number; fields: string[] } | undefined;
        if (def?.args.some((a) => a.name === 'page')) {
          const page = args.page as { limit?: unknown } | null | undefined;
          const size = typeof page?.limit === 'number' ? page.limit : DEFAULT_PAGE_SIZE;
          childSized = { size, fields: price?.sizedFields ?? ['items'] };
        } else if (price?.sizedFields) {
          childSized = { size: listSize(price, args), fields: price.sizedFields };
        }
        const type = def?.type as GraphQLOutputType | undefined;
        let multiplier = 1;
        if (type && isList(type)) {
          // The `items` of a page object are as long as the page asked for.
          multiplier = sized?.fields.includes(sel.name.value)
            ? sized.size
            : price?.sizedFields
              ? 1
              : listSize(price, args);
        }
        const child =
          sel.selectionSet && type
            ? visit(sel.selectionSet, getNamedType(type), depth + 1, seen, childSized)
            : null;
        const own = price?.weight !== undefined ? multiplier * price.weight : 1;
        cost += own + multiplier * (child?.cost ?? 0);
        if (child) maxDepth = Math.max(maxDepth, child.depth);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const typeName = sel.typeCondition?.name.value;
        const t = (typeName && schema.getType(typeName)) || parent;
        const child = visit(sel.selectionSet, t, depth, seen, sized);
        cost += child.cost;
        maxDepth = Math.max(maxDepth, child.depth);
      } else {
        const name = sel.name.value;
        const frag = fragments[name];
        if (!frag || seen.has(name)) continue;
        const t = schema.getType(frag.typeCondition.name.value) ?? parent;
        const child = visit(frag.selectionSet, t, depth, new Set([...seen, name]), sized);
        cost += child.cost;
        maxDepth = Math.max(maxDepth, child.depth);
      }
    }
    return { cost, depth: maxDepth };
  };
  return visit(selectionSet, rootType, 1, new Set());
}

/** A list's size from its `@listSize`: a slicing argument's value, else the assumed size. */
function listSize(price: FieldPrice | undefined, args: Record<string, unknown>): number {
  for (const name of price?.slicingArguments ?? []) {
    const value = args[name];
    if (typeof value === 'number') return value;
  }
  return price?.assumedSize ?? DEFAULT_LIST_SIZE;
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
            limits.prices,
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
