import 'reflect-metadata';
import {
  defineSubgraph,
  startSubgraph,
  type RunningSubgraph,
  type SubgraphDefinition,
} from '@tranche/platform';
import { Deal } from './deal/deal.entity.js';
import { dealReferences } from './deal/deal.reference.js';
import { DealInterest } from './investor/deal-interest.entity.js';
import { Investor } from './investor/investor.entity.js';
import { investorReferences } from './investor/investor.reference.js';
import { DealInvestorsResolver, InvestorResolver } from './investor/investor.resolver.js';
import { migrations } from './migrations/index.js';

/** The investors subgraph: investors and their interests; extends Deal with `investorCount`. */
export const investorsSubgraph: SubgraphDefinition = defineSubgraph({
  name: 'investors',
  entities: [Investor, DealInterest],
  migrations,
  resolvers: [InvestorResolver, DealInvestorsResolver],
  orphanedTypes: [Deal],
  references: { ...dealReferences, ...investorReferences },
});

/** Starts the investors subgraph on `port` (0 picks a free port). */
export function bootstrap(port: number, env: NodeJS.ProcessEnv = process.env): Promise<RunningSubgraph> {
  return startSubgraph(investorsSubgraph, port, env);
}
