import { compilePercentSchedule, percentAt } from './compile.js';
import { divFloor, divRound, maxBig, minBig, pctToScaled, toMinor, WHOLE } from './money.js';
import {
  fundsAvailable,
  groupPeriod,
  nonPoPool,
  notesBalance,
  originalNonPoBalance,
  type PeriodContext,
} from './period-context.js';
import { principalCollections } from './pool.js';
import type { Amount, OcSpec, SeniorPrincipalSpec, UndercollateralizationSpec } from './rules.js';
import { conditionHolds } from './triggers.js';

/*
 * Amounts: the rule document's `Amount` expressions (`available`, `{ pct, of }`, OC targets,
 * the shifting-interest senior principal, ...) evaluated for the period, in minor units.
 */

/**
 * The overcollateralization target: pctOfOriginal x the original pool balance, or once the
 * `stepdown` condition holds, pctOfCurrent x the ending pool balance but at least
 * floorPctOfOriginal x the original pool balance. Rounded down.
 */
function ocTarget(ctx: PeriodContext, spec: OcSpec): bigint {
  const original = ctx.state.originalPoolBalance;
  const beforeStepdown = divFloor(original * pctToScaled(spec.pctOfOriginal), WHOLE);
  if (!spec.stepdown || !conditionHolds(ctx, spec.stepdown)) return beforeStepdown;
  const current = divFloor(
    ctx.pool.poolBalanceEnd * pctToScaled(spec.pctOfCurrent ?? spec.pctOfOriginal),
    WHOLE,
  );
  const floor = divFloor(original * pctToScaled(spec.floorPctOfOriginal ?? 0), WHOLE);
  return maxBig(current, floor);
}

/** The overcollateralization now: ending pool balance less the notes' current balance. */
function overcollateralization(ctx: PeriodContext): bigint {
  return ctx.pool.poolBalanceEnd - notesBalance(ctx);
}

/**
 * Evaluate an amount for the period in minor units. `from` is the step's funds, what
 * `available` means. Sums, minimums, maximums and `fixed` are exact; `pct` rounds down.
 */
export function evaluateAmount(ctx: PeriodContext, amount: Amount, from: string[]): bigint {
  const pool = ctx.pool;
  if (typeof amount === 'string') {
    switch (amount) {
      case 'available':
        return fundsAvailable(ctx, from);
      case 'principalCollections':
        return principalCollections(pool);
      case 'scheduledPrincipal':
        return pool.scheduledPrincipal;
      case 'prepayments':
        return pool.prepayments;
      case 'recoveries':
        return pool.recoveries;
      case 'realizedLosses':
        return pool.realizedLosses;
      case 'overcollateralization':
        return overcollateralization(ctx);
      case 'poolBalance':
        return pool.poolBalanceEnd;
    }
  }
  const of = (x: Amount): bigint => evaluateAmount(ctx, x, from);
  if ('fixed' in amount) return toMinor(amount.fixed, ctx.deal.minorDigits);
  if ('pct' in amount) return divFloor(of(amount.of) * pctToScaled(amount.pct), WHOLE);
  if ('sum' in amount) return amount.sum.reduce((total, x) => total + of(x), 0n);
  if ('minus' in amount) return maxBig(0n, of(amount.minus[0]) - of(amount.minus[1]));
  if ('min' in amount) return amount.min.map(of).reduce((m, v) => minBig(m, v));
  if ('max' in amount) return amount.max.map(of).reduce((m, v) => maxBig(m, v));
  if ('classBalance' in amount) {
    return amount.classBalance.reduce((total, id) => total + (ctx.ledgers.get(id)?.balance ?? 0n), 0n);
  }
  if ('ocTarget' in amount) return ocTarget(ctx, amount.ocTarget);
  if ('ocDeficiency' in amount) {
    return maxBig(0n, ocTarget(ctx, amount.ocDeficiency) - overcollateralization(ctx));
  }
  if ('ocExcess' in amount) return maxBig(0n, overcollateralization(ctx) - ocTarget(ctx, amount.ocExcess));
  if ('ocPrincipalDistribution' in amount) {
    // Principal collections less the overcollateralization release: the excess of the OC that
    // would remain after paying all principal collections to the notes over the OC target.
    const collections = principalCollections(pool);
    const ocAfter = pool.poolBalanceEnd - (notesBalance(ctx) - collections);
    const release = minBig(collections, maxBig(0n, ocAfter - ocTarget(ctx, amount.ocPrincipalDistribution)));
    return collections - release;
  }
  if ('poPrincipal' in amount) return poPrincipal(ctx, amount.poPrincipal);
  if ('undercollateralization' in amount) return undercollateralization(ctx, amount.undercollateralization);
  return seniorPrincipal(ctx, amount.seniorPrincipal);
}

