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
 * writer reads outboxes in (writing transaction, id) order and links them into the hash chains.
 */
@Entity({ tableName: 'outbox_event' })
@Index({ properties: ['txId', 'id'] })
export class OutboxEvent {
  [OptionalProps]?: 'eventId' | 'occurredAt' | 'requestId' | 'txId';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  /**
   * The id (xid8) of the transaction that wrote the event, set by the database. The reader
   * takes events in (txId, id) order and only those of transactions older than every one still
   * running, so an event that commits late is never passed over and writers need no lock.
   */
  @Property({ type: 'string', columnType: 'xid8', defaultRaw: 'pg_current_xact_id()' })
  txId?: string;

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
 * Queues an audit event in the current transaction. Call it inside `em.transactional`. Writers
 * take no lock: concurrent transactions write their events side by side, and the reader
 * ({@link readOutbox}) orders them by writing transaction. (A per-schema lock held to commit
 * used to serialize every audited write: about 250 commits/s on this hardware against 1,800
 * without it, with 32 concurrent writers; `schema` named that lock and is no longer read.)
 */
export async function recordAudit(
  em: EntityManager,
  schema: string,
  principal: Principal,
  record: AuditRecord,
  requestId?: string,
): Promise<OutboxEvent> {
  if (!em.isInTransaction()) throw new Error('recordAudit must run inside a transaction');
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

/** Whether `schema` has its outbox yet (its subgraph may not have migrated). */
async function hasOutbox(em: EntityManager, schema: string): Promise<boolean> {
  const [exists] = await em.execute<{ t: string | null }[]>('select to_regclass(?) as t', [
    `"${schema}"."outbox_event"`,
  ]);
  return Boolean(exists?.t);
}

/** How far a reader has read an outbox: the last event's transaction id and outbox id. */
export interface OutboxPosition {
  txId: string;
  id: string;
}

/** The start of every outbox. */
export const OUTBOX_START: OutboxPosition = { txId: '0', id: '0' };

/** One outbox event as read: detached, never changed. */
export interface OutboxRow {
  id: string;
  txId: string;
  eventId: string;
  tenantId: string;
  actor: string;
  action: string;
  aggregateType: string;
  aggregateId: string;
  payload: string;
  requestId: string | null;
  occurredAt: Date;
}

interface OutboxSqlRow {
  id: string;
  tx_text: string;
  event_id: string;
  tenant_id: string;
  actor: string;
  action: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: string;
  request_id: string | null;
  occurred_at: Date | string;
}

/**
 * Reads up to `limit` events of one subgraph's outbox (`<schema>.outbox_event`) after
 * `after`, in (transaction id, outbox id) order, and only events of transactions older than
 * every transaction still running (`pg_snapshot_xmin` of the statement's snapshot). Those are
 * final: a transaction still running, or one that starts later, has an id at or above that
 * horizon, so no event can later appear before the position a reader has reached, and the
 * reader never skips one that commits late. A long transaction delays what comes after it; it
 * never loses it. Answers `[]` while the schema has no outbox yet (its subgraph has not
 * migrated).
 */
export async function readOutbox(
  em: EntityManager,
  schema: string,
  after: OutboxPosition,
  limit: number,
): Promise<OutboxRow[]> {
  if (!(await hasOutbox(em, schema))) return [];
  const rows = await em.execute<OutboxSqlRow[]>(
    // The text copy of tx_id has its own name: ORDER BY takes an output column's name first, and
    // ordering by text would put transaction 1000 before 999.
    `select e.id, e.tx_id::text as tx_text, e.event_id, e.tenant_id, e.actor, e.action, e.aggregate_type,
            e.aggregate_id, e.payload, e.request_id, e.occurred_at
       from "${schema}"."outbox_event" e
      where (e.tx_id, e.id) > (?::xid8, ?::bigint)
        and e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
      order by e.tx_id, e.id
      limit ?`,
    [after.txId, after.id, limit],
  );
  return rows.map((r) => ({
    id: String(r.id),
    txId: r.tx_text,
    eventId: r.event_id,
    tenantId: r.tenant_id,
    actor: r.actor,
    action: r.action,
    aggregateType: r.aggregate_type,
    aggregateId: r.aggregate_id,
    payload: r.payload,
    requestId: r.request_id,
    occurredAt: new Date(r.occurred_at),
  }));
}

/**
 * The position of an outbox read by id alone (by a reader from before events carried their
 * transaction id): the transaction id of the last event read, which every event written before
 * the column existed shares (the migration that added it set it), or the start when the outbox
 * has no such event.
 */
export async function legacyOutboxPosition(
  em: EntityManager,
  schema: string,
  lastId: string,
): Promise<OutboxPosition> {
  if (!(await hasOutbox(em, schema))) return { txId: '0', id: lastId };
  const [row] = await em.execute<{ tx_id: string }[]>(
    `select tx_id::text as tx_id from "${schema}"."outbox_event" where id <= ? order by id desc limit 1`,
    [lastId],
  );
  return { txId: row?.tx_id ?? '0', id: lastId };
}
