import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import {
  legacyOutboxPosition,
  OUTBOX_START,
  OWNED_SCHEMAS,
  readOutbox,
  type Logger,
} from '@tranche/platform';
import { AuditEvent } from './audit-event.entity.js';
import { genesisHash, ledgerHash } from './ledger-hash.js';
import { OutboxCursor } from './outbox-cursor.entity.js';

const BATCH = 500;

/** The newest link of a tenant's chain: the position and hash the next event links to. */
interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * Links every subgraph's outbox events into the audit ledger, in the order readOutbox gives
 * per source (writing transaction, then outbox id),
 * appending each event to its tenant's chain (positions from 1, the first linked to the
 * tenant's {@link genesisHash}). It runs in one transaction per pass holding a
 * transaction-scoped advisory lock, so exactly one writer appends at a time however many audit
 * replicas run; a pass that finds the lock taken does nothing. Returns how many events it
 * linked.
 */
export async function linkOutboxes(em: EntityManager): Promise<number> {
  return em.transactional(async (tx) => {
    // The lock key predates the ledger's name; it stays so old and new writers exclude each other.
    const [lock] = await tx.execute<{ locked: boolean }[]>(
      `select pg_try_advisory_xact_lock(hashtext('audit.chain-writer')) as locked`,
    );
    if (!lock?.locked) return 0;
    // Heads move as the pass appends, so they are read once per tenant and then kept here.
    const heads = new Map<string, ChainHead>();
    let linked = 0;
    for (const source of OWNED_SCHEMAS) {
      const cursor = await tx.findOne(OutboxCursor, { source });
      const position = !cursor
        ? OUTBOX_START
        : cursor.lastTxId
          ? { txId: cursor.lastTxId, id: cursor.lastId }
          : await legacyOutboxPosition(tx, source, cursor.lastId);
      const events = await readOutbox(tx, source, position, BATCH);
      if (!events.length) continue;
      await loadHeads(
        tx,
        heads,
        events.map((e) => e.tenantId),
      );
      for (const event of events) {
        const head = heads.get(event.tenantId) ?? { seq: 0, hash: genesisHash(event.tenantId) };
        const fields = {
          seq: head.seq + 1,
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
        const hash = ledgerHash(head.hash, fields);
        tx.create(AuditEvent, { ...fields, prevHash: head.hash, hash });
        heads.set(event.tenantId, { seq: fields.seq, hash });
        linked += 1;
      }
      const last = events[events.length - 1]!;
      if (cursor) Object.assign(cursor, { lastTxId: last.txId, lastId: last.id });
      else tx.create(OutboxCursor, { source, lastTxId: last.txId, lastId: last.id });
    }
    return linked;
  });
}

/**
 * Adds to `heads` the head of every tenant in `tenantIds` it does not hold yet, in one
 * statement (the newest row per tenant, from the unique (tenant, seq) index). A tenant with no
 * events yet gets no entry: its first event links to its genesis.
 */
async function loadHeads(
  tx: EntityManager,
  heads: Map<string, ChainHead>,
  tenantIds: string[],
): Promise<void> {
  const missing = [...new Set(tenantIds)].filter((t) => !heads.has(t));
  if (!missing.length) return;
  const rows = await tx
    .createQueryBuilder(AuditEvent)
    .select(['tenantId', 'seq', 'hash'])
    .distinctOn(['tenantId'])
    .where({ tenantId: { $in: missing } })
    .orderBy({ tenantId: 'asc', seq: 'desc' })
    .execute<Pick<AuditEvent, 'tenantId' | 'seq' | 'hash'>[]>('all');
  for (const row of rows) heads.set(row.tenantId, { seq: row.seq, hash: row.hash });
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
