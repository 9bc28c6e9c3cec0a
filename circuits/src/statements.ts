// SPDX-License-Identifier: GPL-3.0-or-later
import { assertLoanInRange, FIELD_ORDER, packLoan, type PoolLoan } from './commitment.js';
import { MIN_BALANCE_BITS, THRESHOLD_BPS_BITS, DAYS_DELINQUENT_BITS } from './instances.js';
import type { AttestationIds, CovenantThresholds } from './signals.js';

export {
  dealIdFromUuid,
  dealIdToBytes32,
  decodePublicSignals,
  type AttestationIds,
  type CovenantThresholds,
  type DecodedPublicSignals,
} from './signals.js';

/** Aggregate metrics of a pool, as the circuit computes them (exact integers). */
export interface PoolMetrics {
  readonly totalBalance: bigint;
  /** Balance of loans with daysDelinquent >= delinquencyDays. */
  readonly delinquentBalance: bigint;
  /** Sum of balance * ltvBps. */
  readonly weightedLtvSum: bigint;
  readonly delinquencyOk: boolean;
  readonly waLtvOk: boolean;
  readonly minBalanceOk: boolean;
}

function checkUint(value: number | bigint, bits: number, field: string): void {
  const v = BigInt(value);
  if ((typeof value === 'number' && !Number.isInteger(value)) || v < 0n || v >= 1n << BigInt(bits)) {
    throw new RangeError(`${field} must be an integer in [0, 2^${bits}), got ${value}`);
  }
}

/** Throws a RangeError naming the field when a threshold or id is outside what the circuit accepts. */
export function assertStatementInputs(thresholds: CovenantThresholds, ids: AttestationIds): void {
  checkUint(thresholds.maxDelinquencyBps, THRESHOLD_BPS_BITS, 'thresholds.maxDelinquencyBps');
  checkUint(thresholds.delinquencyDays, DAYS_DELINQUENT_BITS, 'thresholds.delinquencyDays');
  checkUint(thresholds.maxWaLtvBps, THRESHOLD_BPS_BITS, 'thresholds.maxWaLtvBps');
  checkUint(thresholds.minBalance, MIN_BALANCE_BITS, 'thresholds.minBalance');
  checkUint(ids.dealId, 128, 'ids.dealId');
  checkUint(ids.period, 32, 'ids.period');
}

/**
 * The pool's metrics and whether each covenant holds, computed exactly as the circuit does
 * (delinquency: delinquent * 10_000 <= maxDelinquencyBps * total; WA-LTV: sum(balance * ltv) <=
 * maxWaLtvBps * total; balance: total >= minBalance). Used to fail fast before proving.
 */
export function evaluatePool(loans: readonly PoolLoan[], thresholds: CovenantThresholds): PoolMetrics {
  let totalBalance = 0n;
  let delinquentBalance = 0n;
  let weightedLtvSum = 0n;
  for (const loan of loans) {
    totalBalance += loan.balance;
    if (loan.daysDelinquent >= thresholds.delinquencyDays) delinquentBalance += loan.balance;
    weightedLtvSum += loan.balance * BigInt(loan.ltvBps);
  }
  return {
    totalBalance,
    delinquentBalance,
    weightedLtvSum,
    delinquencyOk: delinquentBalance * 10_000n <= BigInt(thresholds.maxDelinquencyBps) * totalBalance,
    waLtvOk: weightedLtvSum <= BigInt(thresholds.maxWaLtvBps) * totalBalance,
    minBalanceOk: totalBalance >= thresholds.minBalance,
  };
}

/** Circuit input (decimal strings) for a pool padded to `capacity`. No range checks. @internal */
export function circuitInputUnchecked(
  loans: readonly PoolLoan[],
  salts: readonly bigint[],
  thresholds: CovenantThresholds,
  ids: AttestationIds,
  root: bigint,
  capacity: number,
): Record<string, string | string[]> {
  const pad = <T>(values: readonly T[], zero: T): T[] => [
    ...values,
    ...new Array<T>(capacity - values.length).fill(zero),
  ];
  const s = (v: bigint | number): string => v.toString();
  return {
    dealId: s(ids.dealId),
    period: s(ids.period),
    root: s(root),
    maxDelinquencyBps: s(thresholds.maxDelinquencyBps),
    delinquencyDays: s(thresholds.delinquencyDays),
    maxWaLtvBps: s(thresholds.maxWaLtvBps),
    minBalance: s(thresholds.minBalance),
    balance: pad(
      loans.map((l) => s(l.balance)),
      '0',
    ),
    ltvBps: pad(
      loans.map((l) => s(l.ltvBps)),
      '0',
    ),
    daysDelinquent: pad(
      loans.map((l) => s(l.daysDelinquent)),
      '0',
    ),
    salt: pad(salts.map(s), '0'),
  };
}

/**
 * Circuit input for a pool: validates every loan, salt, threshold and id first (RangeError naming the
 * field), then pads to `capacity` with zero loans.
 */
export function circuitInput(
  loans: readonly PoolLoan[],
  salts: readonly bigint[],
  thresholds: CovenantThresholds,
  ids: AttestationIds,
  root: bigint,
  capacity: number,
): Record<string, string | string[]> {
  if (loans.length > capacity) throw new RangeError(`${loans.length} loans exceed capacity ${capacity}`);
  if (salts.length !== loans.length) throw new RangeError('salts and loans differ in length');
  loans.forEach(assertLoanInRange);
  salts.forEach((v, i) => {
    if (v < 0n || v >= FIELD_ORDER) throw new RangeError(`salts[${i}] must be a field element`);
  });
  assertStatementInputs(thresholds, ids);
  return circuitInputUnchecked(loans, salts, thresholds, ids, root, capacity);
}

/** Loans and their packed commitment values, for diagnostics. @internal */
export const packedLoans = (loans: readonly PoolLoan[]): bigint[] => loans.map(packLoan);
