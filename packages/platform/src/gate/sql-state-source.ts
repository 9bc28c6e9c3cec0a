import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { BACKGROUND_QUERY } from '../orm.js';
import type { GateStateSource, KillSwitchScope } from './gate.js';
import { parsePolicy, type GovernancePolicy } from './policy.js';

interface KillSwitchRow {
  id: string;
  tenant_id: string;
  scope: KillSwitchScope;
  target: string | null;
  reason: string;
}
interface BreakGlassRow {
  id: string;
  tenant_id: string;
  grantee: string;
  capability: string;
  expires_at: Date | string;
}
interface PolicyRow {
  tenant_id: string;
  version: number;
  document: string;
}
interface ChangeRequestRow {
  id: string;
  tenant_id: string;
  type: string;
  deal_id: string | null;
  payload_hash: string;
  status: string;
  expires_at: Date | string | null;
}

/** How long one read of the gate's state may take before it counts as unreadable. */
const SNAPSHOT_TIMEOUT_MS = 2_000;

export interface SqlGateStateSourceOptions {
  /**
   * Read the snapshot over a connection of its own to this database instead of the ORM's pool.
   * Under load every pooled connection is held by a request's transaction, and a snapshot queued
   * behind them ages past the gate's staleness limit: the gate then closes for everyone although
   * the database is up (32 concurrent writers did this). The gate's own read must not wait for
   * the traffic it guards.
   */
  databaseUrl?: string;
}

/**
 * The gate's state read from the audit subgraph's published gate views (`audit.gate_*`, created
 * by its migrations), over the subgraph's own connection to the platform database. Change
 * requests (read per check that names one) use the ORM's pool.
 */
export function sqlGateStateSource(orm: MikroORM, options: SqlGateStateSourceOptions = {}): GateStateSource {
  const parsed = new Map<string, GovernancePolicy>();
  const connection = () => orm.em.getConnection();
  const own = options.databaseUrl
    ? new pg.Pool({
        connectionString: options.databaseUrl,
        max: 1,
        application_name: 'tranche-gate',
        statement_timeout: SNAPSHOT_TIMEOUT_MS,
        connectionTimeoutMillis: SNAPSHOT_TIMEOUT_MS,
      })
    : null;
  // A dropped connection is the pool's to replace; the next refresh reconnects.
  own?.on('error', () => undefined);
  // Background reads, marked so the per-request statement counter (`/metrics`) leaves them out.
  const read = async <T>(sql: string): Promise<T[]> =>
    own ? ((await own.query(sql)).rows as T[]) : connection().execute<T[]>(`${BACKGROUND_QUERY} ${sql}`);
  return {
    async close() {
      await own?.end();
    },
    async snapshot() {
      const [switches, grants, policies] = await Promise.all([
        read<KillSwitchRow>('select id, tenant_id, scope, target, reason from audit.gate_kill_switches'),
        read<BreakGlassRow>(
          'select id, tenant_id, grantee, capability, expires_at from audit.gate_break_glass',
        ),
        read<PolicyRow>('select tenant_id, version, document from audit.gate_policies'),
      ]);
      const byTenant = new Map<string, GovernancePolicy>();
      for (const p of policies) {
        const key = `${p.tenant_id}@${p.version}`;
        let policy = parsed.get(key);
        if (!policy) {
          policy = parsePolicy(p.document);
          parsed.set(key, policy);
        }
        byTenant.set(p.tenant_id, policy);
      }
      return {
        killSwitches: switches.map((k) => ({
          id: k.id,
          tenantId: k.tenant_id,
          scope: k.scope,
          target: k.target,
          reason: k.reason,
        })),
        breakGlass: grants.map((g) => ({
          id: g.id,
          tenantId: g.tenant_id,
          grantee: g.grantee,
          capability: g.capability,
          expiresAt: new Date(g.expires_at),
        })),
        policies: byTenant,
      };
    },
    async changeRequest(id) {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
      const [row] = await connection().execute<ChangeRequestRow[]>(
        'select id, tenant_id, type, deal_id, payload_hash, status, expires_at from audit.gate_change_requests where id = ?',
        [id],
      );
      if (!row) return null;
      return {
        id: row.id,
        tenantId: row.tenant_id,
        type: row.type,
        dealId: row.deal_id,
        payloadHash: row.payload_hash,
        status: row.status,
        expiresAt: row.expires_at ? new Date(row.expires_at) : null,
      };
    },
  };
}
