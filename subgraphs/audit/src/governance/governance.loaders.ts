import { perRequest, serviceFor, type SubgraphContext } from '@tranche/platform';
import type { ChangeApproval } from './change-approval.entity.js';
import type { ChangeRequest } from './change-request.entity.js';
import { GOVERNANCE_READERS, GovernanceService } from './governance.service.js';
import type { KillSwitchPause } from './kill-switch-pause.entity.js';
import { KillSwitchService } from './kill-switch.service.js';

/** The request's batched, tenant-scoped loaders of the governance domain (staff only). */
export const governanceLoaders = perRequest((ctx: SubgraphContext) => {
  const service = serviceFor(GovernanceService, ctx, GOVERNANCE_READERS);
  return {
    pausesOfKillSwitch: ctx.loaders.get<string, KillSwitchPause[]>('pausesOfKillSwitch', (ids) =>
      serviceFor(KillSwitchService, ctx, GOVERNANCE_READERS).pausesOf(ids),
    ),
    service,
    changeRequest: ctx.loaders.get<string, ChangeRequest | null>('changeRequest', (ids) =>
      service.getMany(ids),
    ),
    changeRequestsOfDeal: ctx.loaders.get<string, ChangeRequest[]>('changeRequestsOfDeal', (ids) =>
      service.ofDeals(ids),
    ),
    votesOfRequest: ctx.loaders.get<string, ChangeApproval[]>('votesOfRequest', (ids) =>
      service.votesOf(ids),
    ),
  };
});
