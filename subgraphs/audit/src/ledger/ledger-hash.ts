// The ledger hash chain as the writer computes it: the covered text is defined once in
// `@tranche/verify` (which every verifier, the auditor's browser included, uses); the writer
// hashes it with Node's crypto, several times faster than a JS SHA-256 on the hot path.
import { createHash } from 'node:crypto';
import { GENESIS_HASH, genesisBody, ledgerBody, type LedgerFields } from '@tranche/verify';

export { GENESIS_HASH, type LedgerFields };

/**
 * The `prevHash` of a tenant's first event: `SHA-256(GENESIS_HASH || canonicalJson({ genesis:
 * 'tranche.audit-ledger', tenantId }))`, hex (see `genesisHash` in `@tranche/verify`).
 */
export function genesisHash(tenantId: string): string {
  return createHash('sha256').update(GENESIS_HASH).update(genesisBody(tenantId)).digest('hex');
}

/**
 * The hash linking an event into its tenant's chain of the audit ledger:
 * `SHA-256(prevHash || canonicalJson(event))`, hex (see `ledgerHash` in `@tranche/verify`).
 */
export function ledgerHash(prevHash: string, event: LedgerFields): string {
  return createHash('sha256').update(prevHash).update(ledgerBody(event)).digest('hex');
}
