// SPDX-License-Identifier: GPL-3.0-or-later
import { afterAll, describe, expect, it } from 'vitest';
import { FIELD_ORDER, poolLeaves, poolRoot, type PoolLoan } from '../src/commitment.js';
import { evaluatePool, type CovenantThresholds } from '../src/statements.js';
import { releaseCurve } from '../src/verify.js';
import { failsAt, randomPool, SMALLEST, uncheckedRoot, witnessAccepts, witnessError } from './helpers.js';

afterAll(releaseCurve);

// Total 1,000,000; 250,000 at >= 60 days (2,500 bps); WA-LTV (600k*8000 + 150k*7000 + 250k*6600)/1M = 7,500 bps.
const loans: PoolLoan[] = [
  { balance: 600_000n, ltvBps: 8_000, daysDelinquent: 0 },
  { balance: 150_000n, ltvBps: 7_000, daysDelinquent: 59 },
  { balance: 250_000n, ltvBps: 6_600, daysDelinquent: 60 },
];
const salts = [11n, 22n, 33n];
const exact: CovenantThresholds = {
  maxDelinquencyBps: 2_500,
  delinquencyDays: 60,
  maxWaLtvBps: 7_500,
  minBalance: 1_000_000n,
};

async function error(
  thresholds: CovenantThresholds,
  pool: readonly PoolLoan[] = loans,
): Promise<string | null> {
  const root = await poolRoot(await poolLeaves(pool, salts.slice(0, pool.length)), SMALLEST.capacity);
  return witnessError(pool, salts.slice(0, pool.length), thresholds, root);
}
async function accepts(thresholds: CovenantThresholds, pool: readonly PoolLoan[] = loans): Promise<boolean> {
  return (await error(thresholds, pool)) === null;
}
const RANGE_CHECK = /Num2Bits/;

