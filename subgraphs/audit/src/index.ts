import 'reflect-metadata';
import {
  defineSubgraph,
  startSubgraph,
  type RunningSubgraph,
  type SubgraphDefinition,
} from '@tranche/platform';
import { AuditEvent } from './ledger/audit-event.entity.js';
import { startLedgerWriter } from './ledger/ledger-writer.js';
import { ledgerReferences } from './ledger/ledger.reference.js';
import { LedgerResolver } from './ledger/ledger.resolver.js';
import { OutboxCursor } from './ledger/outbox-cursor.entity.js';
import { migrations } from './migrations/index.js';

export { GENESIS_HASH, ledgerHash } from './ledger/ledger-hash.js';
export { linkOutboxes } from './ledger/ledger-writer.js';

/** The audit subgraph: the audit ledger (the hash-chained audit trail) and its single writer. */
export const auditSubgraph: SubgraphDefinition = defineSubgraph({
  name: 'audit',
  entities: [AuditEvent, OutboxCursor],
  migrations,
  resolvers: [LedgerResolver],
  references: { ...ledgerReferences },
  workers: (orm, config, logger) => startLedgerWriter(orm, config.AUDIT_WRITER_INTERVAL_MS, logger),
});

/** Starts the audit subgraph and its ledger writer on `port` (0 picks a free port). */
export function bootstrap(port: number, env: NodeJS.ProcessEnv = process.env): Promise<RunningSubgraph> {
  return startSubgraph(auditSubgraph, port, env);
}
