/**
 * The platform's topology, declared once: every service's default port and every subgraph's
 * PostgreSQL schema. Composition (gateway/src/compose.ts), the development stack, the
 * configuration defaults, the ORM (which schemas belong to which subgraph) and each subgraph's
 * entry point all read this table; change a port or add a subgraph here and nowhere else.
 */
export const TOPOLOGY = {
  gateway: { port: 4000 },
  subgraphs: {
    deals: { port: 4001, dbSchema: 'deals' },
    investors: { port: 4002, dbSchema: 'investors' },
    distributions: { port: 4003, dbSchema: 'distributions' },
    audit: { port: 4004, dbSchema: 'audit' },
  },
  issuer: { port: 4005 },
  admin: { port: 4006 },
  /** The local KYC provider (development and tests only; a vendor's service in production). */
  kycSandbox: { port: 4007 },
} as const;

/** A subgraph of the supergraph, by its composition name. */
export type SubgraphName = keyof typeof TOPOLOGY.subgraphs;

/** Every subgraph, in composition order. */
export const SUBGRAPHS = Object.keys(TOPOLOGY.subgraphs) as SubgraphName[];

/** Every PostgreSQL schema a subgraph owns in the platform database. */
export const OWNED_SCHEMAS: readonly string[] = SUBGRAPHS.map((name) => TOPOLOGY.subgraphs[name].dbSchema);

/** Whether `name` is a subgraph of the topology. */
export function isSubgraphName(name: string): name is SubgraphName {
  return Object.hasOwn(TOPOLOGY.subgraphs, name);
}

/** The environment-variable prefix of a subgraph (`DEALS` for `DEALS_PORT`, `DEALS_URL`). */
export function envPrefix(name: SubgraphName): Uppercase<SubgraphName> {
  return name.toUpperCase() as Uppercase<SubgraphName>;
}
