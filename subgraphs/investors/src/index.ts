import 'reflect-metadata';
import {
  BigIntScalar,
  ChainTransaction,
  combineJobs,
  defineSubgraph,
  startSubgraph,
  type RunningSubgraph,
  type SubgraphDefinition,
} from '@tranche/platform';
import { WalletChallenge } from './compliance/wallet-challenge.entity.js';
import { SanctionsScreening } from './compliance/sanctions-screening.entity.js';
import { SanctionsResolver, WalletProofResolver } from './compliance/compliance.resolver.js';
import { sanctionsJobs } from './compliance/sanctions.jobs.js';
import { Deal } from './deal/deal.entity.js';
import { KycInquiry, KycWebhookEvent } from './kyc/kyc-inquiry.entity.js';
import { kycJobs } from './kyc/kyc.jobs.js';
import { InvestorKycResolver, KycResolver } from './kyc/kyc.resolver.js';
import { kycRoutes } from './kyc/kyc.routes.js';
import { dealReferences } from './deal/deal.reference.js';
import { DealInterest } from './investor/deal-interest.entity.js';
import { Investor } from './investor/investor.entity.js';
import { investorReferences } from './investor/investor.reference.js';
import { DealInvestorsResolver, InvestorResolver } from './investor/investor.resolver.js';
import { startHoldingIndexer } from './holding/holding.indexer.js';
import { InvestorHoldingsResolver, TrancheCapTableResolver } from './holding/holding.resolver.js';
import { IndexerCursorRow } from './holding/indexer-cursor.entity.js';
import { TokenTransfer } from './holding/token-transfer.entity.js';
import { migrations } from './migrations/index.js';
import { Subscription } from './subscription/subscription.entity.js';
import { subscriptionJobs } from './subscription/subscription.jobs.js';
import { SubscriptionResolver } from './subscription/subscription.resolver.js';
import { TokenAction } from './tokenops/token-action.entity.js';
import { tokenOpsJobs } from './tokenops/tokenops.jobs.js';
import { TokenOpsResolver } from './tokenops/tokenops.resolver.js';
import { Tranche } from './tranche/tranche.entity.js';
import { trancheReferences } from './tranche/tranche.reference.js';

/** The investors subgraph: investors and their interests; extends Deal with `investorCount`. */
export const investorsSubgraph: SubgraphDefinition = defineSubgraph({
  name: 'investors',
  entities: [
    Investor,
    DealInterest,
    TokenTransfer,
    IndexerCursorRow,
    Subscription,
    TokenAction,
    ChainTransaction,
    WalletChallenge,
    SanctionsScreening,
    KycInquiry,
    KycWebhookEvent,
  ],
  migrations,
  resolvers: [
    InvestorResolver,
    DealInvestorsResolver,
    TrancheCapTableResolver,
    InvestorHoldingsResolver,
    SubscriptionResolver,
    TokenOpsResolver,
    WalletProofResolver,
    SanctionsResolver,
    KycResolver,
    InvestorKycResolver,
  ],
  orphanedTypes: [Deal, Tranche],
  references: { ...dealReferences, ...investorReferences, ...trancheReferences },
  scalarsMap: [{ type: BigInt, scalar: BigIntScalar }],
  workers: (orm, config, logger) => startHoldingIndexer(orm, config, logger),
  jobs: combineJobs(subscriptionJobs, tokenOpsJobs, kycJobs, sanctionsJobs),
  routes: kycRoutes,
});

/** Starts the investors subgraph on `port` (0 picks a free port). */
export function bootstrap(port: number, env: NodeJS.ProcessEnv = process.env): Promise<RunningSubgraph> {
  return startSubgraph(investorsSubgraph, port, env);
}
