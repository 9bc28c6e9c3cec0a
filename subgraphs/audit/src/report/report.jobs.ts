import type { MikroORM } from '@mikro-orm/postgresql';
import { recordAuditReport } from '@tranche/chain';
import {
  recordAudit,
  type Config,
  type Gate,
  type JobHandler,
  type JobSet,
  type Logger,
} from '@tranche/platform';
import { lazyChainConnection } from '../anchor/chain-connection.js';
import { AuditReport, AuditReportStatus } from './audit-report.entity.js';
import { RECORD_REPORT_TASK, reportMessage } from './report.service.js';

/** The system actor that records reports, in audit records. */
const RECORDING = { subject: 'audit-reports', clientId: 'audit-reports', roles: new Set<never>() };

/**
 * `audit:report`: records one auditor-signed report in AuditReportRegistry with the platform's
 * operator key (OPERATOR_ROLE relays; the contract records the signer as the auditor). It asks
 * the gate first (a CAPABILITY `audit.report` or GLOBAL kill switch holds it back and the job
 * runs again later), sends under the key `audit:report:<id>` so a job killed mid-way and run again
 * sends nothing twice, and marks the report RECORDED with its transaction and the audit event in
 * one transaction. A refusal by the contract (already recorded elsewhere, paused) fails the report
 * saying why on the last attempt.
 */
export function reportJobs(orm: MikroORM, config: Config, logger: Logger, gate: Gate): JobSet {
  const connection = lazyChainConnection(orm, config);

  const record: JobHandler = async (payload, ctx) => {
    const { reportId } = payload as { reportId: string };
    const em = orm.em.fork();
    const report = await em.findOne(AuditReport, { id: reportId });
    if (!report || report.status !== AuditReportStatus.SUBMITTED) return;
    try {
      gate.checkJob(report.tenantId, { capability: 'audit.report', dealId: report.dealId });
      const { chainId, sender } = await connection();
      if (chainId !== report.chainId)
        throw new Error(`the report is for chain ${report.chainId}, not ${chainId}`);
      const result = await recordAuditReport(
        sender,
        report.registry,
        reportMessage({ ...report, verifiedAt: report.verifiedAt }),
        report.signature,
        `${RECORD_REPORT_TASK}:${report.id}`,
      );
      await em.transactional(async (tx) => {
        await tx.nativeUpdate(
          AuditReport,
          { id: report.id },
          {
            status: AuditReportStatus.RECORDED,
            txHash: result.txHash,
            blockNumber: result.blockNumber,
            reportIndex: result.index,
            recordedAt: new Date(),
            error: null,
          },
        );
        await recordAudit(
          tx,
          'audit',
          { ...RECORDING, tenantId: report.tenantId },
          {
            action: 'audit.report.recorded',
            aggregateType: 'AuditReport',
            aggregateId: report.id,
            payload: {
              dealId: report.dealId,
              auditor: report.auditor,
              digest: report.digest,
              txHash: result.txHash,
              blockNumber: result.blockNumber,
              index: result.index,
            },
          },
        );
      });
      logger.info({ reportId, txHash: result.txHash }, 'audit report recorded on-chain');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const last = ctx.attempt >= ctx.maxAttempts;
      await orm.em
        .fork()
        .nativeUpdate(
          AuditReport,
          { id: reportId },
          last ? { status: AuditReportStatus.FAILED, error: message } : { error: message },
        );
      if (!last) throw err;
      logger.warn({ reportId, err: message }, 'audit report could not be recorded');
    }
  };

  return { handlers: { [RECORD_REPORT_TASK]: record } };
}
