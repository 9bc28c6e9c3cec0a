import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config, JobHandler, JobSet, Logger } from '@tranche/platform';
import { LedgerService, VERIFY_CHAIN_TASK } from './ledger.service.js';
import { VerificationRun, VerificationStatus } from './verification-run.entity.js';

/** The system actor that verifies, as the service sees it (it reads one tenant's chain only). */
const verifierOf = (tenantId: string) => ({
  subject: 'ledger-verifier',
  clientId: 'ledger-verifier',
  tenantId,
  roles: new Set(['AUDITOR' as const]),
});

/**
 * The ledger domain's queue tasks: a verification of a tenant's chain off the request path, its
 * progress written after every chunk of 10,000 events. A run stopped mid-way starts its range
 * again on the next attempt (verifying reads only).
 */
export function ledgerJobs(orm: MikroORM, _config: Config, logger: Logger): JobSet {
  const verify: JobHandler = async (payload, ctx) => {
    const { runId } = payload as { runId: string };
    const em = orm.em.fork();
    const run = await em.findOne(VerificationRun, { id: runId });
    if (!run || run.status === VerificationStatus.DONE) return;
    await em.nativeUpdate(VerificationRun, { id: runId }, { status: VerificationStatus.RUNNING, checked: 0 });
    try {
      const result = await new LedgerService(orm.em.fork(), verifierOf(run.tenantId)).verify(
        run.fromSeq,
        run.toSeq,
        {
          signal: ctx.signal,
          onChunk: async (checked, total) => {
            await em.nativeUpdate(VerificationRun, { id: runId }, { checked, total });
          },
        },
      );
      await em.nativeUpdate(
        VerificationRun,
        { id: runId },
        {
          status: VerificationStatus.DONE,
          toSeq: result.to,
          checked: result.checked,
          total: Math.max(result.to - result.from + 1, 0),
          valid: result.valid,
          firstBrokenSeq: result.firstBrokenSeq,
          reason: result.reason,
          headHash: result.headHash,
          error: null,
          finishedAt: new Date(),
        },
      );
      if (!result.valid)
        logger.warn({ runId, tenantId: run.tenantId, at: result.firstBrokenSeq }, 'audit chain broken');
    } catch (err) {
      const last = ctx.attempt >= ctx.maxAttempts;
      await em.nativeUpdate(
        VerificationRun,
        { id: runId },
        {
          error: err instanceof Error ? err.message : String(err),
          ...(last ? { status: VerificationStatus.FAILED, finishedAt: new Date() } : {}),
        },
      );
      throw err;
    }
  };
  return { handlers: { [VERIFY_CHAIN_TASK]: verify } };
}
