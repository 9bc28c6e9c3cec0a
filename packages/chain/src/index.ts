// @tranche/chain: typed bindings, deployment, signers, transaction sending and event indexing.
export * from './audit-anchor.js';
export * from './audit-report.js';
export {
  type ComplianceModuleName,
  type ComplianceModules,
  deployComplianceModules,
} from './compliance-modules.js';
export * from './chain-directory.js';
export * from './contracts.js';
export * from './deal-registration.js';
export * from './deal-suite.js';
export * from './deploy-platform.js';
export * from './deployment.js';
export * from './errors.js';
export * from './governance.js';
export * from './hardhat-node.js';
export * from './indexer.js';
export * from './investor.js';
export * from './kms/index.js';
export * from './kill-switch.js';
export * from './local-chain.js';
export * from './manifest.js';
export * from './payouts.js';
export * from './pool-attestation.js';
export * from './safe.js';
export * from './signer.js';
export * from './tx-sender.js';
