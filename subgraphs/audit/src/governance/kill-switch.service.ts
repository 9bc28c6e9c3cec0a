import {
  actorOf,
  ConflictError,
  enqueueJob,
  isCapability,
  isUuid,
  TenantService,
  ValidationError,
  type Page,
  type PageRequest,
  type Role,
} from '@tranche/platform';
import { KillSwitchPause } from './kill-switch-pause.entity.js';
import { KillSwitch, KillSwitchScope } from './kill-switch.entity.js';

/** The queue task that pauses a switch's contracts on-chain (see kill-switch.jobs.ts). */
export const KILL_SWITCH_PAUSE_TASK = 'audit:killswitch-pause';

/** Who may pull a kill switch: no approval, effective at once. */
export const KILL_SWITCH_ACTIVATORS: readonly Role[] = ['ADMIN', 'COMPLIANCE'];

/** A kill switch to pull. */
export interface NewKillSwitch {
  scope: KillSwitchScope;
  /** The deal id (DEAL) or capability (CAPABILITY); none for GLOBAL. */
  target?: string | null;
  reason: string;
}

/**
 * Kill switches: activation takes effect at once (every subgraph's gate sees it within its
 * refresh interval); lifting one is a change request (see GovernanceService).
 */
export class KillSwitchService extends TenantService {
  /** The tenant's kill switches, active first, newest first. */
  list(activeOnly: boolean, page?: PageRequest | null): Promise<Page<KillSwitch>> {
    return this.findPage(
      KillSwitch,
      activeOnly ? { deactivatedAt: null } : {},
      { activatedAt: 'desc' },
      page,
    );
  }

  /** The on-chain pauses of each switch of `ids`, in the order they were planned. */
  pausesOf(ids: readonly string[]): Promise<KillSwitchPause[][]> {
    return this.findGrouped(KillSwitchPause, 'killSwitchId', ids, (p) => p.killSwitchId, {
      createdAt: 'asc',
      id: 'asc',
    });
  }

  /**
   * Activates a kill switch, records `killswitch.activated` and queues, in the same transaction,
   * the job that pauses the contracts in its scope on-chain.
   *
   * @throws ValidationError for a target that does not fit the scope; ConflictError when the
   *   same switch is already active.
   */
  async activate(input: NewKillSwitch): Promise<KillSwitch> {
    const target = input.target?.trim() || null;
    const fields: Record<string, string> = {};
    if (input.scope === KillSwitchScope.GLOBAL && target) fields.target = 'a GLOBAL switch has no target';
    if (input.scope === KillSwitchScope.DEAL && !(target && isUuid(target)))
      fields.target = 'a DEAL switch needs the deal id';
    if (input.scope === KillSwitchScope.CAPABILITY && !(target && isCapability(target))) {
      fields.target = 'a CAPABILITY switch needs a capability, e.g. distribution.execute';
    }
    if (!input.reason.trim()) fields.reason = 'say why';
    if (Object.keys(fields).length) throw new ValidationError(fields);
    return this.em.transactional(async (tx) => {
      const same = await tx.findOne(KillSwitch, {
        tenantId: this.tenantId,
        scope: input.scope,
        target,
        deactivatedAt: null,
      });
      if (same) throw new ConflictError(`this ${input.scope} kill switch is already active (${same.id})`);
      const killSwitch = tx.create(KillSwitch, {
        tenantId: this.tenantId,
        scope: input.scope,
        target,
        reason: input.reason.trim(),
        activatedBy: actorOf(this.principal),
      });
      await this.audit(tx, {
        action: 'killswitch.activated',
        aggregateType: 'KillSwitch',
        aggregateId: killSwitch.id,
        payload: { scope: killSwitch.scope, target, reason: killSwitch.reason },
      });
      await enqueueJob(
        tx,
        KILL_SWITCH_PAUSE_TASK,
        { killSwitchId: killSwitch.id },
        { jobKey: `${KILL_SWITCH_PAUSE_TASK}:${killSwitch.id}`, maxAttempts: 10 },
      );
      return killSwitch;
    });
  }
}
