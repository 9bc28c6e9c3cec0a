import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createDatabaseIfMissing, dropDatabase } from '@tranche/devstack';
import { openSubgraphOrm, testPrincipal } from '@tranche/devstack/testing';
import {
  createLogger,
  createOrm,
  type Config,
  OutboxEvent,
  OUTBOX_START,
  pendingSchemaDiff,
  readOutbox,
  recordAudit,
  ValidationError,
  type Principal,
} from '@tranche/platform';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { auditSubgraph } from '../index.js';
import { Migration20261121065246Init } from '../migrations/Migration20261121065246Init.js';
import { Migration20261203091433TenantChains } from '../migrations/Migration20261203091433TenantChains.js';
import { Migration20261204081139OutboxTxOrder } from '../migrations/Migration20261204081139OutboxTxOrder.js';
import { AuditEvent } from './audit-event.entity.js';
import { GENESIS_HASH, genesisHash, ledgerHash } from './ledger-hash.js';
import { linkOutboxes } from './ledger-writer.js';
import { ledgerJobs } from './ledger.jobs.js';
import { LedgerService, VERIFY_CHAIN_TASK } from './ledger.service.js';
import { OutboxCursor } from './outbox-cursor.entity.js';

let orm: MikroORM;
beforeAll(async () => {
  orm = await openSubgraphOrm(auditSubgraph);
});
afterAll(async () => {
  await orm?.close();
});

const auditor = (tenantId?: string, on: MikroORM = orm) =>
  new LedgerService(on.em.fork(), testPrincipal(['AUDITOR'], tenantId));

/** Writes `count` events to the audit schema's own outbox, as a subgraph's write would. */
async function record(
  principal: Principal,
  count: number,
  aggregateId = 'agg-1',
  on: MikroORM = orm,
): Promise<void> {
  await on.em.fork().transactional(async (tx) => {
    for (let i = 0; i < count; i += 1) {
      await recordAudit(tx, 'audit', principal, {
        action: 'test.recorded',
        aggregateType: 'Test',
        aggregateId,
        payload: { i },
      });
    }
  });
}

/** A tenant's chain as stored, in seq order. */
const chainOf = (tenantId: string, on: MikroORM = orm) =>
  on.em.fork().find(AuditEvent, { tenantId }, { orderBy: { seq: 'asc' } });

/** Runs one SQL statement on the test database, as someone with direct database access would. */
const sql = (query: string, params: unknown[] = []) => orm.em.getConnection().execute(query, params);

/**
 * Runs writer passes until `done` holds. A pass links only events of transactions older than
 * every one still running anywhere on the server, so another suite's open transaction can hold
 * a pass back for a moment; it never loses an event.
 */
