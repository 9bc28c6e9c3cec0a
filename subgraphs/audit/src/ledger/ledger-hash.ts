import { createHash } from 'node:crypto';
import { canonicalJson } from '@tranche/platform';

/** The `prevHash` of the ledger's first event. */
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

/**
 * The hash linking an event into the audit ledger: `SHA-256(prevHash || canonicalJson(event))`,
 * hex. Any change to a covered field, or to the previous event's hash, changes it.
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
