import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { pauseTarget, type PauseTarget } from '@tranche/chain';
import {
  recordAudit,
  type Capability,
  type Config,
  type JobHandler,
  type JobSet,
  type Logger,
} from '@tranche/platform';
import { lazyChainConnection } from '../anchor/chain-connection.js';
import { KillSwitchPause, PauseKind, PauseStatus } from './kill-switch-pause.entity.js';
import { KillSwitch, KillSwitchScope, OnChainPauseStatus } from './kill-switch.entity.js';
import { KILL_SWITCH_PAUSE_TASK } from './kill-switch.service.js';
import { deployedDeals, type DeployedDeal } from './on-chain-footprint.js';

/** The system actor that pauses, in audit records. */
const PAUSING = { subject: 'kill-switch-pauser', clientId: 'kill-switch-pauser', roles: new Set<never>() };

/**
 * What a CAPABILITY switch pauses on-chain. A token's `pause()` stops transfers, mints and burns
 * alike, so both token capabilities pause the tokens; capabilities only the platform itself
 * exercises on-chain (anchoring, attestations, onboarding) are held by the gate alone.
 */
const CAPABILITY_PAUSES: Partial<Record<Capability, PauseKind[]>> = {
  'token.transfer': [PauseKind.TRANCHE_TOKEN],
  'token.mint': [PauseKind.TRANCHE_TOKEN],
  'distribution.execute': [PauseKind.DISTRIBUTION_MANAGER_TOKEN],
  'deal.issue': [PauseKind.DEAL_REGISTRY_DEAL],
};

const EVERYTHING = [
  PauseKind.TRANCHE_TOKEN,
  PauseKind.DEAL_REGISTRY_DEAL,
  PauseKind.DISTRIBUTION_MANAGER_TOKEN,
];

/** The kinds of pause a switch sends. */
export function pauseKindsOf(killSwitch: Pick<KillSwitch, 'scope' | 'target'>): PauseKind[] {
  if (killSwitch.scope !== KillSwitchScope.CAPABILITY) return EVERYTHING;
  return CAPABILITY_PAUSES[killSwitch.target as Capability] ?? [];
}

/** One planned pause (a row of `kill_switch_pause` before it is sent). */
export type PlannedPause = Pick<
  KillSwitchPause,
  'kind' | 'dealId' | 'chainId' | 'contractAddress' | 'subject'
>;

/**
 * The pauses a switch of `kinds` sends over `deals`: each deal's tokens, the deal in the
 * DealRegistry, and each token's payouts in the DistributionManager — never a shared contract as a
 * whole, since other tenants' deals live in it too.
 */
export function planPauses(
  kinds: readonly PauseKind[],
  deals: readonly DeployedDeal[],
  distributionManager: string,
): PlannedPause[] {
  const planned: PlannedPause[] = [];
  for (const deal of deals) {
    const base = { dealId: deal.dealId, chainId: deal.chainId };
    if (kinds.includes(PauseKind.TRANCHE_TOKEN)) {
      for (const token of deal.tokens)
        planned.push({ ...base, kind: PauseKind.TRANCHE_TOKEN, contractAddress: token, subject: '' });
    }
    if (kinds.includes(PauseKind.DEAL_REGISTRY_DEAL)) {
      planned.push({
        ...base,
        kind: PauseKind.DEAL_REGISTRY_DEAL,
        contractAddress: deal.dealRegistry,
        subject: deal.onChainDealId,
      });
    }
    if (kinds.includes(PauseKind.DISTRIBUTION_MANAGER_TOKEN)) {
      for (const token of deal.tokens) {
        planned.push({
          ...base,
          kind: PauseKind.DISTRIBUTION_MANAGER_TOKEN,
          contractAddress: distributionManager,
          subject: token,
        });
      }
    }
  }
  return planned;
}