/**
 * PO principal distribution amount of a ratio-stripped group: the PO fraction, (strip rate - net
 * rate) / strip rate, of each discount loan's scheduled principal, principal prepayments and net
 * liquidation proceeds. (Its PO fraction of realized losses is written down on the PO class.)
 */
function poPrincipal(ctx: PeriodContext, group: string): bigint {
  const po = groupPeriod(ctx.pool, group).po;
  return po.scheduledPrincipal + po.prepayments + po.recoveries;
}

/**
 * Undercollateralized amount of a group: how far its senior classes' current balances (after the
 * payments made so far this period) exceed the group's non-PO pool balance at the end of the
 * period. Paid as principal to those seniors from the other groups' remaining cash
 * (cross-collateralization).
 */
function undercollateralization(ctx: PeriodContext, spec: UndercollateralizationSpec): bigint {
  let seniors = 0n;
  for (const id of spec.seniors) seniors += ctx.ledgers.get(id)?.balance ?? 0n;
  return maxBig(0n, seniors - nonPoPool(ctx.pool, spec.group).balanceEnd);
}

/**
 * Shifting-interest senior principal distribution amount: senior percentage x scheduled
 * principal + senior prepayment percentage x (prepayments + recoveries) (each rounded half up),
 * where the senior percentage is the seniors' beginning balance / the beginning non-PO pool
 * balance (of `group`, or of the whole pool; at most 100%), and the senior prepayment percentage
 * is senior % + shift % x (100% - senior %), or 100% while the senior percentage exceeds its
 * original value or `blockedBy` holds (with `whenBlocked: "noReduction"`, the shift is instead
 * not reduced below the one used last period). While the two-times test condition `twoTimes.passes`
 * holds (and nothing blocks), the shift is `twoTimes.shiftPct` (prospectuses: senior % + 50% of
 * the subordinate % through month 36, the senior % alone afterwards). Without strips or groups the
 * non-PO pool is the pool. Capped at the seniors' current balances; with no beginning pool
 * balance, all (non-PO) principal collections up to that cap.
 */
function seniorPrincipal(ctx: PeriodContext, spec: SeniorPrincipalSpec): bigint {
  const p = nonPoPool(ctx.pool, spec.group);
  let seniorsBegin = 0n;
  let seniorsNow = 0n;
  let seniorsOriginal = 0n;
  for (const id of spec.seniors) {
    const ledger = ctx.ledgers.get(id);
    seniorsBegin += ledger?.beginBalance ?? 0n;
    seniorsNow += ledger?.balance ?? 0n;
    seniorsOriginal += ledger?.compiled.originalBalance ?? 0n;
  }
  const pool = p.balanceBegin;
  if (pool === 0n) return minBig(seniorsNow, p.scheduledPrincipal + p.prepayments + p.recoveries);
  const s = minBig(seniorsBegin, pool);
  const original = originalNonPoBalance(ctx, spec.group);
  const aboveOriginal = original > 0n && s * original > seniorsOriginal * pool;
  const key = spec.seniors.join(',');
  let shift = percentAt(compilePercentSchedule(spec.shiftPct), ctx.period);
  if (spec.blockedBy !== undefined && conditionHolds(ctx, spec.blockedBy)) {
    // "No decrease in the Senior Prepayment Percentage will occur unless the step-down conditions
    // are satisfied": keep last period's shift when it is higher than the scheduled one.
    if (spec.whenBlocked === 'noReduction') shift = maxBig(shift, ctx.state.seniorShifts?.[key] ?? shift);
    else shift = WHOLE;
  } else if (spec.twoTimes && conditionHolds(ctx, spec.twoTimes.passes)) {
    shift = percentAt(compilePercentSchedule(spec.twoTimes.shiftPct), ctx.period);
  }
  ctx.seniorShifts.set(key, shift);
  if (aboveOriginal) shift = WHOLE;
  const scheduled = divRound(p.scheduledPrincipal * s, pool);
  // prepay% = s/P + shift x (1 - s/P) = (s x WHOLE + shift x (P - s)) / (P x WHOLE)
  const unscheduled = divRound(
    (p.prepayments + p.recoveries) * (s * WHOLE + shift * (pool - s)),
    pool * WHOLE,
  );
  return minBig(seniorsNow, scheduled + unscheduled);
}
