import 'reflect-metadata';
import { OutboxEvent, startSubgraph, type RunningSubgraph, type SubgraphDefinition } from '@tranche/platform';
import { Deal } from './deal/deal.entity.js';
import { dealReferences, DealInvestorsResolver } from './deal/deal.resolver.js';
import { DealInterest } from './investor/deal-interest.entity.js';
import { Investor } from './investor/investor.entity.js';
import { investorReferences } from './investor/investor.reference.js';
import { InvestorResolver } from './investor/investor.resolver.js';
import { DB_SCHEMA } from './investor/investor.service.js';
import { migrations } from './migrations/index.js';

/** The investors subgraph: investors and their interests; extends Deal with `investorCount`. */
export const investorsSubgraph: SubgraphDefinition = {
  name: 'investors',
  dbSchema: DB_SCHEMA,
  entities: [Investor, DealInterest, OutboxEvent],
  migrations,
  resolvers: [InvestorResolver, DealInvestorsResolver],
  orphanedTypes: [Deal],
  references: { ...dealReferences, ...investorReferences },
};

/** Starts the investors subgraph on `port` (0 picks a free port). */
export function bootstrap(port: number, env: NodeJS.ProcessEnv = process.env): Promise<RunningSubgraph> {
  return startSubgraph(investorsSubgraph, port, env);
}
