import 'reflect-metadata';
import {
  BigIntScalar,
  ChainTransaction,
  combineJobs,
  defineSubgraph,
  startSubgraph,
  type RunningSubgraph,
  type SubgraphDefinition,
} from '@tranche/platform';
import { anchorJobs } from './anchor/anchor.jobs.js';
import { AnchorResolver, DealAuditAnchorsResolver } from './anchor/anchor.resolver.js';
import { LedgerAnchor } from './anchor/ledger-anchor.entity.js';
import { AuditBundleArchive } from './bundle/audit-bundle-archive.entity.js';
import { AuditBundle } from './bundle/audit-bundle.entity.js';
import { bundleJobs } from './bundle/bundle.jobs.js';
import { BundleResolver, DealAuditBundlesResolver } from './bundle/bundle.resolver.js';
import { bundleRoutes } from './bundle/bundle.routes.js';
import { Deal } from './deal/deal.entity.js';
import { dealReferences } from './deal/deal.reference.js';
import { BreakGlassGrant } from './governance/break-glass-grant.entity.js';
import { ChangeApproval } from './governance/change-approval.entity.js';
import { ChangeRequest } from './governance/change-request.entity.js';
import { GovernancePolicyVersion } from './governance/governance-policy.entity.js';
import { governanceReferences } from './governance/governance.reference.js';
import {
  BreakGlassResolver,
  ChangeRequestResolver,
  DealChangeRequestsResolver,
  KillSwitchResolver,
} from './governance/governance.resolver.js';
import { KillSwitchPause } from './governance/kill-switch-pause.entity.js';
import { KillSwitch } from './governance/kill-switch.entity.js';
import { killSwitchJobs } from './governance/kill-switch.jobs.js';
import { governanceJobs } from './governance/governance.jobs.js';
import { AuditEvent } from './ledger/audit-event.entity.js';
import { startLedgerWriter } from './ledger/ledger-writer.js';
import { ledgerReferences } from './ledger/ledger.reference.js';
import { LedgerResolver } from './ledger/ledger.resolver.js';
import { ledgerJobs } from './ledger/ledger.jobs.js';
import { OutboxCursor } from './ledger/outbox-cursor.entity.js';
import { VerificationRun } from './ledger/verification-run.entity.js';
import { migrations } from './migrations/index.js';
import { AuditReport } from './report/audit-report.entity.js';
import { reportJobs } from './report/report.jobs.js';
import { DealAuditReportsResolver, ReportResolver } from './report/report.resolver.js';

export { GENESIS_HASH, ledgerHash } from './ledger/ledger-hash.js';
export { linkOutboxes } from './ledger/ledger-writer.js';

/**
 * The audit subgraph: the audit ledger (the hash-chained audit trail) and its single writer, and
 * governance (change requests, kill switches, break-glass, policies: the gate's state).
 */
export const auditSubgraph: SubgraphDefinition = defineSubgraph({
  name: 'audit',
  entities: [
    AuditEvent,
    OutboxCursor,
    ChangeRequest,
    ChangeApproval,
    KillSwitch,
    KillSwitchPause,
    BreakGlassGrant,
    GovernancePolicyVersion,
    LedgerAnchor,
    ChainTransaction,
    VerificationRun,
    AuditBundle,
    AuditBundleArchive,
    AuditReport,
  ],
  migrations,
  resolvers: [
    LedgerResolver,
    ChangeRequestResolver,
    KillSwitchResolver,
    BreakGlassResolver,
    DealChangeRequestsResolver,
    AnchorResolver,
    DealAuditAnchorsResolver,
    BundleResolver,
    DealAuditBundlesResolver,
    ReportResolver,
    DealAuditReportsResolver,
  ],
  orphanedTypes: [Deal],
  references: { ...dealReferences, ...ledgerReferences, ...governanceReferences },
  scalarsMap: [{ type: BigInt, scalar: BigIntScalar }],
  workers: (orm, config, logger) => startLedgerWriter(orm, config.AUDIT_WRITER_INTERVAL_MS, logger),
  jobs: combineJobs(anchorJobs, killSwitchJobs, governanceJobs, ledgerJobs, bundleJobs, reportJobs),
  routes: bundleRoutes,
});

/** Starts the audit subgraph and its ledger writer on `port` (0 picks a free port). */
export function bootstrap(port: number, env: NodeJS.ProcessEnv = process.env): Promise<RunningSubgraph> {
  return startSubgraph(auditSubgraph, port, env);
}
