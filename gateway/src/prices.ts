import {
  Kind,
  parse,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type FieldDefinitionNode,
  type SchemaExtensionNode,
  type SchemaDefinitionNode,
} from 'graphql';

/** The demand-control price of one field, from `@cost` and `@listSize` in the supergraph. */
export interface FieldPrice {
  /** `@cost(weight)`: what the field costs instead of 1 (per item, for a list). */
  weight?: number;
  /** `@listSize(assumedSize)`: how long the list is at most. */
  assumedSize?: number;
  /** `@listSize(slicingArguments)`: Int arguments whose value is the list's length. */
  slicingArguments?: string[];
  /** `@listSize(sizedFields)`: the child lists that the size applies to (a page's `items`). */
  sizedFields?: string[];
}

/** Prices by field coordinate (`Type.field`). */
export type FieldPrices = ReadonlyMap<string, FieldPrice>;

const COST_SPEC = /^https:\/\/specs\.apollo\.dev\/cost\/v/;

function stringArg(directive: ConstDirectiveNode, name: string): unknown {
  const arg = directive.arguments?.find((a) => a.name.value === name);
  return arg ? valueFromASTUntyped(arg.value) : undefined;
}

/**
 * The names `@cost` and `@listSize` go by in a supergraph: composition links the cost spec
 * (`@link(url: "https://specs.apollo.dev/cost/v0.1", import: [...])`) and a directive it does not
 * import is namespaced (`@cost__listSize`), a renamed one (`{ name, as }`) takes its new name.
 */
function costDirectiveNames(schemaNodes: (SchemaDefinitionNode | SchemaExtensionNode)[]) {
  for (const node of schemaNodes) {
    for (const link of node.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const url = stringArg(link, 'url');
      if (typeof url !== 'string' || !COST_SPEC.test(url)) continue;
      const prefix = (stringArg(link, 'as') as string | undefined) ?? 'cost';
      const imports =
        (stringArg(link, 'import') as (string | { name: string; as?: string })[] | undefined) ?? [];
      const nameOf = (directive: string) => {
        for (const entry of imports) {
          if (entry === `@${directive}`) return directive;
          if (typeof entry === 'object' && entry.name === `@${directive}`) {
            return (entry.as ?? entry.name).replace(/^@/, '');
          }
        }
        return directive === prefix || directive === 'cost' ? prefix : `${prefix}__${directive}`;
      };
      return { cost: nameOf('cost'), listSize: nameOf('listSize') };
    }
  }
  return null;
}

function priceOf(field: FieldDefinitionNode, names: { cost: string; listSize: string }): FieldPrice | null {
  const price: FieldPrice = {};
  for (const directive of field.directives ?? []) {
    if (directive.name.value === names.cost) {
      const weight = stringArg(directive, 'weight');
      if (typeof weight === 'number') price.weight = Math.max(price.weight ?? 0, weight);
    } else if (directive.name.value === names.listSize) {
      const assumedSize = stringArg(directive, 'assumedSize');
      if (typeof assumedSize === 'number') price.assumedSize = Math.max(price.assumedSize ?? 0, assumedSize);
      const slicing = stringArg(directive, 'slicingArguments');
      if (Array.isArray(slicing)) price.slicingArguments = slicing.map(String);
      const sized = stringArg(directive, 'sizedFields');
      if (Array.isArray(sized)) price.sizedFields = sized.map(String);
    }
  }
  return Object.keys(price).length ? price : null;
}

/**
 * Reads the field prices the subgraphs declared with federation's `@cost` and `@listSize` out
 * of the composed supergraph SDL — the same annotations Apollo Router's demand control reads —
 * so that a price is declared once, next to the resolver, and both gateways use it. A field
 * declared by several subgraphs takes the highest weight and size. Type-level `@cost` and
 * argument weights are not used. Returns an empty map when the supergraph links no cost spec.
 *
 * @throws GraphQLError when `supergraphSdl` does not parse.
 */
export function fieldPricesFromSupergraph(supergraphSdl: string): FieldPrices {
  const doc = parse(supergraphSdl);
  const names = costDirectiveNames(
    doc.definitions.filter(
      (d): d is SchemaDefinitionNode | SchemaExtensionNode =>
        d.kind === Kind.SCHEMA_DEFINITION || d.kind === Kind.SCHEMA_EXTENSION,
    ),
  );
  const prices = new Map<string, FieldPrice>();
  if (!names) return prices;
  for (const def of doc.definitions) {
    if (
      def.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      def.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      def.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      def.kind !== Kind.INTERFACE_TYPE_EXTENSION
    ) {
      continue;
    }
    for (const field of def.fields ?? []) {
      const price = priceOf(field, names);
      if (price) prices.set(`${def.name.value}.${field.name.value}`, price);
    }
  }
  return prices;
}
