import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { OptionalProps } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { canonicalJson } from './canonical-json.js';
import type { Principal } from './auth.js';
import { actorOf } from './auth.js';

/**
 * An audit event waiting in a subgraph's transactional outbox (`<schema>.outbox_event`). It is
 * written in the same transaction as the change it describes; the audit subgraph's single
 * writer reads outboxes in id order and links them into the hash chain.
 */
@Entity({ tableName: 'outbox_event' })
export class OutboxEvent {
  [OptionalProps]?: 'eventId' | 'occurredAt' | 'requestId';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'uuid', unique: true })
  eventId: string = randomUUID();

  @Index()
  @Property({ type: 'text' })
  tenantId!: string;

  @Property({ type: 'text' })
  actor!: string;

  @Property({ type: 'text' })
  action!: string;

  @Property({ type: 'text' })
  aggregateType!: string;

  @Property({ type: 'text' })
  aggregateId!: string;

  /** Canonical JSON of the event's details. */
  @Property({ type: 'text' })
  payload!: string;

  @Property({ type: 'text', nullable: true })
  requestId?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  occurredAt: Date = new Date();
}

export interface AuditRecord {
  action: string;
  aggregateType: string;
  aggregateId: string;
  payload: unknown;
}

/**
 * Queues an audit event in the current transaction. Call it inside `em.transactional`: it
 * takes a transaction-scoped advisory lock per schema first, so outbox ids become visible in
 * commit order and the reader can never skip a row that commits late.
 */
export async function recordAudit(
  em: EntityManager,
  schema: string,
  principal: Principal,
  record: AuditRecord,
  requestId?: string,
): Promise<OutboxEvent> {
  if (!em.isInTransaction()) throw new Error('recordAudit must run inside a transaction');
  await em.execute('select pg_advisory_xact_lock(hashtext(?))', [`${schema}.outbox_event`]);
  const event = em.create(OutboxEvent, {
    tenantId: principal.tenantId,
    actor: actorOf(principal),
    action: record.action,
    aggregateType: record.aggregateType,
    aggregateId: record.aggregateId,
    payload: canonicalJson(record.payload),
    requestId: requestId ?? null,
  });
  em.persist(event);
  return event;
}

/**
 * Reads up to `limit` events of one subgraph's outbox (`<schema>.outbox_event`) with an outbox
 * id above `afterId`, in id order, through this module's own entity (so no reader keeps a copy
 * of the outbox's columns). The rows are detached: they are read, never changed, and ids of
 * different schemas' outboxes may coincide. Answers `[]` while the schema has no outbox yet
 * (its subgraph has not migrated).
 */
export async function readOutbox(
  em: EntityManager,
  schema: string,
  afterId: string,
  limit: number,
): Promise<OutboxEvent[]> {
  const [exists] = await em.execute<{ t: string | null }[]>('select to_regclass(?) as t', [
    `"${schema}"."outbox_event"`,
  ]);
  if (!exists?.t) return [];
  return em.find(
    OutboxEvent,
    { id: { $gt: afterId } },
    { schema, orderBy: { id: 'asc' }, limit, disableIdentityMap: true },
  );
}
