import type { PoolFlows } from './collateral-projection.js';

/**
 * One period's collateral collections as the waterfall sees them, in integer minor units. In
 * actual-period mode these come from the servicer report; in projections from `poolPeriodsFromFlows`.
 */
export interface PoolPeriod {
  period: number;
  poolBalanceBegin: bigint;
  /** Interest available to the deal: net of servicing and other strips, including advances. */
  interest: bigint;
  servicingFee: bigint;
  scheduledPrincipal: bigint;
  prepayments: bigint;
  /** Net liquidation proceeds of defaulted loans. */
  recoveries: bigint;
  realizedLosses: bigint;
  newDefaults: bigint;
  /** Balance of loans 60+ days delinquent (including foreclosure and REO) at period end. */
  delinquent60Plus: bigint;
  poolBalanceEnd: bigint;
  /** Index fixings for floating coupons, scaled percent (1e-10 % units), by index name. */
  indexRates: Map<string, bigint>;
  /**
   * Per collateral group, when the rule document declares `collateralGroups` (projections only):
   * the pool fields above are then the groups' sums.
   */
  groups?: GroupPeriod[];
}

/** Principal items and balances of a group's PO portion (all zero without a ratio strip). */
export interface PoPortion {
  balanceBegin: bigint;
  balanceEnd: bigint;
  scheduledPrincipal: bigint;
  prepayments: bigint;
  recoveries: bigint;
  realizedLosses: bigint;
}

/**
 * One collateral group's collections for the period (minor units). Under a ratio strip `po` is
 * the discount loans' PO fraction of principal, `excessInterest` the premium loans' net interest
 * above the strip rate and `ioNotional*` the premium loans' balance (the IO's notional amount).
 */
export interface GroupPeriod {
  id: string;
  poolBalanceBegin: bigint;
  interest: bigint;
  scheduledPrincipal: bigint;
  prepayments: bigint;
  recoveries: bigint;
  realizedLosses: bigint;
  delinquent60Plus: bigint;
  poolBalanceEnd: bigint;
  po: PoPortion;
  excessInterest: bigint;
  ioNotionalBegin: bigint;
  ioNotionalEnd: bigint;
}

/** Principal collected in the period: scheduled principal, prepayments and recoveries. */
export function principalCollections(p: PoolPeriod): bigint {
  return p.scheduledPrincipal + p.prepayments + p.recoveries;
}

/** Rounds a float series to integer minor units so that running totals never drift by more than half a unit. */
class CumulativeRounder {
  private cum = 0;
  private emitted = 0;
  constructor(private readonly scale: number) {}
  next(x: number): bigint {
    this.cum += x;
    const target = Math.round(this.cum * this.scale);
    const out = target - this.emitted;
    this.emitted = target;
    return BigInt(out);
  }
}

/**
 * Convert float pool flows to exact per-period cents. Rounding convention: each flow series is
 * rounded on its running total (so totals match the float model within half a cent), the ending
 * balance is rounded directly, and scheduled principal is the balancing item, so that
 * begin - scheduled - prepayments - recoveries - losses = end holds exactly every period. Any
 * negative balancing amount (float noise below a cent) is taken from the other principal items.
 */
export function poolPeriodsFromFlows(f: PoolFlows, minorDigits: number): PoolPeriod[] {
  const scale = 10 ** minorDigits;
  const interest = new CumulativeRounder(scale);
  const servicingFee = new CumulativeRounder(scale);
  const prepayments = new CumulativeRounder(scale);
  const recoveries = new CumulativeRounder(scale);
  const losses = new CumulativeRounder(scale);
  const defaults = new CumulativeRounder(scale);
  const out: PoolPeriod[] = [];
  let begin = BigInt(Math.round((f.balanceBegin[1] ?? 0) * scale));
  for (let p = 1; p <= f.periods; p++) {
    const endFloat = f.balanceEnd[p] as number;
    let end = BigInt(Math.round(Math.max(0, endFloat) * scale));
    if (end > begin) end = begin;
    let prepaid = prepayments.next(f.prepayments[p] as number);
    let recovered = recoveries.next(f.recoveries[p] as number);
    let lost = losses.next(f.losses[p] as number);
    if (prepaid < 0n) prepaid = 0n;
    if (recovered < 0n) recovered = 0n;
    if (lost < 0n) lost = 0n;
    let scheduled = begin - end - prepaid - recovered - lost;
    if (scheduled < 0n) {
      // Sub-cent float noise: shrink the other principal items so no item is negative.
      let deficit = -scheduled;
      scheduled = 0n;
      const take = (v: bigint): bigint => {
        const t = v < deficit ? v : deficit;
        deficit -= t;
        return v - t;
      };
      prepaid = take(prepaid);
      lost = take(lost);
      recovered = take(recovered);
      end -= deficit; // cannot go below zero: deficit <= end when items were non-negative
      if (end < 0n) end = 0n;
    }
    const indexRates = new Map<string, bigint>();
    for (const [name, table] of f.indexRates)
      indexRates.set(name, BigInt(Math.round((table[p] ?? 0) * 1e12)));
    let delinquent = BigInt(Math.round((f.delinquent[p] as number) * scale));
    if (delinquent > end) delinquent = end;
    out.push({
      period: p,
      poolBalanceBegin: begin,
      interest: maxZero(interest.next(f.interest[p] as number)),
      servicingFee: maxZero(servicingFee.next(f.servicingFee[p] as number)),
      scheduledPrincipal: scheduled,
      prepayments: prepaid,
      recoveries: recovered,
      realizedLosses: lost,
      newDefaults: maxZero(defaults.next(f.newDefaults[p] as number)),
      delinquent60Plus: delinquent,
      poolBalanceEnd: end,
      indexRates,
    });
    begin = end;
  }
  return out;
}

function maxZero(v: bigint): bigint {
  return v < 0n ? 0n : v;
}
