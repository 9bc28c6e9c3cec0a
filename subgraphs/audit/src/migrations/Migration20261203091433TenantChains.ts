import { createHash } from 'node:crypto';
import { Migration } from '@mikro-orm/migrations';
import { canonicalJson } from '@tranche/platform';

/**
 * One audit chain per tenant (governance item 7). `up` replaces the global unique `seq` with a
 * unique (tenant, seq) and re-links the existing events into one chain per tenant: each
 * tenant's events keep their relative order, are numbered from 1 and re-hashed from the
 * tenant's genesis. `down` re-links them into the single global chain (all-zero genesis),
 * interleaving the tenants in the order their events were recorded.
 *
 * Re-linking recomputes every hash from the rows' content, which would silently launder an
 * event tampered with before the migration; so each direction first checks every row against
 * the chain it comes from and refuses (rolling back) at the first broken link.
 */
export class Migration20261203091433TenantChains extends Migration {
  override async up(): Promise<void> {
    await this.execute('alter table "audit"."audit_event" drop constraint "audit_event_seq_unique"');
    // The unique constraint below indexes (tenant_id, seq) too.
    await this.execute('drop index "audit"."audit_event_tenant_id_seq_index"');
    // Walked in the old global order; each tenant's events are in their order within it.
    await this.relink(
      'select row_number() over (order by seq), id from "audit"."audit_event"',
      GLOBAL,
      PER_TENANT,
    );
    await this.execute(
      'alter table "audit"."audit_event" add constraint "audit_event_tenant_id_seq_unique" unique ("tenant_id", "seq")',
    );
  }

  override async down(): Promise<void> {
    await this.execute(
      'alter table "audit"."audit_event" drop constraint "audit_event_tenant_id_seq_unique"',
    );
    // Tenants interleaved by recording time; the running maximum keeps a tenant's events in seq
    // order even if a writer's clock went backwards.
    await this.relink(
      `select row_number() over (order by linked_at, tenant_id, seq), id from (select id, tenant_id, seq,
         max(recorded_at) over (partition by tenant_id order by seq) as linked_at from "audit"."audit_event") e`,
      PER_TENANT,
      GLOBAL,
    );
    await this.execute(
      'alter table "audit"."audit_event" add constraint "audit_event_seq_unique" unique ("seq")',
    );
    await this.execute(
      'create index "audit_event_tenant_id_seq_index" on "audit"."audit_event" ("tenant_id", "seq")',
    );
  }

  /**
   * Walks every event in the order the `walk` query numbers them (it selects a position and an
   * id), checks each against the chain layout `from` and rewrites its seq, prevHash and hash
   * for the layout `to`. The walk order is snapshotted in a temporary table first, because the
   * walk itself rewrites the seq it may be ordered by.
   */
  private async relink(walk: string, from: ChainLayout, to: ChainLayout): Promise<void> {
    await this.execute('drop table if exists pg_temp.audit_relink');
    await this.execute(
      'create temporary table audit_relink (pos bigint primary key, id uuid not null) on commit drop',
    );
    await this.execute(`insert into pg_temp.audit_relink (pos, id) ${walk}`);
    const oldHeads = new Map<string, Head>();
    const newHeads = new Map<string, Head>();
    let pos = 0;
    for (;;) {
      const rows = (await this.execute(
        `select r.pos, e.id, e.seq, e.tenant_id, e.source, e.source_event_id, e.actor, e.action,
           e.aggregate_type, e.aggregate_id, e.payload, e.request_id, e.prev_hash, e.hash,
           to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at
         from pg_temp.audit_relink r join "audit"."audit_event" e on e.id = r.id
         where r.pos > ${pos} order by r.pos limit ${RELINK_CHUNK}`,
      )) as unknown as LegacyRow[];
      if (!rows.length) break;
      const updates = rows.map((row) => {
        const oldKey = from.chainOf(row.tenant_id);
        const old = oldHeads.get(oldKey) ?? { seq: 0, hash: from.genesis(row.tenant_id) };
        if (
          row.seq !== old.seq + 1 ||
          row.prev_hash !== old.hash ||
          linkHash(row.prev_hash, row, row.seq) !== row.hash
        ) {
          throw new Error(
            `audit ledger: event ${row.id} (seq ${row.seq}) does not verify in the chain being migrated; ` +
              'investigate before migrating (re-linking would hide the break)',
          );
        }
        oldHeads.set(oldKey, { seq: row.seq, hash: row.hash });
        const newKey = to.chainOf(row.tenant_id);
        const head = newHeads.get(newKey) ?? { seq: 0, hash: to.genesis(row.tenant_id) };
        const seq = head.seq + 1;
        const hash = linkHash(head.hash, row, seq);
        newHeads.set(newKey, { seq, hash });
        return { id: row.id, seq, prev_hash: head.hash, hash };
      });
      await this.execute(
        `update "audit"."audit_event" e set seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
         from jsonb_to_recordset(?::jsonb) as v(id uuid, seq int, prev_hash text, hash text) where e.id = v.id`,
        [JSON.stringify(updates)],
      );
      pos = Number(rows[rows.length - 1]?.pos);
    }
  }
}

const RELINK_CHUNK = 1000;

/** An audit_event row as the walk reads it (occurred_at already in `toISOString` form). */
interface LegacyRow {
  pos: string;
  id: string;
  seq: number;
  tenant_id: string;
  source: string;
  source_event_id: string;
  actor: string;
  action: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: string;
  request_id: string | null;
  prev_hash: string;
  hash: string;
  occurred_at: string;
}

interface Head {
  seq: number;
  hash: string;
}

/** Which chain an event belongs to, and that chain's genesis, in one layout of the ledger. */
interface ChainLayout {
  chainOf(tenantId: string): string;
  genesis(tenantId: string): string;
}

const ZERO = '0'.repeat(64);

/** The ledger before this migration: one chain of every tenant's events from the zero hash. */
const GLOBAL: ChainLayout = { chainOf: () => '', genesis: () => ZERO };

/** The ledger after it: one chain per tenant, from the tenant's genesis. */
const PER_TENANT: ChainLayout = {
  chainOf: (tenantId) => tenantId,
  genesis: (tenantId) =>
    createHash('sha256')
      .update(ZERO)
      .update(canonicalJson({ genesis: 'tranche.audit-ledger', tenantId }))
      .digest('hex'),
};

/**
 * The ledger hash as of this migration (ledger-hash.ts then), copied rather than imported: a
 * migration is a fixed point in history, and a later change to the live hash must not change
 * what this one writes or accepts.
 */
function linkHash(prevHash: string, row: LegacyRow, seq: number): string {
  const body = canonicalJson({
    seq,
    tenantId: row.tenant_id,
    source: row.source,
    sourceEventId: row.source_event_id,
    actor: row.actor,
    action: row.action,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    payload: row.payload,
    requestId: row.request_id,
    occurredAt: row.occurred_at,
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}