async function linkUntil(done: () => Promise<boolean>, on: MikroORM = orm): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await linkOutboxes(on.em.fork());
    if (await done()) return;
    if (Date.now() > deadline) throw new Error('the ledger writer did not link the events in 10 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}
const chainLength = async (tenantId: string, on: MikroORM = orm) => (await chainOf(tenantId, on)).length;

/** Two fresh tenants whose events are interleaved in the outbox (A, B, A, B, A) and linked. */
async function interleaved(): Promise<{ a: string; b: string }> {
  await linkOutboxes(orm.em.fork()); // what other suites left in the outbox: not ours to count
  const a = `tenant-a-${randomUUID()}`;
  const b = `tenant-b-${randomUUID()}`;
  for (const [tenant, aggregateId] of [
    [a, 'a-1'],
    [b, 'b-1'],
    [a, 'a-2'],
    [b, 'b-2'],
    [a, 'a-3'],
  ] as const) {
    await record(testPrincipal(['ADMIN'], tenant), 1, aggregateId);
  }
  await linkUntil(async () => (await chainLength(a)) === 3 && (await chainLength(b)) === 2);
  return { a, b };
}

describe('the audit ledger', () => {
  it('matches its committed migrations (no pending schema difference)', async () => {
    expect(await pendingSchemaDiff(orm)).toBe('');
  });

  it("links interleaved outbox events into one chain per tenant, each from seq 1 at the tenant's genesis, each once", async () => {
    const { a, b } = await interleaved();
    expect(await linkOutboxes(orm.em.fork())).toBe(0); // nothing is linked twice
    const chainA = await chainOf(a);
    const chainB = await chainOf(b);
    expect(chainA.map((e) => [e.seq, e.aggregateId])).toEqual([
      [1, 'a-1'],
      [2, 'a-2'],
      [3, 'a-3'],
    ]);
    expect(chainB.map((e) => [e.seq, e.aggregateId])).toEqual([
      [1, 'b-1'],
      [2, 'b-2'],
    ]);
    // Each genesis is bound to its tenant, so neither chain can pass for the other.
    expect(genesisHash(a)).not.toBe(genesisHash(b));
    expect(genesisHash(a)).not.toBe(GENESIS_HASH);
    for (const [tenant, chain] of [
      [a, chainA],
      [b, chainB],
    ] as const) {
      expect(chain[0]?.prevHash).toBe(genesisHash(tenant));
      for (const [i, event] of chain.entries()) {
        if (i > 0) expect(event.prevHash).toBe(chain[i - 1]?.hash);
        expect(event.hash).toBe(ledgerHash(event.prevHash, event));
      }
    }
    expect(await auditor(a).verify(1)).toEqual({
      valid: true,
      from: 1,
      to: 3,
      checked: 3,
      firstBrokenSeq: null,
      reason: null,
      headHash: chainA[2]?.hash,
    });
    expect(await auditor(b).verify(1)).toMatchObject({ valid: true, checked: 2, headHash: chainB[1]?.hash });

    // A later pass continues each chain from its stored head.
    await record(testPrincipal(['ADMIN'], b), 1, 'b-3');
    await linkUntil(async () => (await chainLength(b)) === 3);
    const [third] = (await chainOf(b)).slice(2);
    expect(third).toMatchObject({ seq: 3, aggregateId: 'b-3', prevHash: chainB[1]?.hash });
    expect(await auditor(b).verify(1)).toMatchObject({ valid: true, checked: 3, headHash: third?.hash });
  });

  it('lets writers commit side by side, and links an event that commits late in its place', async () => {
    const tenant = `tenant-late-${randomUUID()}`;
    const admin = testPrincipal(['ADMIN'], tenant);
    // The first writer records its event and stays open.
    let flushed!: () => void;
    let release!: () => void;
    const written = new Promise<void>((r) => (flushed = r));
    const held = new Promise<void>((r) => (release = r));
    const first = orm.em.fork().transactional(async (tx) => {
      await recordAudit(tx, 'audit', admin, {
        action: 'test.recorded',
        aggregateType: 'Test',
        aggregateId: 'first',
        payload: {},
      });
      await tx.flush();
      flushed();
      await held;
    });
    try {
      await written;
      // A second writer commits meanwhile: writers do not wait for each other.
      const second = record(admin, 1, 'second');
      await expect(
        Promise.race([
          second.then(() => 'committed'),
          new Promise((r) => setTimeout(() => r('blocked'), 3000)),
        ]),
      ).resolves.toBe('committed');
      // The writer passes over neither: while the first is open, the second waits behind it.
      await linkOutboxes(orm.em.fork());
      expect(await chainLength(tenant)).toBe(0);
    } finally {
      release();
      await first;
    }
    await linkUntil(async () => (await chainLength(tenant)) === 2);
    expect((await chainOf(tenant)).map((e) => [e.seq, e.aggregateId])).toEqual([
      [1, 'first'],
      [2, 'second'],
    ]);
    expect(await auditor(tenant).verify(1)).toMatchObject({ valid: true, checked: 2 });
  });

  it('reads an outbox in transaction order by number, not by its digits (999 before 1000)', async () => {
    const schema = `outbox_order_${randomUUID().slice(0, 8)}`;
    await sql(`create schema "${schema}"`);
    try {
      await sql(`create table "${schema}".outbox_event (like audit.outbox_event including all)`);
      for (const [txId, id] of [
        ['1000', 1],
        ['999', 2],
        ['10000', 3],
      ] as const) {
        await sql(
          `insert into "${schema}".outbox_event (id, tx_id, event_id, tenant_id, actor, action, aggregate_type,
             aggregate_id, payload, occurred_at) values (?, ?::xid8, ?, 't', 'a', 'x', 'X', 'x', '{}', now())`,
          [id, txId, randomUUID()],
        );
      }
      const read = await readOutbox(orm.em.fork(), schema, OUTBOX_START, 10);
      expect(read.map((e) => [e.txId, e.id])).toEqual([
        ['999', '2'],
        ['1000', '1'],
        ['10000', '3'],
      ]);
      const after = await readOutbox(orm.em.fork(), schema, { txId: '999', id: '2' }, 10);
      expect(after.map((e) => e.txId)).toEqual(['1000', '10000']);
    } finally {
      await sql(`drop schema "${schema}" cascade`);
    }
  });

  it("lists only the caller's tenant's events, newest first, filtered", async () => {
    const tenant = `tenant-${Date.now()}`;
    await record(testPrincipal(['ADMIN'], tenant), 2, 'agg-mine');
    await record(testPrincipal(['ADMIN']), 1, 'agg-mine');
    await linkOutboxes(orm.em.fork());
    const page = await auditor(tenant).list({ aggregateId: 'agg-mine' });
    expect(page.total).toBe(2);
    expect(page.items.map((e) => e.seq)).toEqual([2, 1]);
    expect((await auditor(tenant).getMany([page.items[0]?.id ?? ''])).length).toBe(1);
    expect(await auditor().getMany([page.items[0]?.id ?? ''])).toEqual([null]);
  });

  it("verifies a tenant's chain without reading another tenant's rows", async () => {
    const { a, b } = await interleaved();
    // Wreck B's chain every way: an edited event, a deleted one, and a foreign row at A's next
    // position that would break A's chain if A's verification read it.
    await sql(`update audit.audit_event set payload = '{"forged":true}' where tenant_id = ? and seq = 1`, [
      b,
    ]);
    await sql(`delete from audit.audit_event where tenant_id = ? and seq = 2`, [b]);
    await sql(
      `update audit.audit_event set seq = 4, prev_hash = 'x', hash = 'y' where tenant_id = ? and seq = 1`,
      [b],
    );
    expect(await auditor(b).verify(1)).toMatchObject({ valid: false, firstBrokenSeq: 1 });
    expect(await auditor(a).verify(1)).toMatchObject({ valid: true, to: 3, checked: 3 });
    expect(await auditor(a).verify(2, 3)).toMatchObject({ valid: true, checked: 2 });
  });

  it("finds an edited event of a tenant at its position in the tenant's chain, leaving the other tenant valid", async () => {
    const { a, b } = await interleaved();
    await sql(`update audit.audit_event set payload = '{"i":99}' where tenant_id = ? and seq = 2`, [a]);
    const result = await auditor(a).verify(1);
    expect(result).toMatchObject({ valid: false, firstBrokenSeq: 2, checked: 1 });
    expect(result.reason).toMatch(/content was changed/);
    expect(await auditor(b).verify(1)).toMatchObject({ valid: true, checked: 2 });
  });

  it("finds a deleted event and a first event that does not link to the tenant's genesis", async () => {
    const { a, b } = await interleaved();
    await sql(`delete from audit.audit_event where tenant_id = ? and seq = 2`, [a]);
    expect(await auditor(a).verify(1)).toMatchObject({ valid: false, firstBrokenSeq: 2, checked: 1 });
    // B's chain rebuilt from the old all-zero genesis: every hash is self-consistent, yet the
    // first link is not B's.
    const chainB = await chainOf(b);
    let prevHash = GENESIS_HASH;
    for (const event of chainB) {
      const hash = ledgerHash(prevHash, event);
      await sql(`update audit.audit_event set prev_hash = ?, hash = ? where id = ?`, [
        prevHash,
        hash,
        event.id,
      ]);
      prevHash = hash;
    }
    const result = await auditor(b).verify(1);
    expect(result).toMatchObject({ valid: false, firstBrokenSeq: 1, checked: 0 });
    expect(result.reason).toMatch(/genesis/);
  });

  it('refuses a backwards range', async () => {
    await expect(auditor().verify(5, 2)).rejects.toBeInstanceOf(ValidationError);
    await expect(auditor().verify(0)).rejects.toBeInstanceOf(ValidationError);
  });

  it('keeps a request to a bounded range and verifies a longer one as a job, with progress', async () => {
    const { a } = await interleaved();
    await expect(auditor(a).verify(1, 100_001, { maxEvents: 50_000 })).rejects.toThrow(
      /requestAuditChainVerification/,
    );
    const verify = ledgerJobs(orm, {} as Config, createLogger('t', 'silent')).handlers[VERIFY_CHAIN_TASK]!;
    const ctx = {
      attempt: 1,
      maxAttempts: 3,
      jobKey: null,
      logger: createLogger('t', 'silent'),
      signal: new AbortController().signal,
    };

    const good = await auditor(a).requestVerification(1);
    expect(good).toMatchObject({ status: 'QUEUED', valid: null, progress: 0 });
    await verify({ runId: good.id }, ctx);
    expect(await auditor(a).verification(good.id)).toMatchObject({
      status: 'DONE',
      valid: true,
      checked: 3,
      toSeq: 3,
      progress: 1,
    });

    await sql(`update audit.audit_event set payload = '{"i":42}' where tenant_id = ? and seq = 2`, [a]);
    const bad = await auditor(a).requestVerification(1);
    await verify({ runId: bad.id }, ctx);
    expect(await auditor(a).verification(bad.id)).toMatchObject({
      status: 'DONE',
      valid: false,
      firstBrokenSeq: 2,
    });
    // Another tenant neither sees the runs nor can read one by id.
    expect(await auditor().verification(bad.id)).toBeNull();
    expect((await auditor(a).verifications()).total).toBe(2);
  });
});

describe('the per-tenant chains migration', () => {
  // Its own database: migrating the shared test database down and up would disturb the other
  // suites' rows and later migrations.
  let scratch: MikroORM;
  const url = new URL(inject('databaseUrl'));
  url.pathname = `${url.pathname}_relink`;
  const migrations = [
    Migration20261121065246Init,
    Migration20261203091433TenantChains,
    Migration20261204081139OutboxTxOrder,
  ];

  beforeAll(async () => {
    await createDatabaseIfMissing(url.toString());
    scratch = await createOrm({
      databaseUrl: url.toString(),
      schema: auditSubgraph.dbSchema,
      // The ledger's tables only: the migrations under test create nothing else.
      entities: [AuditEvent, OutboxCursor, OutboxEvent],
      migrations,
      logger: createLogger('audit-relink-test', 'silent'),
      poolMax: 2,
    });
    await scratch.em.getConnection().execute('create schema if not exists "audit"');
    await scratch.migrator.up({ to: Migration20261121065246Init.name });
  });
  afterAll(async () => {
    await scratch?.close();
    await dropDatabase(url.toString());
  });

  const rows = (query: string) => scratch.em.getConnection().execute<Record<string, unknown>[]>(query);

  it('re-links events written in the global-chain shape into per-tenant chains that verify, and back', async () => {
    // The old shape: one chain over every tenant, a global seq, the all-zero genesis.
    const order = ['acme', 'borealis', 'acme', 'acme', 'borealis', 'cygnus', 'acme'];
    let prevHash = GENESIS_HASH;
    for (const [i, tenantId] of order.entries()) {
      const fields = {
        seq: i + 1,
        tenantId,
        source: 'deals',
        sourceEventId: randomUUID(),
        actor: `user:someone@${tenantId}.test`,
        action: 'deal.updated',
        aggregateType: 'Deal',
        aggregateId: `deal-${i}`,
        payload: JSON.stringify({ i, note: 'quotes " and \\ and ünïcode' }),
        requestId: i % 2 ? null : `req-${i}`,
        occurredAt: new Date(Date.UTC(2026, 10, 1, 12, 0, i, 123)),
      };
      const hash = ledgerHash(prevHash, fields);
      await scratch.em.getConnection().execute(
        `insert into audit.audit_event (id, seq, tenant_id, source, source_event_id, actor, action, aggregate_type,
           aggregate_id, payload, request_id, occurred_at, recorded_at, prev_hash, hash)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          randomUUID(),
          fields.seq,
          fields.tenantId,
          fields.source,
          fields.sourceEventId,
          fields.actor,
          fields.action,
          fields.aggregateType,
          fields.aggregateId,
          fields.payload,
          fields.requestId,
          fields.occurredAt.toISOString(),
          new Date(Date.UTC(2026, 10, 1, 12, 0, i, 500)).toISOString(),
          prevHash,
          hash,
        ],
      );
      prevHash = hash;
    }
    const expectPerTenant = async () => {
      for (const tenant of ['acme', 'borealis', 'cygnus']) {
        const chain = await chainOf(tenant, scratch);
        const mine = order.flatMap((t, i) => (t === tenant ? [`deal-${i}`] : []));
        expect(chain.map((e) => e.aggregateId)).toEqual(mine); // relative order kept
        expect(chain.map((e) => e.seq)).toEqual(mine.map((_, i) => i + 1));
        expect(chain[0]?.prevHash).toBe(genesisHash(tenant));
        expect(await auditor(tenant, scratch).verify(1)).toMatchObject({ valid: true, checked: mine.length });
      }
    };

    await scratch.migrator.up();
    await expectPerTenant();
    expect(await pendingSchemaDiff(scratch)).toBe('');

    // Down: one global chain again, every tenant's events in order, from the all-zero genesis.
    await scratch.migrator.down({ to: Migration20261121065246Init.name });
    const global = await rows('select * from audit.audit_event order by seq');
    expect(global.map((r) => r.seq)).toEqual(order.map((_, i) => i + 1));
    expect(global.map((r) => r.aggregate_id)).toEqual(order.map((_, i) => `deal-${i}`));
    let prev = GENESIS_HASH;
    for (const r of global) {
      expect(r.prev_hash).toBe(prev);
      const event = await scratch.em.fork().findOneOrFail(AuditEvent, { id: String(r.id) });
      expect(r.hash).toBe(ledgerHash(prev, event));
      prev = String(r.hash);
    }

    // An outbox and cursor as a writer from before transaction ids left them: event 1 linked
    // (into the chain of a tenant of its own here), event 2 not yet.
    const legacyIds: unknown[] = [];
    for (const n of [1, 2]) {
      const [row] = await rows(
        `insert into audit.outbox_event (event_id, tenant_id, actor, action, aggregate_type, aggregate_id, payload, occurred_at)
         values ('${randomUUID()}', 'legacy', 'user:x', 'test.recorded', 'Test', 'legacy-${n}', '{}', now()) returning id`,
      );
      legacyIds.push(row?.id);
    }
    await rows(`insert into audit.outbox_cursor (source, last_id) values ('audit', ${String(legacyIds[0])})`);

    // And up again, after which the writer continues each tenant's chain, and the legacy cursor
    // from where it stood: event 2 is linked, event 1 is not linked again.
    await scratch.migrator.up();
    await expectPerTenant();
    await record(testPrincipal(['ADMIN'], 'borealis'), 1, 'deal-new', scratch);
    await linkUntil(async () => (await chainLength('borealis', scratch)) === 3, scratch);
    expect(await auditor('borealis', scratch).verify(1)).toMatchObject({ valid: true, checked: 3 });
    expect((await chainOf('legacy', scratch)).map((e) => e.aggregateId)).toEqual(['legacy-2']);
    const [cursor] = await rows(`select last_tx_id, last_id from audit.outbox_cursor where source = 'audit'`);
    expect(cursor?.last_tx_id).toMatch(/^\d+$/);
  });

  it('refuses to re-link (and changes nothing) when the chain it migrates is already broken', async () => {
    await scratch.migrator.down({ to: Migration20261121065246Init.name });
    const before = await rows('select id, seq, prev_hash, hash from audit.audit_event order by seq');
    await rows(`update audit.audit_event set actor = 'user:mallory' where seq = 3`);
    await expect(scratch.migrator.up()).rejects.toThrow(/seq 3\) does not verify/);
    expect(await rows('select id, seq, prev_hash, hash from audit.audit_event order by seq')).toEqual(before);
    expect(await scratch.migrator.getPending()).toHaveLength(2);
  });
});
