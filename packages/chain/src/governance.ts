// Contract administration through the PlatformTimelock (which holds DEFAULT_ADMIN_ROLE everywhere)
// and the k-of-n Safe that is its only proposer: admin calls, their timelock operations, and the
// Safe transaction that schedules them. The flow:
//   op  = timelockOperation(grantRoleCall(registry, ROLES.ARRANGER, who), { salt: id('change:42') })
//   tx  = await nextSafeTransaction(safe, provider, timelockScheduleCall(timelock, op, delay))
//   sigs = owners sign safeTxTypedData({ chainId, safe }, tx) (or signSafeTransaction per owner)
//   await executeSafeTransaction(sender, { idempotencyKey, safe, tx, signatures: sigs })
//   … after the delay, anyone (open executor): await executeTimelockOperation(sender, key, timelock, op)
import { AbiCoder, type ContractRunner, type Signer, ZeroHash, getAddress, keccak256 } from 'ethers';

import {
  AuditAnchor__factory,
  DealRegistry__factory,
  DistributionManager__factory,
  PlatformTimelock__factory,
} from './contracts.js';
import type { CallRequest } from './deployment.js';
import { collectSafeSignatures, executeSafeTransaction, nextSafeTransaction } from './safe.js';
import type { OperationResult, TxSender } from './tx-sender.js';

/** One call the admin (the timelock) makes: target contract, calldata and ETH value. */
export interface AdminCall {
  target: string;
  data: string;
  value?: bigint;
}

/** `grantRole(role, account)` on an AccessControl contract. */
export function grantRoleCall(contract: string, role: string, account: string): AdminCall {
  const data = DealRegistry__factory.createInterface().encodeFunctionData('grantRole', [role, account]);
  return { target: getAddress(contract), data };
}

/** `revokeRole(role, account)` on an AccessControl contract. */
export function revokeRoleCall(contract: string, role: string, account: string): AdminCall {
  const data = DealRegistry__factory.createInterface().encodeFunctionData('revokeRole', [role, account]);
  return { target: getAddress(contract), data };
}

/** `unpause()`: lifts a kill switch of DealRegistry, DistributionManager or AuditAnchor. */
export function unpauseCall(contract: string): AdminCall {
  return {
    target: getAddress(contract),
    data: AuditAnchor__factory.createInterface().encodeFunctionData('unpause'),
  };
}

/** `setOracleThreshold(k)` on the DistributionManager (a parameter change of the payout rail). */
export function setOracleThresholdCall(distributionManager: string, threshold: number): AdminCall {
  const data = DistributionManager__factory.createInterface().encodeFunctionData('setOracleThreshold', [
    threshold,
  ]);
  return { target: getAddress(distributionManager), data };
}

/** `updateDelay(seconds)`: the timelock's own delay, changed (like everything) through the timelock. */
export function updateTimelockDelayCall(timelock: string, seconds: bigint | number): AdminCall {
  const data = PlatformTimelock__factory.createInterface().encodeFunctionData('updateDelay', [seconds]);
  return { target: getAddress(timelock), data };
}

/** A timelock operation: one admin call with its salt and predecessor (both bytes32). */
export interface TimelockOperation {
  target: string;
  value: bigint;
  data: string;
  predecessor: string;
  salt: string;
}

/**
 * The timelock operation for `call`. `salt` tells apart two operations with the same call (an unpause
 * after a second pause would otherwise have the id of the first, already done): derive it from the
 * change request, e.g. `id('change:<id>')`. `predecessor` (default none) must be done first.
 */
export function timelockOperation(
  call: AdminCall,
  options: { salt: string; predecessor?: string },
): TimelockOperation {
  return {
    target: getAddress(call.target),
    value: call.value ?? 0n,
    data: call.data,
    predecessor: options.predecessor ?? ZeroHash,
    salt: options.salt,
  };
}

/** The operation id, as the timelock's `hashOperation` computes it (keccak256 of the abi-encoded call). */
export function timelockOperationId(op: TimelockOperation): string {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ['address', 'uint256', 'bytes', 'bytes32', 'bytes32'],
      [op.target, op.value, op.data, op.predecessor, op.salt],
    ),
  );
}