describe('pool attestation witness (smallest instance)', () => {
  it('accepts a pool that meets every covenant exactly at its thresholds', async () => {
    const m = evaluatePool(loans, exact);
    expect([m.totalBalance, m.delinquentBalance, m.weightedLtvSum]).toEqual([
      1_000_000n,
      250_000n,
      7_500_000_000n,
    ]);
    expect(await accepts(exact)).toBe(true);
  });

  it('rejects a delinquency ratio one bps over its threshold', async () => {
    expect(await error({ ...exact, maxDelinquencyBps: 2_499 })).toMatch(failsAt('delinquencyOk.out === 1'));
  });

  it('counts a loan exactly D days delinquent, and not one day short of D', async () => {
    // D = 59 makes the 59-day loan delinquent too: 400,000 / 1,000,000 = 4,000 bps
    expect(await error({ ...exact, delinquencyDays: 59 })).toMatch(failsAt('delinquencyOk.out === 1'));
    expect(await accepts({ ...exact, delinquencyDays: 59, maxDelinquencyBps: 4_000 })).toBe(true);
    // D = 61: no loan is delinquent, 0 bps
    expect(await accepts({ ...exact, delinquencyDays: 61, maxDelinquencyBps: 0 })).toBe(true);
  });

  it('rejects a weighted-average LTV one bps over its threshold', async () => {
    expect(await error({ ...exact, maxWaLtvBps: 7_499 })).toMatch(failsAt('waLtvOk.out === 1'));
  });

  it('rejects a total balance one minor unit under the minimum', async () => {
    expect(await error({ ...exact, minBalance: 1_000_001n })).toMatch(failsAt('balanceOk.out === 1'));
  });

  it('rejects a root that differs from the loans by one', async () => {
    const root = await poolRoot(await poolLeaves(loans, salts));
    expect(await witnessAccepts(loans, salts, exact, root)).toBe(true);
    expect(await witnessError(loans, salts, exact, root + 1n)).toMatch(failsAt('tree.root === root'));
  });

  it('rejects a balance at 2^48 (just over its range) even though it packs like an in-range loan', async () => {
    // (balance 2^48, ltv 0) packs to the same field element as (balance 0, ltv 1): without the range
    // check the honest commitment could be opened as a huge balance.
    const honest: PoolLoan[] = [{ balance: 0n, ltvBps: 1, daysDelinquent: 0 }, ...loans.slice(1)];
    const forged: PoolLoan[] = [{ balance: 2n ** 48n, ltvBps: 0, daysDelinquent: 0 }, ...loans.slice(1)];
    const root = await uncheckedRoot(honest, salts, SMALLEST.capacity);
    expect(await uncheckedRoot(forged, salts, SMALLEST.capacity)).toBe(root);
    const lenient = { ...exact, maxDelinquencyBps: 10_000, maxWaLtvBps: 20_000, minBalance: 0n };
    expect(await witnessAccepts(honest, salts, lenient, root)).toBe(true);
    expect(await witnessError(forged, salts, lenient, root)).toMatch(failsAt('balBits[i].in <== balance[i]'));
  });

  it('accepts the largest in-range values and rejects each field just past its range', async () => {
    const lenient = { maxDelinquencyBps: 10_000, delinquencyDays: 60, maxWaLtvBps: 70_000, minBalance: 0n };
    const check = async (loan: PoolLoan): Promise<string | null> =>
      witnessError([loan], [5n], lenient, await uncheckedRoot([loan], [5n], SMALLEST.capacity));
    expect(await check({ balance: 2n ** 48n - 1n, ltvBps: 65_535, daysDelinquent: 65_535 })).toBeNull();
    expect(await check({ balance: 2n ** 48n, ltvBps: 0, daysDelinquent: 0 })).toMatch(
      failsAt('balBits[i].in <== balance[i]'),
    );
    expect(await check({ balance: 1n, ltvBps: 65_536, daysDelinquent: 0 })).toMatch(
      failsAt('ltvBits[i].in <== ltvBps[i]'),
    );
    expect(await check({ balance: 1n, ltvBps: 0, daysDelinquent: 65_536 })).toMatch(
      failsAt('dpdBits[i].in <== daysDelinquent[i]'),
    );
    // a "negative" balance (p - 1) would wrap every sum
    expect(await check({ balance: FIELD_ORDER - 1n, ltvBps: 0, daysDelinquent: 0 })).toMatch(RANGE_CHECK);
  });

  it('rejects out-of-range thresholds', async () => {
    expect(await error({ ...exact, delinquencyDays: 65_536 })).toMatch(
      failsAt('dBits.in <== delinquencyDays'),
    );
    expect(await error({ ...exact, maxWaLtvBps: 2 ** 32 })).toMatch(failsAt('maxLtvBits.in <== maxWaLtvBps'));
    expect(await error({ ...exact, minBalance: 2n ** 128n })).toMatch(
      failsAt('minBalBits.in <== minBalance'),
    );
  });

  it('pads with zero-balance loans that change no metric, and padding slots cannot carry loans', async () => {
    const pool = randomPool(5, 7);
    const root = await poolRoot(await poolLeaves(pool.loans, pool.salts));
    const m = evaluatePool(pool.loans, exact);
    const tight: CovenantThresholds = {
      maxDelinquencyBps: Number((m.delinquentBalance * 10_000n + m.totalBalance - 1n) / m.totalBalance),
      delinquencyDays: 60,
      maxWaLtvBps: Number((m.weightedLtvSum + m.totalBalance - 1n) / m.totalBalance),
      minBalance: m.totalBalance,
    };
    expect(await witnessAccepts(pool.loans, pool.salts, tight, root)).toBe(true);
    // a loan smuggled into a padding slot changes the root
    const smuggled = [...pool.loans, { balance: 1n, ltvBps: 0, daysDelinquent: 0 }];
    expect(await witnessError(smuggled, [...pool.salts, 0n], tight, root)).toMatch(
      failsAt('tree.root === root'),
    );
  });

  it('poolRoot in TS equals the circuit root for random pools of every fill level', async () => {
    for (const [n, seed] of [
      [1, 1],
      [7, 2],
      [8, 3],
      [9, 4],
      [16, 5],
    ] as const) {
      const pool = randomPool(n, seed);
      const root = await poolRoot(await poolLeaves(pool.loans, pool.salts));
      const lenient = { maxDelinquencyBps: 10_000, delinquencyDays: 60, maxWaLtvBps: 10_000, minBalance: 0n };
      expect(await witnessAccepts(pool.loans, pool.salts, lenient, root), `pool of ${n}`).toBe(true);
    }
  });
});
