import { Migration20261121065246Init } from './Migration20261121065246Init.js';
import { Migration20261203091433TenantChains } from './Migration20261203091433TenantChains.js';
import { Migration20261203091747Governance } from './Migration20261203091747Governance.js';
import { Migration20261203095930Anchors } from './Migration20261203095930Anchors.js';
import { Migration20261203113133KillSwitchPauses } from './Migration20261203113133KillSwitchPauses.js';
import { Migration20261203121028VerificationRuns } from './Migration20261203121028VerificationRuns.js';
import { Migration20261203135827AuditBundles } from './Migration20261203135827AuditBundles.js';
import { Migration20261204053106AuditReports } from './Migration20261204053106AuditReports.js';
import { Migration20261204081139OutboxTxOrder } from './Migration20261204081139OutboxTxOrder.js';

/** Committed migrations, oldest first. */
export const migrations = [
  Migration20261121065246Init,
  Migration20261203091433TenantChains,
  Migration20261203091747Governance,
  Migration20261203095930Anchors,
  Migration20261203113133KillSwitchPauses,
  Migration20261203121028VerificationRuns,
  Migration20261203135827AuditBundles,
  Migration20261204053106AuditReports,
  Migration20261204081139OutboxTxOrder,
];
