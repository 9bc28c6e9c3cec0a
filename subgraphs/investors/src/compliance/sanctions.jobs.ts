import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config, Gate, JobHandler, JobSet, Logger, Principal } from '@tranche/platform';
import { currentSdnList, SanctionsService } from './sanctions.service.js';

/** Every few minutes: re-screens every investor not yet screened against the current list. */
export const RESCREEN_TASK = 'investors:sanctions-rescreen';
const BATCH = 200;
const SCREENING = {
  subject: 'sanctions-screening',
  clientId: 'sanctions-screening',
  roles: new Set<never>(),
};

/**
 * The sanctions domain's queue task. When the list changes (a new `sdn.csv` in SANCTIONS_LIST_DIR:
 * its SHA-256 differs), every investor of every tenant whose latest screening used another version
 * (or who was never screened) is screened again, in batches, each in its own transaction — so a run
 * stopped half-way resumes with those still to do, and a hit blocks and restricts at once. A tenant
 * under a kill switch on `investor.onboard` is skipped until it lifts.
 */
export function sanctionsJobs(orm: MikroORM, config: Config, logger: Logger, gate: Gate): JobSet {
  const rescreen: JobHandler = async (_payload, ctx) => {
    const list = await currentSdnList(config);
    let screened = 0;
    let hits = 0;
    const held = new Set<string>();
    for (;;) {
      if (ctx.signal.aborted) return;
      const due = await orm.em.fork().execute<{ id: string; tenant_id: string }[]>(
        `select i.id, i.tenant_id from investors.investor i
          where not (i.tenant_id = any(string_to_array(?, chr(31))))
            and not exists (select 1 from investors.sanctions_screening s
                             where s.investor_id = i.id and s.list_sha256 = ?)
          order by i.created_at limit ?`,
        [[...held].join('\x1f'), list.sha256, BATCH],
      );
      if (!due.length) break;
      for (const { id, tenant_id: tenantId } of due) {
        try {
          gate.checkJob(tenantId, { capability: 'investor.onboard' });
        } catch {
          held.add(tenantId);
          continue;
        }
        const principal: Principal = { ...SCREENING, tenantId };
        const screening = await new SanctionsService(orm.em.fork(), principal).screen(id, config);
        screened++;
        if (screening.status === 'BLOCKED') hits++;
      }
      ctx.logger.info({ screened, hits, list: list.sha256.slice(0, 12) }, 'sanctions re-screening progress');
    }
    if (screened)
      logger.info({ screened, hits, held: [...held], list: list.sha256 }, 'sanctions re-screening done');
  };
  return { handlers: { [RESCREEN_TASK]: rescreen }, crontab: `*/5 * * * * ${RESCREEN_TASK}` };
}
