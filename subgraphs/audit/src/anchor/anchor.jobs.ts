import type { MikroORM } from '@mikro-orm/postgresql';
import { anchorLedgerRange, buildLedgerTree, ledgerIdOf } from '@tranche/chain';
import { recordAudit, type Config, type Gate, type JobHandler, type Logger } from '@tranche/platform';
import { lazyChainConnection } from './chain-connection.js';
import { ANCHOR_TASK, PLAN_ANCHORS_TASK, planAnchors, rangeLeaves } from './anchor.service.js';
import { AnchorStatus, LedgerAnchor } from './ledger-anchor.entity.js';

/** The system actor that anchors, in audit records. */
const ANCHORING = { subject: 'audit-anchoring', clientId: 'audit-anchoring', roles: new Set<never>() };

/**
 * The audit subgraph's queue tasks: planning anchors (every minute, and on request) and sending
 * one anchor to AuditAnchor. Sending asks the gate (a CAPABILITY `audit.anchor` or GLOBAL kill
 * switch holds it back; the job runs again later), checks the range's root again (an edited
 * ledger is never anchored), and sends under the key `audit:anchor:<id>`, so a job killed
 * mid-way and run again sends nothing twice.
 */
export function anchorJobs(orm: MikroORM, config: Config, logger: Logger, gate: Gate) {
  const connection = lazyChainConnection(orm, config);

  const plan: JobHandler = async (payload) => {
    if (!config.CHAIN_RPC_URL) return; // no chain configured: nothing to anchor to
    const { tenantId, force } = (payload ?? {}) as { tenantId?: string; force?: boolean };
    const { chainId, manifest } = await connection();
    const planned = await planAnchors(orm.em.fork(), {
      target: { chainId, contractAddress: manifest.contracts.auditAnchor.address },
      everyEvents: config.AUDIT_ANCHOR_EVERY_EVENTS,
      everyMinutes: config.AUDIT_ANCHOR_EVERY_MINUTES,
      force,
      tenantId,
    });
    if (planned.length) logger.info({ anchors: planned.map((a) => a.id) }, 'audit anchors planned');
  };

  const send: JobHandler = async (payload, ctx) => {
    const { anchorId } = payload as { anchorId: string };
    const em = orm.em.fork();
    const anchor = await em.findOne(LedgerAnchor, { id: anchorId });
    if (!anchor || anchor.status === AnchorStatus.ANCHORED) return;
    anchor.attempts = ctx.attempt;
    try {
      gate.checkJob(anchor.tenantId, { capability: 'audit.anchor' });
      const leaves = await rangeLeaves(em, anchor.tenantId, anchor.firstSeq, anchor.lastSeq);
      if (buildLedgerTree(leaves).root !== anchor.merkleRoot) {
        anchor.status = AnchorStatus.FAILED;
        anchor.error = 'the ledger range changed since it was planned: not anchored';
        await em.flush();
        return;
      }
      const { chainId, manifest, sender } = await connection();
      if (chainId !== anchor.chainId || manifest.contracts.auditAnchor.address !== anchor.contractAddress) {
        anchor.status = AnchorStatus.FAILED;
        anchor.error = 'planned for another AuditAnchor deployment: the next pass plans it again';
        await em.flush();
        return;
      }
      const result = await anchorLedgerRange(
        sender,
        anchor.contractAddress,
        {
          ledgerId: ledgerIdOf(anchor.tenantId),
          root: anchor.merkleRoot,
          firstSeq: anchor.firstSeq,
          lastSeq: anchor.lastSeq,
        },
        `audit:anchor:${anchor.id}`,
      );
      await em.transactional(async (tx) => {
        const row = await tx.findOneOrFail(LedgerAnchor, { id: anchor.id });
        Object.assign(row, {
          status: AnchorStatus.ANCHORED,
          txHash: result.txHash,
          blockNumber: result.blockNumber,
          anchorIndex: Number(result.index),
          anchoredAt: new Date(),
          error: null,
          attempts: ctx.attempt,
        });
        await recordAudit(
          tx,
          'audit',
          { ...ANCHORING, tenantId: anchor.tenantId },
          {
            action: 'ledger.anchored',
            aggregateType: 'LedgerAnchor',
            aggregateId: anchor.id,
            payload: {
              firstSeq: row.firstSeq,
              lastSeq: row.lastSeq,
              merkleRoot: row.merkleRoot,
              txHash: result.txHash,
              chainId,
            },
          },
        );
      });
    } catch (err) {
      anchor.error = err instanceof Error ? err.message : String(err);
      if (ctx.attempt >= ctx.maxAttempts) anchor.status = AnchorStatus.FAILED;
      await em.flush();
      throw err; // the queue runs it again with backoff
    }
  };

  return {
    handlers: { [PLAN_ANCHORS_TASK]: plan, [ANCHOR_TASK]: send },
    crontab: `* * * * * ${PLAN_ANCHORS_TASK}`,
  };
}
