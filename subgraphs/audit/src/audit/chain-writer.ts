import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { OWNED_SCHEMAS, type Logger } from '@tranche/platform';
import { AuditEvent, OutboxCursor } from './audit-event.entity.js';
import { chainHash, GENESIS_HASH } from './chain.js';

const BATCH = 500;

interface OutboxRow {
  id: string;
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
 * Links every subgraph's outbox events into the chain, in outbox id order per source. It runs
 * in one transaction per pass holding a transaction-scoped advisory lock, so exactly one writer
 * appends at a time however many audit replicas run; a pass that finds the lock taken does
 * nothing. Returns how many events it linked.
 */
export async function linkOutboxes(em: EntityManager): Promise<number> {
  return em.transactional(async (tx) => {
    const [lock] = await tx.execute<{ locked: boolean }[]>(
      `select pg_try_advisory_xact_lock(hashtext('audit.chain-writer')) as locked`,
    );
    if (!lock?.locked) return 0;
    const head = await tx.findOne(AuditEvent, { seq: { $gt: 0 } }, { orderBy: { seq: 'desc' } });
    let seq = head?.seq ?? 0;
    let prevHash = head?.hash ?? GENESIS_HASH;
    let linked = 0;
    for (const source of OWNED_SCHEMAS) {
      const [exists] = await tx.execute<{ t: string | null }[]>(`select to_regclass(?) as t`, [
        `"${source}"."outbox_event"`,
      ]);
      if (!exists?.t) continue;
      const cursor = await tx.findOne(OutboxCursor, { source });
      const rows = await tx.execute<OutboxRow[]>(
        `select * from "${source}"."outbox_event" where id > ? order by id limit ${BATCH}`,
        [cursor?.lastId ?? '0'],
      );
      if (!rows.length) continue;
      for (const row of rows) {
        seq += 1;
        const fields = {
          seq,
          tenantId: row.tenant_id,
          source,
          sourceEventId: row.event_id,
          actor: row.actor,
          action: row.action,
          aggregateType: row.aggregate_type,
          aggregateId: row.aggregate_id,
          payload: row.payload,
          requestId: row.request_id,
          occurredAt: new Date(row.occurred_at),
        };
        const hash = chainHash(prevHash, fields);
        tx.create(AuditEvent, { ...fields, prevHash, hash });
        prevHash = hash;
        linked += 1;
      }
      const lastId = String(rows[rows.length - 1]?.id);
      if (cursor) cursor.lastId = lastId;
      else tx.create(OutboxCursor, { source, lastId });
    }
    return linked;
  });
}

/** Runs {@link linkOutboxes} every `intervalMs` until stopped. */
export function startChainWriter(
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
      .catch((err: unknown) => logger.error({ err }, 'audit chain writer pass failed'))
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
