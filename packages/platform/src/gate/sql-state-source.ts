import type { MikroORM } from '@mikro-orm/postgresql';
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

/**
 * The gate's state read from the audit subgraph's published gate views (`audit.gate_*`, created
 * by its migrations), over the subgraph's own connection to the platform database.
 */
export function sqlGateStateSource(orm: MikroORM): GateStateSource {
  const parsed = new Map<string, GovernancePolicy>();
  const connection = () => orm.em.getConnection();
  // Background reads, marked so the per-request statement counter (`/metrics`) leaves them out.
  const read = <T>(sql: string, params: unknown[] = []) =>
    connection().execute<T[]>(`${BACKGROUND_QUERY} ${sql}`, params);
  return {
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
