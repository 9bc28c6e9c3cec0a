/**
 * The audit hash chain against tampering made directly in PostgreSQL (what a rogue DBA could
 * do): an edited, a deleted and an inserted event are each detected, and the verification
 * names the first broken position.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '@tranche/devstack';
import { ledgerHash } from '../../subgraphs/audit/dist/index.js';
import { eventually, graphql, startPlatform, type TestPlatform } from '../support/platform.js';

interface Verification {
  valid: boolean;
  checked: number;
  firstBrokenSeq: number | null;
  reason: string | null;
}

let platform: TestPlatform;
let db: pg.Client;
let auditor = '';
let total = 0;

const verify = async (from = 1, to?: number): Promise<Verification> => {
  const res = await graphql<{ verifyAuditChain: Verification }>(
    platform.gatewayUrl,
    'query($from: Int!, $to: Int) { verifyAuditChain(from: $from, to: $to) { valid checked firstBrokenSeq reason } }',
    { from, to },
    auditor,
  );
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.verifyAuditChain;
};

beforeAll(async () => {
  platform = await startPlatform({ admin: false });
  await seedDemo(platform.gatewayUrl, platform.issuerUrl);
  db = new pg.Client({ connectionString: platform.databaseUrl });
  await db.connect();
  auditor = await platform.token('auditor@acme.test');
  // Wait until the writer has linked every outbox event of every subgraph.
  const pending = async () => {
    const { rows } = await db.query(`select
      (select count(*) from deals.outbox_event) + (select count(*) from investors.outbox_event)
      + (select count(*) from distributions.outbox_event) as outbox,
      (select count(*) from audit.audit_event) as linked`);
    return rows[0].outbox === rows[0].linked ? Number(rows[0].linked) : undefined;
  };
  total = await eventually(pending, 20_000);
}, 240_000);

afterAll(async () => {
  await db?.end();
  await platform?.stop();
}, 60_000);

describe('audit hash chain', () => {
  it('links every seeded change and verifies end to end', async () => {
    expect(total).toBeGreaterThanOrEqual(12);
    const result = await verify();
    expect(result).toEqual({ valid: true, checked: total, firstBrokenSeq: null, reason: null });
    const { rows } = await db.query('select seq from audit.audit_event order by seq');
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });

  it('verifies a sub-range', async () => {
    expect(await verify(3, 5)).toMatchObject({ valid: true, checked: 3 });
  });

  it('detects an edited event and names its position', async () => {
    const { rows } = await db.query('select payload from audit.audit_event where seq = 4');
    await db.query(`update audit.audit_event set payload = '{"name":"forged"}' where seq = 4`);
    try {
      const result = await verify();
      expect(result.valid).toBe(false);
      expect(result.firstBrokenSeq).toBe(4);
      expect(result.reason).toMatch(/content was changed/);
      expect(result.checked).toBe(3);
    } finally {
      await db.query('update audit.audit_event set payload = $1 where seq = 4', [rows[0].payload]);
    }
    expect((await verify()).valid).toBe(true);
  });

  it('detects a deleted event and names the missing position', async () => {
    const { rows } = await db.query('select * from audit.audit_event where seq = 5');
    await db.query('delete from audit.audit_event where seq = 5');
    try {
      const result = await verify();
      expect(result).toMatchObject({ valid: false, firstBrokenSeq: 5 });
      expect(result.reason).toMatch(/missing/);
    } finally {
      const r = rows[0];
      const cols = Object.keys(r);
      await db.query(
        `insert into audit.audit_event (${cols.join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
        cols.map((c) => r[c]),
      );
    }
    expect((await verify()).valid).toBe(true);
  });

  it('detects an inserted event (even one with a self-consistent hash) at the next link', async () => {
    const { rows } = await db.query('select * from audit.audit_event where seq in (5, 6) order by seq');
    const [fifth, sixth] = rows;
    // Make room at position 6, then insert a forged event that links correctly to event 5.
    await db.query('update audit.audit_event set seq = -seq where seq >= 6');
    await db.query('update audit.audit_event set seq = -seq + 1 where seq < 0');
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
      await db.query('delete from audit.audit_event where seq = 6');
      await db.query('update audit.audit_event set seq = -seq where seq >= 7');
      await db.query('update audit.audit_event set seq = -seq - 1 where seq < 0');
    }
    expect((await verify()).valid).toBe(true);
  });

  it('rejects an empty or inverted range with BAD_USER_INPUT', async () => {
    const res = await graphql(
      platform.gatewayUrl,
      '{ verifyAuditChain(from: 5, to: 2) { valid } }',
      {},
      auditor,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
