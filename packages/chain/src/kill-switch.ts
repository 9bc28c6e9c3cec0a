// Kill switches on-chain: pausing the contracts a platform kill switch covers, each pause one keyed
// TxSender operation, plus a read of what is paused. Lifting a switch (`unpause`) is an admin call
// through the timelock (see governance.ts); T-REX tokens are unpaused by their agent.
import { type ContractRunner, getAddress } from 'ethers';

import {
  AuditAnchor__factory,
  DealRegistry__factory,
  DistributionManager__factory,
  Token__factory,
} from './contracts.js';
import type { Manifest } from './manifest.js';
import { TransactionRevertedError, type TxSender } from './tx-sender.js';

/**
 * What can be paused: a deal's T-REX tranche token (`pause()` by an agent of the token), or one of the
 * platform contracts (`pause()` by a PAUSER_ROLE holder). All four expose `pause()` and `paused()`.
 */
export type PauseTargetKind = 'trancheToken' | 'distributionManager' | 'dealRegistry' | 'auditAnchor';

/**
 * What a kill switch pauses: a whole contract (`pause()`), or — in the contracts every tenant
 * shares — one deal in DealRegistry (`pauseDeal`) or one token's payouts in DistributionManager
 * (`pauseToken`), so a tenant's switch never stops another tenant's deals.
 */
export type PauseTarget =
  | { kind: PauseTargetKind; address: string }
  | { kind: 'dealRegistryDeal'; address: string; dealId: string }
  | { kind: 'distributionManagerToken'; address: string; token: string };

/** The deal or token a per-deal/per-token target pauses, or undefined for a whole contract. */
function subjectOf(target: PauseTarget): string | undefined {
  if (target.kind === 'dealRegistryDeal') return target.dealId.toLowerCase();
  if (target.kind === 'distributionManagerToken') return getAddress(target.token);
  return undefined;
}

/** The result of one pause: the transaction that paused the contract, or none if it already was. */
export type PauseResult = PauseTarget & PauseOutcome;

interface PauseOutcome {
  /** idempotency key of the operation: `killswitch:<killSwitchId>:pause:<address>` */
  key: string;
  /** `paused`: a transaction of this key paused it; `already-paused`: paused otherwise, nothing sent */
  outcome: 'paused' | 'already-paused';
  txHash: string | null;
  blockNumber: number | null;
  /** whether this call broadcast the transaction (false on a re-run, which only reads it back) */
  sentNow: boolean;
}

/**
 * The idempotency key of pausing `address` (and, in a shared contract, one deal or token of it) for
 * kill switch `killSwitchId`.
 */
export function killSwitchPauseKey(killSwitchId: string, address: string, subject?: string): string {
  const base = `killswitch:${killSwitchId}:pause:${getAddress(address)}`;
  return subject ? `${base}:${subject}` : base;
}

// `pause()` / `paused()` have the same selector on T-REX's Token and on our OpenZeppelin Pausable
// contracts; the Token binding is used for tokens and AuditAnchor's for the platform contracts.
function pausable(target: PauseTarget, runner?: ContractRunner) {
  return target.kind === 'trancheToken'
    ? Token__factory.connect(target.address, runner)
    : AuditAnchor__factory.connect(target.address, runner);
}

/** Whether `target` is paused now (a deal or token on its own, or the whole contract). */
async function isPaused(target: PauseTarget, runner: ContractRunner): Promise<boolean> {
  if (target.kind === 'dealRegistryDeal')
    return DealRegistry__factory.connect(target.address, runner).isDealPaused(target.dealId);
  if (target.kind === 'distributionManagerToken')
    return DistributionManager__factory.connect(target.address, runner).isTokenPaused(target.token);
  return pausable(target, runner).paused();
}

/** The calldata that pauses `target`. */
function pauseCall(target: PauseTarget): string {
  if (target.kind === 'dealRegistryDeal')
    return DealRegistry__factory.createInterface().encodeFunctionData('pauseDeal', [target.dealId]);
  if (target.kind === 'distributionManagerToken')
    return DistributionManager__factory.createInterface().encodeFunctionData('pauseToken', [target.token]);
  return pausable(target).interface.encodeFunctionData('pause');
}

