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
import { attestationJobs } from './attestation/attestation.jobs.js';
import { AttestationResolver, DealAttestationResolver } from './attestation/attestation.resolver.js';
import { PoolAttestation } from './attestation/pool-attestation.entity.js';
import { Deal } from './deal/deal.entity.js';
import { dealReferences } from './deal/deal.reference.js';
import { DealResolver, TrancheResolver } from './deal/deal.resolver.js';
import { Tranche } from './deal/tranche.entity.js';
import { IssuanceTransaction } from './issuance/issuance-transaction.entity.js';
import { Issuance } from './issuance/issuance.entity.js';
import { issuanceJobs } from './issuance/issuance.jobs.js';
import { DealIssuanceResolver, IssuanceResolver } from './issuance/issuance.resolver.js';
import { TrancheToken } from './issuance/tranche-token.entity.js';
import { DealDocument } from './lifecycle/deal-document.entity.js';
import { lifecycleJobs } from './lifecycle/lifecycle.jobs.js';
import { LifecycleResolver } from './lifecycle/lifecycle.resolver.js';
import { migrations } from './migrations/index.js';
import { LoanTapeChunk } from './tape/loan-tape-chunk.entity.js';
import { LoanTape } from './tape/loan-tape.entity.js';
import { Loan } from './tape/loan.entity.js';
import { tapeJobs } from './tape/tape.jobs.js';
import { DealTapeResolver, TapeResolver } from './tape/tape.resolver.js';
import { tapeRoutes } from './tape/tape.routes.js';

/**
 * The deals subgraph: deals and their tranches, their way to issuance (terms, documents, review,
 * termination), their loan tapes (loans and borrower data never leave this schema), the
 * zero-knowledge attestations that a tape meets the deal's covenants, and their deployment
 * on-chain, owned in the `deals` schema.
 */
export const dealsSubgraph: SubgraphDefinition = defineSubgraph({
  name: 'deals',
  entities: [
    Deal,
    Tranche,
    DealDocument,
    Issuance,
    TrancheToken,
    IssuanceTransaction,
    ChainTransaction,
    LoanTape,
    Loan,
    LoanTapeChunk,
    PoolAttestation,
  ],
  migrations,
  resolvers: [
    DealResolver,
    TrancheResolver,
    LifecycleResolver,
    IssuanceResolver,
    DealIssuanceResolver,
    TapeResolver,
    DealTapeResolver,
    AttestationResolver,
    DealAttestationResolver,
  ],
  references: { ...dealReferences },
  scalarsMap: [{ type: BigInt, scalar: BigIntScalar }],
  jobs: combineJobs(lifecycleJobs, issuanceJobs, tapeJobs, attestationJobs),
  routes: tapeRoutes,
});

/** Starts the deals subgraph on `port` (0 picks a free port). */
export function bootstrap(port: number, env: NodeJS.ProcessEnv = process.env): Promise<RunningSubgraph> {
  return startSubgraph(dealsSubgraph, port, env);
}
