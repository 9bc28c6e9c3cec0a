// Browser entry (`@tranche/chain/browser`): what a page needs to read the platform's contracts and
// check its Merkle proofs, without Node built-ins (no node launcher, no manifest files, no keys).
// The auditor's verification page (`@tranche/verify` in the back office) imports this.
export { ledgerIdOf, verifyLedgerProof, LEDGER_LEAF_ENCODING, type LedgerLeaf } from './audit-anchor.js';
export { payoutRoot, PAYOUT_LEAF_ENCODING, type PayoutInput } from './payouts.js';
export {
  AuditAnchor__factory,
  AuditReportRegistry__factory,
  DealRegistry__factory,
  DistributionManager__factory,
  PoolAttestationVerifier__factory,
} from './generated/platform/index.js';
export {
  AUDIT_REPORT_TYPES,
  auditReportDigest,
  auditReportDomain,
  auditReportSigner,
  type AuditReportMessage,
} from './audit-report.js';
