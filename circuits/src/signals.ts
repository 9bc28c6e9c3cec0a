// SPDX-License-Identifier: GPL-3.0-or-later
// Browser-safe (no Node built-ins, no Poseidon): types and helpers for public signals.
import { PUBLIC_SIGNALS } from './instances.js';

/** Covenant thresholds, as registered on-chain (`IDealRegistry.CovenantThresholds`). */
export interface CovenantThresholds {
  /** Max share of pool balance (bps) held by loans at least `delinquencyDays` days delinquent. */
  readonly maxDelinquencyBps: number;
  /** The delinquency bucket D, in days (e.g. 60); must be below 2^16. */
  readonly delinquencyDays: number;
  /** Max balance-weighted average LTV, in bps. */
  readonly maxWaLtvBps: number;
  /** Min total outstanding balance, in minor units (< 2^128). */
  readonly minBalance: bigint;
}

/** What the proof is bound to besides the root: the deal and its reporting period. */
export interface AttestationIds {
  /** `uint256(bytes32 dealId)`: the 128-bit deal UUID, left-padded (see `dealIdFromUuid`). */
  readonly dealId: bigint;
  /** Reporting period as YYYYMM, e.g. 202611. */
  readonly period: number;
}

/**
 * The deal id signal for a deal UUID: the 128-bit UUID as an integer, i.e. `uint256(bytes32)` of the
 * left-padded id the DealRegistry uses. Throws a RangeError for a malformed UUID.
 */
export function dealIdFromUuid(uuid: string): bigint {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError(`not a UUID: ${uuid}`);
  return BigInt('0x' + hex);
}

/** The bytes32 (0x-prefixed, 64 hex digits) form of a deal id signal. */
export function dealIdToBytes32(dealId: bigint): string {
  return '0x' + dealId.toString(16).padStart(64, '0');
}

/** The public signals of an attestation, decoded (see PUBLIC_SIGNALS for their order). */
export interface DecodedPublicSignals {
  readonly dealId: bigint;
  readonly period: number;
  readonly root: bigint;
  readonly thresholds: CovenantThresholds;
}

/** Decodes snarkjs' public signals (decimal strings). Throws a RangeError when the count is wrong. */
export function decodePublicSignals(publicSignals: readonly string[]): DecodedPublicSignals {
  if (publicSignals.length !== PUBLIC_SIGNALS.length) {
    throw new RangeError(`expected ${PUBLIC_SIGNALS.length} public signals, got ${publicSignals.length}`);
  }
  const v = (name: (typeof PUBLIC_SIGNALS)[number]): bigint =>
    BigInt(publicSignals[PUBLIC_SIGNALS.indexOf(name)] ?? '');
  return {
    dealId: v('dealId'),
    period: Number(v('period')),
    root: v('root'),
    thresholds: {
      maxDelinquencyBps: Number(v('maxDelinquencyBps')),
      delinquencyDays: Number(v('delinquencyDays')),
      maxWaLtvBps: Number(v('maxWaLtvBps')),
      minBalance: v('minBalance'),
    },
  };
}
