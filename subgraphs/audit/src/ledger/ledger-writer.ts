import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { OWNED_SCHEMAS, readOutbox, type Logger } from '@tranche/platform';
import { AuditEvent } from './audit-event.entity.js';
import { GENESIS_HASH, ledgerHash } from './ledger-hash.js';
import { OutboxCursor } from './outbox-cursor.entity.js';

const BATCH = 500;

/**
 * Links every subgraph's outbox events into the audit ledger, in outbox id order per source.
 * It runs in one transaction per pass holding a transaction-scoped advisory lock, so exactly one
 * writer appends at a time however many audit replicas run; a pass that finds the lock taken
 * does nothing. Returns how many events it linked.
 */
export async function linkOutboxes(em: EntityManager): Promise<number> {
  return em.transactional(async (tx) => {
    // The lock key predates the ledger's name; it stays so old and new writers exclude each other.
    const [lock] = await tx.execute<{ locked: boolean }[]>(
      `select pg_try_advisory_xact_lock(hashtext('audit.chain-writer')) as locked`,
    );
    if (!lock?.locked) return 0;
    const head = await tx.findOne(AuditEvent, { seq: { $gt: 0 } }, { orderBy: { seq: 'desc' } });
    let seq = head?.seq ?? 0;
    let prevHash = head?.hash ?? GENESIS_HASH;
    let linked = 0;
    for (const source of OWNED_SCHEMAS) {
      const cursor = await tx.findOne(OutboxCursor, { source });
      const events = await readOutbox(tx, source, cursor?.lastId ?? '0', BATCH);
      if (!events.length) continue;
      for (const event of events) {
        seq += 1;
        const fields = {
          seq,
          tenantId: event.tenantId,
          source,
          sourceEventId: event.eventId,
          actor: event.actor,
          action: event.action,
          aggregateType: event.aggregateType,
          aggregateId: event.aggregateId,
          payload: event.payload,
          requestId: event.requestId ?? null,
          occurredAt: event.occurredAt,
        };
        const hash = ledgerHash(prevHash, fields);
        tx.create(AuditEvent, { ...fields, prevHash, hash });
        prevHash = hash;
        linked += 1;
      }
      const lastId = String(events[events.length - 1]?.id);
      if (cursor) cursor.lastId = lastId;
      else tx.create(OutboxCursor, { source, lastId });
    }
    return linked;
  });
}

/** Runs {@link linkOutboxes} every `intervalMs` until stopped. */
export function startLedgerWriter(
  orm: MikroORM,
  intervalMs: number,
  logger: Logger,
): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = linkOutboxes(orm.em.fork())
      .then((n) => {
        if (n) logger.debug({ linked: n }, 'audit events linked');
      })
      .catch((err: unknown) => logger.error({ err }, 'audit ledger writer pass failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