/** The chain library's target for a pause row. */
function targetOf(row: KillSwitchPause): PauseTarget {
  switch (row.kind) {
    case PauseKind.TRANCHE_TOKEN:
      return { kind: 'trancheToken', address: row.contractAddress };
    case PauseKind.DEAL_REGISTRY_DEAL:
      return { kind: 'dealRegistryDeal', address: row.contractAddress, dealId: row.subject };
    case PauseKind.DISTRIBUTION_MANAGER_TOKEN:
      return { kind: 'distributionManagerToken', address: row.contractAddress, token: row.subject };
  }
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The governance domain's queue tasks: pausing a kill switch's contracts on-chain. The pauses are
 * planned once (rows of `kill_switch_pause`, from the tenant's `deal.deployed` ledger events) and
 * each is sent under the key `killswitch:<id>:pause:<address>[:<subject>]`, so a job killed
 * mid-way and run again sends nothing twice. Pausing is the safe direction: it never asks the
 * gate. A switch lifted before its job runs pauses nothing.
 */
export function killSwitchJobs(orm: MikroORM, config: Config, logger: Logger): JobSet {
  const connection = lazyChainConnection(orm, config);

  const setStatus = async (em: EntityManager, killSwitch: KillSwitch, status: OnChainPauseStatus) => {
    killSwitch.onChainStatus = status;
    await em.flush();
  };

  const pause: JobHandler = async (payload, ctx) => {
    const { killSwitchId } = payload as { killSwitchId: string };
    const em = orm.em.fork();
    const killSwitch = await em.findOne(KillSwitch, { id: killSwitchId });
    if (!killSwitch || killSwitch.onChainStatus === OnChainPauseStatus.PAUSED) return;
    if (killSwitch.deactivatedAt) return;
    if (!config.CHAIN_RPC_URL) return setStatus(em, killSwitch, OnChainPauseStatus.NO_CHAIN);
    const { chainId, manifest, sender } = await connection();

    let rows = await em.find(KillSwitchPause, { killSwitchId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    if (!rows.length) {
      const kinds = pauseKindsOf(killSwitch);
      const deals = kinds.length
        ? await deployedDeals(
            em,
            killSwitch.tenantId,
            killSwitch.scope === KillSwitchScope.DEAL ? killSwitch.target : null,
          )
        : [];
      const planned = planPauses(kinds, deals, manifest.contracts.distributionManager.address);
      if (!planned.length) return setStatus(em, killSwitch, OnChainPauseStatus.NOT_APPLICABLE);
      rows = planned.map((p) =>
        em.create(KillSwitchPause, { ...p, tenantId: killSwitch.tenantId, killSwitchId }),
      );
      killSwitch.onChainStatus = OnChainPauseStatus.PAUSING;
      await em.flush();
    }

    let failures = 0;
    for (const row of rows) {
      if (row.status === PauseStatus.PAUSED || row.status === PauseStatus.ALREADY_PAUSED) continue;
      if (ctx.signal.aborted) throw new Error('the worker is stopping: the rest runs again');
      if (row.chainId !== chainId) {
        row.error = `the deal lives on chain ${row.chainId}; the platform is connected to chain ${chainId}`;
        failures += 1;
      } else {
        try {
          const result = await pauseTarget(sender, killSwitch.id, targetOf(row));
          row.status = result.outcome === 'paused' ? PauseStatus.PAUSED : PauseStatus.ALREADY_PAUSED;
          row.txHash = result.txHash;
          row.blockNumber = result.blockNumber;
          row.error = null;
        } catch (err) {
          row.error = messageOf(err);
          failures += 1;
        }
      }
      await em.flush(); // progress: each mined pause shows at once
    }

    if (failures) {
      if (ctx.attempt >= ctx.maxAttempts) {
        for (const row of rows) if (row.status === PauseStatus.PENDING) row.status = PauseStatus.FAILED;
        await setStatus(em, killSwitch, OnChainPauseStatus.FAILED);
        logger.error({ killSwitchId, failures }, 'kill switch: on-chain pauses failed');
        return;
      }
      throw new Error(`${failures} of ${rows.length} on-chain pauses failed; they run again`);
    }
    await em.transactional(async (tx) => {
      const row = await tx.findOneOrFail(KillSwitch, { id: killSwitch.id });
      row.onChainStatus = OnChainPauseStatus.PAUSED;
      await recordAudit(
        tx,
        'audit',
        { ...PAUSING, tenantId: killSwitch.tenantId },
        {
          action: 'killswitch.paused',
          aggregateType: 'KillSwitch',
          aggregateId: killSwitch.id,
          payload: {
            chainId,
            pauses: rows.map((r) => ({
              kind: r.kind,
              dealId: r.dealId,
              contract: r.contractAddress,
              subject: r.subject || null,
              status: r.status,
              txHash: r.txHash,
            })),
          },
        },
      );
    });
    logger.info({ killSwitchId, pauses: rows.length }, 'kill switch: contracts paused on-chain');
  };

  return { handlers: { [KILL_SWITCH_PAUSE_TASK]: pause } };
}
