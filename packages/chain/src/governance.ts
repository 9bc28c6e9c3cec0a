import { type Signer, ZeroHash, id } from 'ethers';

import { PlatformTimelock__factory } from './contracts.js';

export interface TimelockCall {
  target: string;
  data: string;
  value?: bigint;
  /** distinguishes otherwise identical operations (e.g. the change request id) */
  salt?: string;
}

/**
 * Schedules an admin call through the platform's TimelockController (the holder of every
 * DEFAULT_ADMIN_ROLE) and returns its operation id. `proposer` needs PROPOSER_ROLE. The call can be
 * executed with `executeTimelockCall` once the delay has passed.
 */
export async function scheduleTimelockCall(
  proposer: Signer,
  timelock: string,
  call: TimelockCall,
): Promise<string> {
  const t = PlatformTimelock__factory.connect(timelock, proposer);
  const salt = call.salt ?? ZeroHash;
  const delay = await t.getMinDelay();
  await (await t.schedule(call.target, call.value ?? 0n, call.data, ZeroHash, salt, delay)).wait();
  return t.hashOperation(call.target, call.value ?? 0n, call.data, ZeroHash, salt);
}

/** Executes a scheduled timelock call whose delay has passed. `executor` needs EXECUTOR_ROLE. */
export async function executeTimelockCall(
  executor: Signer,
  timelock: string,
  call: TimelockCall,
): Promise<void> {
  const t = PlatformTimelock__factory.connect(timelock, executor);
  await (await t.execute(call.target, call.value ?? 0n, call.data, ZeroHash, call.salt ?? ZeroHash)).wait();
}

/**
 * Schedules and, with a zero delay (local chains), immediately executes an admin call through the
 * timelock. With a non-zero delay it only schedules and returns `executed: false`.
 */
export async function runThroughTimelock(
  signer: Signer,
  timelock: string,
  call: TimelockCall,
): Promise<{ operationId: string; executed: boolean }> {
  const operationId = await scheduleTimelockCall(signer, timelock, call);
  const delay = await PlatformTimelock__factory.connect(timelock, signer).getMinDelay();
  if (delay > 0n) return { operationId, executed: false };
  await executeTimelockCall(signer, timelock, call);
  return { operationId, executed: true };
}

/** Salt for the timelock operation of a platform change request (one operation per request). */
export function changeRequestSalt(changeRequestId: string): string {
  return id(`change-request:${changeRequestId}`);
}
