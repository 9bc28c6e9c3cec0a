import 'reflect-metadata';
import {
  findByIds,
  OutboxEvent,
  requireRole,
  startSubgraph,
  type RunningSubgraph,
  type SubgraphContext,
  type SubgraphDefinition,
} from '@tranche/platform';
import { AuditEvent, OutboxCursor } from './audit/audit-event.entity.js';
import { AuditResolver } from './audit/audit.resolver.js';
import { DB_SCHEMA } from './audit/audit.service.js';
import { startChainWriter } from './audit/chain-writer.js';
import { migrations } from './migrations/index.js';

export { linkOutboxes } from './audit/chain-writer.js';
export { chainHash, GENESIS_HASH } from './audit/chain.js';

/** The audit subgraph: the hash-chained audit trail and its single writer. */
export const auditSubgraph: SubgraphDefinition = {
  name: 'audit',
  dbSchema: DB_SCHEMA,
  entities: [AuditEvent, OutboxCursor, OutboxEvent],
  migrations,
  resolvers: [AuditResolver],
  references: {
    AuditEvent: (ref: { id: string }, ctx: SubgraphContext) => {
      const principal = requireRole(ctx, 'AUDITOR', 'ADMIN', 'COMPLIANCE');
      return ctx.loaders
        .get<string, AuditEvent | null>('auditEvent', (ids) =>
          findByIds(ctx.em, AuditEvent, ids, principal.tenantId),
        )
        .load(ref.id);
    },
  },
  workers: (orm, config, logger) => startChainWriter(orm, config.AUDIT_WRITER_INTERVAL_MS, logger),
};

/** Starts the audit subgraph and its chain writer on `port` (0 picks a free port). */
export function bootstrap(port: number, env: NodeJS.ProcessEnv = process.env): Promise<RunningSubgraph> {
  return startSubgraph(auditSubgraph, port, env);
}
