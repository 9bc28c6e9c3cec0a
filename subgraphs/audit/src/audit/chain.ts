import { createHash } from 'node:crypto';
import { canonicalJson } from '@tranche/platform';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an event that the chain hash covers. */
export interface ChainedFields {
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

/** `SHA-256(prevHash || canonicalJson(event))`, hex. */
export function chainHash(prevHash: string, event: ChainedFields): string {
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