/**
 * Pauses `target` for kill switch `killSwitchId` as one TxSender operation keyed
 * `killswitch:<killSwitchId>:pause:<address>`. Idempotent: a re-run returns the recorded transaction
 * without sending; a target already paused by something else (another switch, a person) sends nothing
 * and reports `already-paused`. The sender's key must be allowed to pause (PAUSER_ROLE, or the token's
 * agent); otherwise the estimate reverts and this throws with nothing sent.
 */
export async function pauseTarget(
  sender: TxSender,
  killSwitchId: string,
  target: PauseTarget,
): Promise<PauseResult> {
  const key = killSwitchPauseKey(killSwitchId, target.address, subjectOf(target));
  const base = { ...target, address: getAddress(target.address), key } as PauseTarget & { key: string };
  const alreadyPaused = {
    ...base,
    outcome: 'already-paused',
    txHash: null,
    blockNumber: null,
    sentNow: false,
  } as const;
  if (!(await sender.recorded(key)) && (await isPaused(target, sender.provider))) return alreadyPaused;
  try {
    const data = pauseCall(target);
    const sent = await sender.send({ idempotencyKey: key, to: base.address, data });
    return {
      ...base,
      outcome: 'paused',
      txHash: sent.txHash,
      blockNumber: sent.receipt.blockNumber,
      sentNow: sent.sentNow,
    };
  } catch (error) {
    // Paused by someone else between the read and the send (our estimate or transaction reverted):
    // the switch holds all the same. Any other failure (e.g. a confirmation timeout) is thrown.
    const reverted = error instanceof TransactionRevertedError || !(await sender.recorded(key));
    if (reverted && (await isPaused(target, sender.provider))) return alreadyPaused;
    throw error;
  }
}

/** Pauses each tranche token of a deal (`sender` must be an agent of the tokens); see pauseTarget. */
export async function pauseTrancheTokens(
  agent: TxSender,
  killSwitchId: string,
  tokens: readonly string[],
): Promise<PauseResult[]> {
  const results: PauseResult[] = [];
  for (const address of tokens) {
    results.push(await pauseTarget(agent, killSwitchId, { kind: 'trancheToken', address }));
  }
  return results;
}

/** Pauses the DistributionManager (payouts: fund, publish, claims); `pauser` holds PAUSER_ROLE. */
export function pauseDistributionManager(
  pauser: TxSender,
  killSwitchId: string,
  address: string,
): Promise<PauseResult> {
  return pauseTarget(pauser, killSwitchId, { kind: 'distributionManager', address });
}

/** Pauses the DealRegistry (registrations, dataset anchors, documents, covenants); PAUSER_ROLE. */
export function pauseDealRegistry(
  pauser: TxSender,
  killSwitchId: string,
  address: string,
): Promise<PauseResult> {
  return pauseTarget(pauser, killSwitchId, { kind: 'dealRegistry', address });
}

/** Pauses the AuditAnchor (audit-chain anchoring); PAUSER_ROLE. */
export function pauseAuditAnchor(
  pauser: TxSender,
  killSwitchId: string,
  address: string,
): Promise<PauseResult> {
  return pauseTarget(pauser, killSwitchId, { kind: 'auditAnchor', address });
}

/** The platform contracts a GLOBAL kill switch pauses (besides every deal's tranche tokens). */
export function platformPauseTargets(manifest: Pick<Manifest, 'contracts'>): PauseTarget[] {
  return [
    { kind: 'distributionManager', address: manifest.contracts.distributionManager.address },
    { kind: 'dealRegistry', address: manifest.contracts.dealRegistry.address },
    { kind: 'auditAnchor', address: manifest.contracts.auditAnchor.address },
  ];
}

/** Reads whether each target is paused, in the order given. */
export async function readPaused(
  runner: ContractRunner,
  targets: readonly PauseTarget[],
): Promise<(PauseTarget & { paused: boolean })[]> {
  return Promise.all(
    targets.map(async (t) => ({
      ...t,
      address: getAddress(t.address),
      paused: await isPaused(t, runner),
    })),
  );
}
