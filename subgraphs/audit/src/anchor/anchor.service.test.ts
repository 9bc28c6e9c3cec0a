import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { buildLedgerTree, verifyLedgerProof } from '@tranche/chain';
import { openSubgraphOrm } from '@tranche/devstack/testing';
import { recordAudit, type Principal } from '@tranche/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSubgraph } from '../index.js';
import { AuditEvent } from '../ledger/audit-event.entity.js';
import { linkOutboxes } from '../ledger/ledger-writer.js';
import { AnchorService, planAnchors } from './anchor.service.js';

let orm: MikroORM;
beforeAll(async () => {
  orm = await openSubgraphOrm(auditSubgraph);
});
afterAll(async () => {
  await orm?.close();
});

const TARGET = { chainId: 31337, contractAddress: '0x5FbDB2315678afecb367f032d93F642f64180aa3' };

const auditorOf = (tenantId: string): Principal => ({
  subject: 'auditor',
  email: 'auditor@x.test',
  tenantId,
  roles: new Set(['AUDITOR']),
});

/** `count` events about `aggregateId` in the tenant's ledger. */
async function events(tenantId: string, count: number, aggregateId = randomUUID()): Promise<string> {
  await orm.em.fork().transactional(async (tx) => {
    for (let i = 0; i < count; i += 1) {
      await recordAudit(tx, 'audit', auditorOf(tenantId), {
        action: 'test.recorded',
        aggregateType: 'Deal',
        aggregateId,
        payload: { i },
      });
    }
  });
  await linkOutboxes(orm.em.fork());
  return aggregateId;
}

describe('anchoring the audit ledger', () => {
  it('plans a range per tenant once enough events wait, with the Merkle root of their hashes, and a job to send it', async () => {
    const tenant = `tenant-${randomUUID()}`;
    await events(tenant, 3);
    expect(
      await planAnchors(orm.em.fork(), {
        everyEvents: 5,
        everyMinutes: 60,
        target: TARGET,
        tenantId: tenant,
      }),
    ).toEqual([]);
    await events(tenant, 2);
    const [anchor] = await planAnchors(orm.em.fork(), {
      everyEvents: 5,
      everyMinutes: 60,
      target: TARGET,
      tenantId: tenant,
    });
    expect(anchor).toMatchObject({ firstSeq: 1, lastSeq: 5, status: 'PENDING' });
    const rows = await orm.em.fork().find(AuditEvent, { tenantId: tenant }, { orderBy: { seq: 'asc' } });
    expect(anchor?.merkleRoot).toBe(
      buildLedgerTree(rows.map((r) => ({ seq: r.seq, hash: `0x${r.hash}` }))).root,
    );
    const [job] = await orm.em
      .getConnection()
      .execute<{ task_identifier: string; key: string }[]>(
        `select task_identifier, key from graphile_worker.jobs where key = ?`,
        [`audit:anchor:${anchor?.id}`],
      );
    expect(job?.task_identifier).toBe('audit:anchor');
    await events(tenant, 1);
    const [next] = await planAnchors(orm.em.fork(), {
      everyEvents: 5,
      everyMinutes: 60,
      target: TARGET,
      force: true,
      tenantId: tenant,
    });
    expect(next).toMatchObject({ firstSeq: 6, lastSeq: 6 }); // contiguous after the first
    // A new AuditAnchor deployment (e.g. a restarted local chain) starts again from the first event.
    const fresh = { chainId: 31337, contractAddress: '0x0000000000000000000000000000000000000abc' };
    const [again] = await planAnchors(orm.em.fork(), {
      everyEvents: 5,
      everyMinutes: 60,
      target: fresh,
      tenantId: tenant,
    });
    expect(again).toMatchObject({ firstSeq: 1, lastSeq: 6, contractAddress: fresh.contractAddress });
  });

  it("proves an event against its anchor; an edited event's proof does not verify; another tenant sees nothing", async () => {
    const tenant = `tenant-${randomUUID()}`;
    const dealId = await events(tenant, 4);
    const [anchor] = await planAnchors(orm.em.fork(), {
      everyEvents: 1,
      everyMinutes: 60,
      target: TARGET,
      tenantId: tenant,
    });
    const third = await orm.em.fork().findOneOrFail(AuditEvent, { tenantId: tenant, seq: 3 });
    const found = await new AnchorService(orm.em.fork(), auditorOf(tenant)).proofOf(third.id);
    expect(found?.anchor.id).toBe(anchor?.id);
    expect(
      verifyLedgerProof(anchor?.merkleRoot ?? '', { seq: 3, hash: `0x${third.hash}` }, found?.proof ?? []),
    ).toBe(true);
    expect(
      verifyLedgerProof(
        anchor?.merkleRoot ?? '',
        { seq: 3, hash: `0x${'ab'.repeat(32)}` },
        found?.proof ?? [],
      ),
    ).toBe(false);
    expect(
      await new AnchorService(orm.em.fork(), auditorOf(`tenant-${randomUUID()}`)).proofOf(third.id),
    ).toBeNull();
    const [ofDeal] = await new AnchorService(orm.em.fork(), auditorOf(tenant)).ofDeals([dealId]);
    expect(ofDeal?.map((a) => a.id)).toEqual([anchor?.id]);
  });
});
