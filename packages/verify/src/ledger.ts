// The audit ledger's hash chain, as defined once for the writer (subgraphs/audit, which hashes
// with Node's crypto for speed) and for every verifier (this package, in Node or a browser).
import { canonicalJson } from '@tranche/platform/canonical-json';
import { sha256Hex } from './bytes.js';

/**
 * The all-zero root every tenant's genesis hash is linked to (see {@link genesisHash}); before
 * the ledger had one chain per tenant it was the `prevHash` of the single chain's first event.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an event that its ledger hash covers. */
export interface LedgerFields {
  seq: number;
  tenantId: string;
  source: string;
  sourceEventId: string;
  actor: string;
  action: string;
  aggregateType: string;
  aggregateId: string;
  payload: string;
  requestId: string | null;
  occurredAt: Date;
}

/** The text hashed after `GENESIS_HASH` to give a tenant's genesis hash. */
export function genesisBody(tenantId: string): string {
  return canonicalJson({ genesis: 'tranche.audit-ledger', tenantId });
}

/**
 * The text hashed after `prevHash` to give an event's ledger hash: the canonical JSON of every
 * covered field, the time as ISO 8601 with milliseconds.
 */
export function ledgerBody(event: LedgerFields): string {
  return canonicalJson({
    seq: event.seq,
    tenantId: event.tenantId,
    source: event.source,
    sourceEventId: event.sourceEventId,
    actor: event.actor,
    action: event.action,
    aggregateType: event.aggregateType,
    aggregateId: event.aggregateId,
    payload: event.payload,
    requestId: event.requestId,
    occurredAt: event.occurredAt.toISOString(),
  });
}

/**
 * The `prevHash` of a tenant's first event: the hash of a virtual event 0 naming the tenant,
 * `SHA-256(GENESIS_HASH || canonicalJson({ genesis: 'tranche.audit-ledger', tenantId }))`, hex.
 * Binding the genesis to the tenant means a chain cannot be passed off as another tenant's, or
 * spliced onto it, without breaking its first link.
 */
export function genesisHash(tenantId: string): string {
  return sha256Hex(GENESIS_HASH + genesisBody(tenantId));
}

/**
 * The hash linking an event into its tenant's chain: `SHA-256(prevHash || canonicalJson(event))`,
 * hex. Any change to a covered field, or to the previous event's hash, changes it.
 */
export function ledgerHash(prevHash: string, event: LedgerFields): string {
  return sha256Hex(prevHash + ledgerBody(event));
}
