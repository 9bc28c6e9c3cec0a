/**
 * The audit hash chains against tampering made directly in PostgreSQL (what a rogue DBA could
 * do): each tenant has its own chain, verified by that tenant's auditor alone; an edited, a
 * deleted and an inserted event are each detected at their position in the tenant's chain, and
 * tampering with another tenant's chain does not touch the caller's verification.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '@tranche/devstack';
import { ledgerHash } from '../../subgraphs/audit/dist/index.js';
import { genesisHash } from '../../subgraphs/audit/dist/ledger/ledger-hash.js';
import { eventually, graphql, startPlatform, type TestPlatform } from '../support/platform.js';

interface Verification {
  valid: boolean;
  checked: number;
  firstBrokenSeq: number | null;
  reason: string | null;
}

let platform: TestPlatform;
let db: pg.Client;
const auditors: Record<string, string> = {};
/** How many events each tenant's chain holds once the seed is linked. */
const counts: Record<string, number> = {};

const verify = async (from = 1, to?: number, tenant = 'acme'): Promise<Verification> => {
  const res = await graphql<{ verifyAuditChain: Verification }>(
    platform.gatewayUrl,
    'query($from: Int!, $to: Int) { verifyAuditChain(from: $from, to: $to) { valid checked firstBrokenSeq reason } }',
    { from, to },
    auditors[tenant],
  );
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.verifyAuditChain;
};

/** Acme's row at `seq` (every tampering below is scoped to one tenant's chain). */
const acmeRow = async (seq: number) =>
  (await db.query(`select * from audit.audit_event where tenant_id = 'acme' and seq = $1`, [seq])).rows[0];

beforeAll(async () => {
  platform = await startPlatform({ admin: false });
  await seedDemo(platform.gatewayUrl, platform.issuerUrl);
  db = new pg.Client({ connectionString: platform.databaseUrl });
  await db.connect();
  auditors.acme = await platform.token('auditor@acme.test');
  auditors.borealis = await platform.token('auditor@borealis.test');
  // Wait until the writer has linked every outbox event of every subgraph.
  const pending = async () => {
    const { rows } = await db.query(`select
      (select count(*) from deals.outbox_event) + (select count(*) from investors.outbox_event)
      + (select count(*) from distributions.outbox_event) + (select count(*) from audit.outbox_event) as outbox,
      (select count(*) from audit.audit_event) as linked`);
    return rows[0].outbox === rows[0].linked ? Number(rows[0].linked) : undefined;
  };
  await eventually(pending, 20_000);
  const { rows } = await db.query(
    'select tenant_id, count(*)::int as n from audit.audit_event group by tenant_id',
  );
  for (const r of rows) counts[r.tenant_id] = r.n;
}, 240_000);

afterAll(async () => {
  await db?.end();
  await platform?.stop();
}, 60_000);

