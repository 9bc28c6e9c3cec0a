import { createHash } from 'node:crypto';
import { canonicalJson } from '@tranche/platform';

/**
 * The all-zero root every tenant's genesis hash is linked to (see {@link genesisHash}); before
 * the ledger had one chain per tenant it was the `prevHash` of the single chain's first event.
 */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The `prevHash` of a tenant's first event: the hash of a virtual event 0 naming the tenant,
 * `SHA-256(GENESIS_HASH || canonicalJson({ genesis: 'tranche.audit-ledger', tenantId }))`, hex.
 * Binding the genesis to the tenant means a chain cannot be passed off as another tenant's, or
 * spliced onto it, without breaking its first link (every event's own hash covers its tenant
 * too).
 */
export function genesisHash(tenantId: string): string {
  const body = canonicalJson({ genesis: 'tranche.audit-ledger', tenantId });
  return createHash('sha256').update(GENESIS_HASH).update(body).digest('hex');
}

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

/**
 * The hash linking an event into its tenant's chain of the audit ledger:
 * `SHA-256(prevHash || canonicalJson(event))`, hex. Any change to a covered field (the tenant
 * and the position in its chain included), or to the previous event's hash, changes it.
 */
export function ledgerHash(prevHash: string, event: LedgerFields): string {
  const body = canonicalJson({
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
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}
