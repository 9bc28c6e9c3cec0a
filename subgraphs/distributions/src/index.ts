import 'reflect-metadata';
import {
  BigIntScalar,
  ChainTransaction,
  defineSubgraph,
  startSubgraph,
  type RunningSubgraph,
  type SubgraphDefinition,
} from '@tranche/platform';
import { Deal } from './deal/deal.entity.js';
import { dealReferences } from './deal/deal.reference.js';
import { Distribution } from './distribution/distribution.entity.js';
import { distributionReferences } from './distribution/distribution.reference.js';
import { DistributionResolver, TrancheDistributionsResolver } from './distribution/distribution.resolver.js';
import { Holding, holdingReferences, HoldingValueResolver } from './holding/holding.js';
import { migrations } from './migrations/index.js';
import { StatementResolver } from './statement/statement.resolver.js';
import { statementRoutes } from './statement/statement.routes.js';
import { DealWaterfallState, ServicerReport, TranchePayout } from './payout/payout.entity.js';
import { payoutJobs } from './payout/payout.jobs.js';
import { TranchePayoutResolver } from './payout/payout.holders.js';
import { PayoutResolver } from './payout/payout.resolver.js';
import { closeProjectionPool } from './projection/projection.pool.js';
import { DealProjectionResolver } from './projection/projection.resolver.js';
import { Tranche } from './tranche/tranche.entity.js';
import { trancheReferences } from './tranche/tranche.reference.js';

/** The distributions subgraph: period payments per tranche (extends Tranche) and projections (extends Deal). */
export const distributionsSubgraph: SubgraphDefinition = defineSubgraph({
  name: 'distributions',
  entities: [Distribution, ServicerReport, TranchePayout, DealWaterfallState, ChainTransaction],
  migrations,
  resolvers: [
    DistributionResolver,
    TrancheDistributionsResolver,
    DealProjectionResolver,
    PayoutResolver,
    TranchePayoutResolver,
    HoldingValueResolver,
    StatementResolver,
  ],
  orphanedTypes: [Tranche, Deal, Holding],
  references: { ...dealReferences, ...trancheReferences, ...distributionReferences, ...holdingReferences },
  scalarsMap: [{ type: BigInt, scalar: BigIntScalar }],
  jobs: payoutJobs,
  routes: statementRoutes,
  // the projection threads start on the first projection; stopping the subgraph ends them
  workers: () => ({ stop: closeProjectionPool }),
});

/** Starts the distributions subgraph on `port` (0 picks a free port). */
export function bootstrap(port: number, env: NodeJS.ProcessEnv = process.env): Promise<RunningSubgraph> {
  return startSubgraph(distributionsSubgraph, port, env);
}
