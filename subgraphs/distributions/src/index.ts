import 'reflect-metadata';
import {
  BigIntScalar,
  OutboxEvent,
  startSubgraph,
  type RunningSubgraph,
  type SubgraphDefinition,
} from '@tranche/platform';
import { Distribution } from './distribution/distribution.entity.js';
import { DistributionResolver } from './distribution/distribution.resolver.js';
import { DB_SCHEMA } from './distribution/distribution.service.js';
import { migrations } from './migrations/index.js';
import { Deal } from './deal/deal.entity.js';
import { dealReferences, DealProjectionResolver } from './projection/projection.resolver.js';
import { Tranche } from './tranche/tranche.entity.js';
import { references, TrancheDistributionsResolver } from './tranche/tranche.resolver.js';

/** The distributions subgraph: period payments per tranche (extends Tranche) and projections (extends Deal). */
export const distributionsSubgraph: SubgraphDefinition = {
  name: 'distributions',
  dbSchema: DB_SCHEMA,
  entities: [Distribution, OutboxEvent],
  migrations,
  resolvers: [DistributionResolver, TrancheDistributionsResolver, DealProjectionResolver],
  orphanedTypes: [Tranche, Deal],
  references: { ...references, ...dealReferences },
  scalarsMap: [{ type: BigInt, scalar: BigIntScalar }],
};

/** Starts the distributions subgraph on `port` (0 picks a free port). */
export function bootstrap(port: number, env: NodeJS.ProcessEnv = process.env): Promise<RunningSubgraph> {
  return startSubgraph(distributionsSubgraph, port, env);
}
