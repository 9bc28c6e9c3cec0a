import 'reflect-metadata';
import {
  BigIntScalar,
  defineSubgraph,
  startSubgraph,
  type RunningSubgraph,
  type SubgraphDefinition,
} from '@tranche/platform';
import { Deal } from './deal/deal.entity.js';
import { dealReferences } from './deal/deal.reference.js';
import { DealResolver } from './deal/deal.resolver.js';
import { Tranche } from './deal/tranche.entity.js';
import { migrations } from './migrations/index.js';

/** The deals subgraph: deals and their tranches, owned in the `deals` schema. */
export const dealsSubgraph: SubgraphDefinition = defineSubgraph({
  name: 'deals',
  entities: [Deal, Tranche],
  migrations,
  resolvers: [DealResolver],
  references: { ...dealReferences },
  scalarsMap: [{ type: BigInt, scalar: BigIntScalar }],
});

/** Starts the deals subgraph on `port` (0 picks a free port). */
export function bootstrap(port: number, env: NodeJS.ProcessEnv = process.env): Promise<RunningSubgraph> {
  return startSubgraph(dealsSubgraph, port, env);
}
