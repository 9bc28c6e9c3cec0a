// SPDX-License-Identifier: GPL-3.0-or-later
// Node entry of @tranche/circuits: commitment (ingest), proving, verification, calldata.
export * from './browser.js';
export {
  poolLeaves,
  poolRoot,
  packLoan,
  randomSalt,
  randomSalts,
  assertLoanInRange,
  FIELD_ORDER,
  type PoolLoan,
} from './commitment.js';
export {
  PoolCommitmentBuilder,
  poolCommitment,
  poolCommitmentSync,
  type PoolCommitment,
} from './commitment-parallel.js';
export { commitmentCapacity } from './instances.js';
export { evaluatePool, circuitInput, assertStatementInputs, type PoolMetrics } from './statements.js';
export {
  provePoolAttestation,
  CovenantNotMetError,
  type PoolAttestation,
  type ProveOptions,
  type ProveProgress,
} from './prove.js';
export {
  instanceArtifacts,
  committedVerificationKey,
  buildDir,
  isInstanceBuilt,
  provingInstanceFor,
  InstanceNotBuiltError,
  type InstanceArtifacts,
} from './artifacts.js';
