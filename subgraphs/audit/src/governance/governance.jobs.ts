import type { MikroORM } from '@mikro-orm/postgresql';
import {
  canonicalJson,
  OPEN_CHANGE_REQUEST_TASK,
  type Config,
  type JobHandler,
  type JobSet,
  type Logger,
  type OpenChangeRequestPayload,
  type Principal,
  type Role,
} from '@tranche/platform';
import { ChangeRequest } from './change-request.entity.js';
import { GovernanceService } from './governance.service.js';

/**
 * The governance domain's queue tasks for other subgraphs' workflows: opening the change request
 * a workflow asked for (a deal submitted for review), as the person who asked, under the id the
 * workflow chose. Exactly once: a request that exists already is left alone.
 */
export function governanceJobs(orm: MikroORM, _config: Config, logger: Logger): JobSet {
  const open: JobHandler = async (raw) => {
    const job = raw as OpenChangeRequestPayload;
    const em = orm.em.fork();
    if (await em.findOne(ChangeRequest, { id: job.id })) return;
    const principal: Principal = {
      subject: job.requestedBy.subject,
      ...(job.requestedBy.email ? { email: job.requestedBy.email } : {}),
      ...(job.requestedBy.clientId ? { clientId: job.requestedBy.clientId } : {}),
      tenantId: job.tenantId,
      roles: new Set(job.requestedBy.roles as Role[]),
    };
    const request = await new GovernanceService(em, principal).request({
      id: job.id,
      type: job.type,
      dealId: job.dealId,
      title: job.title,
      rationale: job.rationale,
      payload: canonicalJson(job.payload),
    });
    logger.info({ changeRequestId: request.id, type: request.type }, 'change request opened for a workflow');
  };
  return { handlers: { [OPEN_CHANGE_REQUEST_TASK]: open } };
}
