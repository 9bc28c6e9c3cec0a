// The verifier of audit bundles lives in `@tranche/verify`, browser-safe, so the auditor's page
// and `npm run audit:verify-bundle` run the same checks; re-exported here for the command and the
// tests that build bundles with this subgraph's writer.
export {
  verifyBundle,
  rpcChainReader,
  type BundleChainReader,
  type BundleCheck,
  type BundleReport,
  type CheckStatus,
  type RpcChainReader,
  type VerifyBundleOptions,
} from '@tranche/verify';