/** `schedule(...)` of `op` on the timelock, with `delaySeconds` (at least the timelock's minimum delay). */
export function timelockScheduleCall(
  timelock: string,
  op: TimelockOperation,
  delaySeconds: bigint | number,
): CallRequest {
  const data = PlatformTimelock__factory.createInterface().encodeFunctionData('schedule', [
    op.target,
    op.value,
    op.data,
    op.predecessor,
    op.salt,
    delaySeconds,
  ]);
  return { to: getAddress(timelock), data };
}

/** `execute(...)` of `op` on the timelock (succeeds once the operation is ready). */
export function timelockExecuteCall(timelock: string, op: TimelockOperation): CallRequest {
  const data = PlatformTimelock__factory.createInterface().encodeFunctionData('execute', [
    op.target,
    op.value,
    op.data,
    op.predecessor,
    op.salt,
  ]);
  return { to: getAddress(timelock), data };
}

/** `cancel(id)` of `op` on the timelock (a canceller, i.e. the Safe, during the delay). */
export function timelockCancelCall(timelock: string, op: TimelockOperation): CallRequest {
  const data = PlatformTimelock__factory.createInterface().encodeFunctionData('cancel', [
    timelockOperationId(op),
  ]);
  return { to: getAddress(timelock), data };
}

/** Where an operation stands: never scheduled (or cancelled), in its delay, executable, executed. */
export type TimelockOperationState = 'unset' | 'waiting' | 'ready' | 'done';

const STATES: readonly TimelockOperationState[] = ['unset', 'waiting', 'ready', 'done'];

/** Reads the state of `op` from the timelock (its `getOperationState`). */
export async function timelockOperationState(
  timelock: string,
  runner: ContractRunner,
  op: TimelockOperation,
): Promise<TimelockOperationState> {
  const state = await PlatformTimelock__factory.connect(timelock, runner).getOperationState(
    timelockOperationId(op),
  );
  const name = STATES[Number(state)];
  if (!name) throw new Error(`timelock ${timelock}: unknown operation state ${state.toString()}`);
  return name;
}

/**
 * Executes a ready operation as one TxSender operation under `idempotencyKey`. The platform's
 * timelock has an open executor, so any key may send it; before the delay has passed the timelock
 * reverts (`TimelockUnexpectedOperationState`), gas estimation fails and nothing is sent.
 */
export async function executeTimelockOperation(
  sender: TxSender,
  idempotencyKey: string,
  timelock: string,
  op: TimelockOperation,
): Promise<OperationResult> {
  const call = timelockExecuteCall(timelock, op);
  return sender.send({ idempotencyKey, to: call.to, data: call.data, value: op.value });
}

/**
 * Schedules `op` through the Safe in one go when the owners' keys are at hand (dev, tests, or a
 * signing service over k remote signers): builds the Safe transaction of `schedule` at the Safe's
 * current nonce, has each of `owners` sign it and executes it under `idempotencyKey`. With fewer
 * signatures than the threshold the Safe refuses (GS020) and nothing is sent or scheduled. Owners who
 * sign elsewhere use `nextSafeTransaction` / `safeTxTypedData` / `executeSafeTransaction` instead.
 */
export async function scheduleThroughSafe(
  sender: TxSender,
  params: {
    idempotencyKey: string;
    safe: string;
    timelock: string;
    op: TimelockOperation;
    delaySeconds: bigint | number;
    owners: readonly Signer[];
  },
): Promise<OperationResult> {
  // A re-run whose Safe transaction was already sent must not have the owners sign another one at the
  // next nonce: send() under a recorded key only waits for that key's transaction (data unused).
  if (await sender.recorded(params.idempotencyKey)) {
    return sender.send({ idempotencyKey: params.idempotencyKey, data: '0x' });
  }
  const chainId = (await sender.provider.getNetwork()).chainId;
  const schedule = timelockScheduleCall(params.timelock, params.op, params.delaySeconds);
  const tx = await nextSafeTransaction(params.safe, sender.provider, schedule);
  const signatures = await collectSafeSignatures(params.owners, { chainId, safe: params.safe }, tx);
  return executeSafeTransaction(sender, {
    idempotencyKey: params.idempotencyKey,
    safe: params.safe,
    tx,
    signatures,
  });
}
