// @tranche/verify: the auditor's verifier. Browser-safe (no Node built-ins): the back office's
// verification page runs it in the auditor's browser, `npm run audit:verify-bundle` in Node.
export * from './bytes.js';
export * from './evidence.js';
export * from './format.js';
export * from './ledger.js';
export * from './rpc.js';
export * from './verify-bundle.js';
export * from './merkle.js';
export * from './result.js';