describe('audit hash chains', () => {
  it("links every seeded change into its tenant's chain and verifies each tenant's alone", async () => {
    expect(Object.keys(counts).sort()).toEqual(['acme', 'borealis']);
    expect(counts.acme).toBeGreaterThanOrEqual(7); // the tampering below uses positions 4 to 7
    expect(counts.borealis).toBeGreaterThanOrEqual(1);
    for (const tenant of ['acme', 'borealis']) {
      const { rows } = await db.query(
        'select seq, prev_hash from audit.audit_event where tenant_id = $1 order by seq',
        [tenant],
      );
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: counts[tenant] ?? 0 }, (_, i) => i + 1));
      expect(rows[0].prev_hash).toBe(genesisHash(tenant));
      expect(await verify(1, undefined, tenant)).toEqual({
        valid: true,
        checked: counts[tenant],
        firstBrokenSeq: null,
        reason: null,
      });
    }
    const head = await graphql<{ verifyAuditChain: { headHash: string } }>(
      platform.gatewayUrl,
      '{ verifyAuditChain { headHash } }',
      {},
      auditors.acme,
    );
    expect(head.data?.verifyAuditChain.headHash).toBe((await acmeRow(counts.acme ?? 0)).hash);
  });

  it('verifies a sub-range', async () => {
    expect(await verify(3, 5)).toMatchObject({ valid: true, checked: 3 });
  });

  it("detects an edited event and names its position in the tenant's chain, leaving the other tenant valid", async () => {
    const { payload } = await acmeRow(4);
    await db.query(
      `update audit.audit_event set payload = '{"name":"forged"}' where tenant_id = 'acme' and seq = 4`,
    );
    try {
      const result = await verify();
      expect(result.valid).toBe(false);
      expect(result.firstBrokenSeq).toBe(4);
      expect(result.reason).toMatch(/content was changed/);
      expect(result.checked).toBe(3);
      expect(await verify(1, undefined, 'borealis')).toMatchObject({ valid: true, checked: counts.borealis });
    } finally {
      await db.query(`update audit.audit_event set payload = $1 where tenant_id = 'acme' and seq = 4`, [
        payload,
      ]);
    }
    expect((await verify()).valid).toBe(true);
  });

  it("is not affected by tampering with another tenant's chain", async () => {
    const { rows } = await db.query(
      `select * from audit.audit_event where tenant_id = 'borealis' and seq = 1`,
    );
    await db.query(
      `update audit.audit_event set actor = 'user:mallory' where tenant_id = 'borealis' and seq = 1`,
    );
    try {
      expect(await verify(1, undefined, 'borealis')).toMatchObject({ valid: false, firstBrokenSeq: 1 });
      expect(await verify()).toMatchObject({ valid: true, checked: counts.acme });
    } finally {
      await db.query(`update audit.audit_event set actor = $1 where id = $2`, [rows[0].actor, rows[0].id]);
    }
    expect((await verify(1, undefined, 'borealis')).valid).toBe(true);
  });

  it('detects a deleted event and names the missing position', async () => {
    const row = await acmeRow(5);
    await db.query('delete from audit.audit_event where id = $1', [row.id]);
    try {
      const result = await verify();
      expect(result).toMatchObject({ valid: false, firstBrokenSeq: 5 });
      expect(result.reason).toMatch(/missing/);
    } finally {
      const cols = Object.keys(row);
      await db.query(
        `insert into audit.audit_event (${cols.join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
        cols.map((c) => row[c]),
      );
    }
    expect((await verify()).valid).toBe(true);
  });

  it('detects an inserted event (even one with a self-consistent hash) at the next link', async () => {
    const fifth = await acmeRow(5);
    const sixth = await acmeRow(6);
    // Make room at Acme's position 6, then insert a forged event that links correctly to event 5.
    await db.query(`update audit.audit_event set seq = -seq where tenant_id = 'acme' and seq >= 6`);
    await db.query(`update audit.audit_event set seq = -seq + 1 where tenant_id = 'acme' and seq < 0`);
    const forged = {
      seq: 6,
      tenantId: 'acme',
      source: 'deals',
      sourceEventId: '00000000-0000-4000-8000-000000000000',
      actor: 'user:mallory@acme.test',
      action: 'deal.created',
      aggregateType: 'Deal',
      aggregateId: sixth.aggregate_id,
      payload: '{"name":"Ghost Deal"}',
      requestId: null,
      occurredAt: new Date(sixth.occurred_at),
    };
    await db.query(
      `insert into audit.audit_event (id, seq, tenant_id, source, source_event_id, actor, action, aggregate_type,
         aggregate_id, payload, request_id, occurred_at, recorded_at, prev_hash, hash)
       values (gen_random_uuid(), 6, $1, $2, $3, $4, $5, $6, $7, $8, null, $9, now(), $10, $11)`,
      [
        forged.tenantId,
        forged.source,
        forged.sourceEventId,
        forged.actor,
        forged.action,
        forged.aggregateType,
        forged.aggregateId,
        forged.payload,
        forged.occurredAt,
        fifth.hash,
        ledgerHash(fifth.hash, forged),
      ],
    );
    try {
      const result = await verify();
      expect(result).toMatchObject({ valid: false, firstBrokenSeq: 7 });
      expect(result.reason).toMatch(/does not link/);
    } finally {
      await db.query(`delete from audit.audit_event where tenant_id = 'acme' and seq = 6`);
      await db.query(`update audit.audit_event set seq = -seq where tenant_id = 'acme' and seq >= 7`);
      await db.query(`update audit.audit_event set seq = -seq - 1 where tenant_id = 'acme' and seq < 0`);
    }
    expect((await verify()).valid).toBe(true);
  });

  it('rejects an empty or inverted range with BAD_USER_INPUT', async () => {
    const res = await graphql(
      platform.gatewayUrl,
      '{ verifyAuditChain(from: 5, to: 2) { valid } }',
      {},
      auditors.acme,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
