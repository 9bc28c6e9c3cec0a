import type { MikroORM } from '@mikro-orm/postgresql';
import { openSubgraphOrm, testPrincipal } from '@tranche/devstack/testing';
import { pendingSchemaDiff, recordAudit, ValidationError, type Principal } from '@tranche/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSubgraph } from '../index.js';
import { AuditEvent } from './audit-event.entity.js';
import { GENESIS_HASH, ledgerHash } from './ledger-hash.js';
import { linkOutboxes } from './ledger-writer.js';
import { LedgerService } from './ledger.service.js';

let orm: MikroORM;
beforeAll(async () => {
  orm = await openSubgraphOrm(auditSubgraph);
});
afterAll(async () => {
  await orm?.close();
});

const auditor = (tenantId?: string) => new LedgerService(orm.em.fork(), testPrincipal(['AUDITOR'], tenantId));

/** Writes `count` events to the audit schema's own outbox, as a subgraph's write would. */
async function record(principal: Principal, count: number, aggregateId = 'agg-1'): Promise<void> {
  await orm.em.fork().transactional(async (tx) => {
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

describe('the audit ledger', () => {
  it('matches its committed migrations (no pending schema difference)', async () => {
    expect(await pendingSchemaDiff(orm)).toBe('');
  });

  it('links outbox events in order into a hash chain from the genesis hash, each once', async () => {
    const writer = testPrincipal(['ADMIN']);
    await record(writer, 3);
    expect(await linkOutboxes(orm.em.fork())).toBe(3);
    expect(await linkOutboxes(orm.em.fork())).toBe(0); // nothing is linked twice
    const events = await orm.em.fork().find(AuditEvent, {}, { orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events[0]?.prevHash).toBe(GENESIS_HASH);
    for (const [i, event] of events.entries()) {
      if (i > 0) expect(event.prevHash).toBe(events[i - 1]?.hash);
      expect(event.hash).toBe(ledgerHash(event.prevHash, event));
    }
    expect((await auditor().verify(1)).valid).toBe(true);
  });

  it("lists only the caller's tenant's events, newest first, filtered", async () => {
    const tenant = `tenant-${Date.now()}`;
    await record(testPrincipal(['ADMIN'], tenant), 2, 'agg-mine');
    await record(testPrincipal(['ADMIN']), 1, 'agg-mine');
    await linkOutboxes(orm.em.fork());
    const page = await auditor(tenant).list({ aggregateId: 'agg-mine' });
    expect(page.total).toBe(2);
    expect(page.items[0]?.seq).toBeGreaterThan(page.items[1]?.seq ?? Infinity);
    expect((await auditor(tenant).getMany([page.items[0]?.id ?? ''])).length).toBe(1);
    expect(await auditor().getMany([page.items[0]?.id ?? ''])).toEqual([null]);
  });

  it('finds the first edited event and refuses a backwards range', async () => {
    await record(testPrincipal(['ADMIN']), 2);
    await linkOutboxes(orm.em.fork());
    const head = await orm.em.fork().findOne(AuditEvent, { seq: { $gt: 0 } }, { orderBy: { seq: 'desc' } });
    const seq = head?.seq ?? 0;
    await orm.em
      .getConnection()
      .execute(`update audit.audit_event set payload = '{"i":99}' where seq = ?`, [seq - 1]);
    const result = await auditor().verify(1);
    expect(result).toMatchObject({ valid: false, firstBrokenSeq: seq - 1 });
    expect(result.reason).toMatch(/content was changed/);
    await expect(auditor().verify(5, 2)).rejects.toBeInstanceOf(ValidationError);
  });
});
