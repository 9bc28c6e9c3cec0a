import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema, type GraphQLScalarType } from 'graphql';
import { buildSchema, createResolversMap, type NonEmptyArray } from 'type-graphql';

// v2.9 for the demand-control directives: `@cost` and `@listSize` price fields for the gateway's
// query cost limit (and for Apollo Router's demand control, which reads the same supergraph).
const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable", "@external", "@requires", "@cost", "@listSize"])';

/** Resolves a federation entity reference (`{ __typename, id }`) for one request. */
export type ReferenceResolver<TContext> = (reference: { id: string }, context: TContext) => unknown;

export interface FederatedSchemaOptions<TContext> {
  // type-graphql identifies resolvers and types by their classes.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers: NonEmptyArray<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
  /** `__resolveReference` per entity type name. */
  references?: Record<string, ReferenceResolver<TContext>>;
  scalarsMap?: { type: Function; scalar: GraphQLScalarType }[]; // eslint-disable-line @typescript-eslint/no-unsafe-function-type
}

export interface FederatedSchema {
  schema: GraphQLSchema;
  /** The subgraph SDL as composition sees it (committed as `schema.graphql`). */
  sdl: string;
}

/**
 * Builds a federation v2 subgraph schema from type-graphql classes: type-graphql builds the
 * executable schema (with class-validator input validation), its SDL is printed with the
 * `@key` directives and the federation `@link`, and `@apollo/subgraph` rebuilds it with the
 * same resolvers plus `_entities`/`_service` and the given reference resolvers.
 */
export async function buildFederatedSchema<TContext>(
  options: FederatedSchemaOptions<TContext>,
): Promise<FederatedSchema> {
  const base = await buildSchema({
    resolvers: options.resolvers,
    orphanedTypes: options.orphanedTypes,
    scalarsMap: options.scalarsMap,
    skipCheck: true,
    validate: { forbidUnknownValues: false },
  });
  const sdl = `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(base)}\n`;
  const resolvers = createResolversMap(base) as Record<string, Record<string, unknown>>;
  for (const [typeName, resolve] of Object.entries(options.references ?? {})) {
    resolvers[typeName] = { ...resolvers[typeName], __resolveReference: resolve };
  }
  const schema = buildSubgraphSchema({
    typeDefs: parse(sdl),
    // The map comes straight from type-graphql's own schema, so its shape matches the SDL.
    resolvers: resolvers as Parameters<typeof buildSubgraphSchema>[0] extends { resolvers?: infer R }
      ? R
      : never,
  });
  return { schema, sdl };
}
