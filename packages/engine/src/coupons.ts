import type { CompiledClass, CompiledDeal, Rate } from './compile.js';
import { accrualDays } from './dates.js';
import { EngineInputError } from './errors.js';
import { divRound, PCT_SCALE, WHOLE } from './money.js';
import type { PoolPeriod } from './pool.js';

/*
 * Class coupons and interest: the period's annual rate of a class as an exact fraction, the
 * accrual fraction of its day count, and interest rounded half up to the minor unit.
 */

/** A fraction of a year (days / basis), e.g. 30/360. */
export type AccrualFraction = { num: bigint; den: bigint };

/** A 30/360 month: the basis of fees, the net-WAC cap and 30/360 classes. */
export const THIRTY_360: AccrualFraction = { num: 30n, den: 360n };

/**
 * The annual coupon of a class for the period: fixed, margin + multiplier x index (floating,
 * from the pool period's index fixings) or the collateral net WAC + spread, then held within
 * the cap and floor. Throws `EngineInputError` when a floating class's index has no fixing.
 */
export function couponRate(c: CompiledClass, pool: PoolPeriod): Rate {
  const coupon = c.coupon;
  let rate: Rate;
  let cap: bigint | undefined;
  let floor = 0n;
  if (coupon.kind === 'fixed') rate = { num: coupon.pct, den: WHOLE };
  else if (coupon.kind === 'floating') {
    const index = pool.indexRates.get(coupon.index);
    if (index === undefined) {
      throw new EngineInputError([
        {
          path: `indexRates.${coupon.index}`,
          message: `missing index "${coupon.index}" for class "${c.id}"`,
        },
      ]);
    }
    // margin + multiplier x index (the multiplier is scaled like a percentage: 1 = 1e10 units)
    rate = { num: coupon.margin + divRound(index * coupon.multiplier, PCT_SCALE), den: WHOLE };
    cap = coupon.cap;
    floor = coupon.floor;
  } else {
    rate = periodNetWacRate(pool, coupon.spread);
    cap = coupon.cap;
  }
  if (cap !== undefined && rate.num * WHOLE > cap * rate.den) rate = { num: cap, den: WHOLE };
  // With no floor (the usual case) the test is whether the rate is negative; no products needed.
  if (floor === 0n ? rate.num < 0n : rate.num * WHOLE < floor * rate.den) rate = { num: floor, den: WHOLE };
  return rate;
}

/**
 * The last net WAC rate computed, with what it was computed from: every net-WAC class of a deal
 * usually has the same spread, so a period computes its (multi-word bigint) rate once, not once
 * a class. Rates are never changed once made, so classes can share one.
 */
let lastNetWac: { interest: bigint; begin: bigint; spread: bigint; rate: Rate } | undefined;

function periodNetWacRate(pool: PoolPeriod, spread: bigint): Rate {
  const last = lastNetWac;
  if (
    last !== undefined &&
    last.interest === pool.interest &&
    last.begin === pool.poolBalanceBegin &&
    last.spread === spread
  )
    return last.rate;
  const rate = netWacRate(pool, spread);
  lastNetWac = { interest: pool.interest, begin: pool.poolBalanceBegin, spread, rate };
  return rate;
}

/** Net WAC of the collateral for the period, 12 x net interest / beginning pool balance, plus a spread. */
export function netWacRate(pool: PoolPeriod, spread: bigint): Rate {
  if (pool.poolBalanceBegin === 0n) return { num: 0n, den: 1n };
  return {
    num: pool.interest * 12n * WHOLE + spread * pool.poolBalanceBegin,
    den: pool.poolBalanceBegin * WHOLE,
  };
}

/**
 * The year fraction a class accrues in `period`: 30/360, or actual days between payment dates
 * (closing date to the first payment date in period 1) over 360 or 365. Without dates in the
 * rule document every class accrues 30/360.
 */
export function accrualFraction(deal: CompiledDeal, c: CompiledClass, period: number): AccrualFraction {
  if (c.dayCount === '30/360' || !deal.paymentDates) return THIRTY_360;
  const end = deal.paymentDates(period);
  const start = period === 1 ? (deal.closingDate ?? end) : deal.paymentDates(period - 1);
  return accrualDays(start, end, c.dayCount);
}

/** Interest on a balance at an annual rate for a year fraction, rounded half up (0 for no balance or rate). */
export function interestOn(balance: bigint, rate: Rate, fraction: AccrualFraction): bigint {
  if (balance <= 0n || rate.num <= 0n) return 0n;
  return divRound(balance * rate.num * fraction.num, rate.den * fraction.den);
}

let lastReported: { rate: Rate; pct: number } | undefined;

/**
 * A rate as a percent number for reporting (truncated to 1e-6 %). The last answer is kept: the
 * net-WAC classes of a period share one rate object (rates are never changed once made).
 */
export function rateToPct(rate: Rate): number {
  if (lastReported?.rate === rate) return lastReported.pct;
  const pct = rate.den === 0n ? 0 : Number((rate.num * 100_000_000n) / rate.den) / 1_000_000;
  lastReported = { rate, pct };
  return pct;
}
