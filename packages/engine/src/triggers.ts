import { compilePercentSchedule, percentAt } from './compile.js';
import { maxBig, WHOLE } from './money.js';
import { nonPoPool, originalNonPoBalance, type PeriodContext } from './period-context.js';
import type { Condition, TriggerDef } from './rules.js';

/*
 * Triggers and conditions: whether each of the deal's tests is breached this period, and the
 * conditions (`{ trigger }`, `{ retired }`, ...) that steer steps, rules and amounts.
 */

/** Is a/b, as a percent, above a scaled percent? (a x 100% > pct x b, exactly.) */
function ratioAbove(a: bigint, b: bigint, pct: bigint): boolean {
  return a * WHOLE > pct * b;
}

/**
 * Delinquency test: the average over `rollingMonths` (this period and the stored history) of
 * 60+ delinquent / pool balance, compared exactly with the threshold, or with threshold % of
 * the senior enhancement (pool - seniors) / pool when `seniorEnhancementOf` names the seniors.
 */
function delinquencyBreached(
  ctx: PeriodContext,
  trigger: Extract<TriggerDef, { type: 'delinquency' }>,
): boolean {
  const { pool, state } = ctx;
  const history = [
    ...state.delinquencyHistory,
    { delinquent: pool.delinquent60Plus, pool: pool.poolBalanceEnd },
  ].slice(-trigger.rollingMonths);
  // Average of the monthly ratios, compared exactly: sum(d_i / p_i) / months > threshold.
  let num = 0n;
  let den = 1n;
  for (const month of history) {
    if (month.pool === 0n) continue;
    num = num * month.pool + month.delinquent * den;
    den = den * month.pool;
  }
  const months = BigInt(history.length);
  const threshold = percentAt(compilePercentSchedule(trigger.thresholdPct), ctx.period);
  if (trigger.seniorEnhancementOf) {
    // Relative trigger: average > threshold % x senior enhancement, (pool - seniors) / pool.
    let seniors = 0n;
    for (const id of trigger.seniorEnhancementOf) seniors += ctx.ledgers.get(id)?.beginBalance ?? 0n;
    const p = pool.poolBalanceEnd;
    return p > 0n && num * WHOLE * p > threshold * den * months * maxBig(0n, p - seniors);
  }
  return num * WHOLE > threshold * den * months;
}

type SubordinationTest = Extract<TriggerDef, { type: 'twoTimesTest' | 'stepdownTest' }>;

/**
 * The delinquency and loss parts of a shifting-interest step-down test, true when both are met:
 * (i) the 60+ day delinquent balance (including foreclosure and REO) averaged over the last
 * `rollingMonths` distribution dates is less than `delinquencyLimitPct` of the subordinate
 * classes' current (beginning) balance, and (ii) cumulative realized losses do not exceed
 * `cumulativeLossLimitPct` (in force this period) of the subordinate classes' original balance.
 */
function delinquencyAndLossMet(ctx: PeriodContext, test: SubordinationTest): boolean {
  let subordinateNow = 0n;
  let subordinateOriginal = 0n;
  for (const id of test.subordinates) {
    const ledger = ctx.ledgers.get(id);
    subordinateNow += ledger?.beginBalance ?? 0n;
    subordinateOriginal += ledger?.compiled.originalBalance ?? 0n;
  }
  const months = [...ctx.state.delinquencyHistory.map((m) => m.delinquent), ctx.pool.delinquent60Plus].slice(
    -test.rollingMonths,
  );
  const delinquentSum = months.reduce((t, x) => t + x, 0n);
  // average < limit% x subordinates  <=>  sum x WHOLE < limit x subordinates x months
  const delinquencyMet =
    delinquentSum * WHOLE <
    percentAt(compilePercentSchedule(test.delinquencyLimitPct), 1) * subordinateNow * BigInt(months.length);
  const losses = ctx.state.cumulativeLoss + ctx.pool.realizedLosses;
  const limit = percentAt(compilePercentSchedule(test.cumulativeLossLimitPct), ctx.period);
  return delinquencyMet && losses * WHOLE <= limit * subordinateOriginal;
}

/**
 * Two-times test, met when the current subordinate percentage (subordinate beginning balance /
 * beginning non-PO pool balance, of all groups together) is at least `multiplePct` (200%) of the original subordinate
 * percentage (original subordinate balance / original non-PO pool balance) and the delinquency
 * and cumulative-loss limits are met.
 */
function twoTimesMet(ctx: PeriodContext, test: Extract<TriggerDef, { type: 'twoTimesTest' }>): boolean {
  if (!delinquencyAndLossMet(ctx, test)) return false;
  let subordinateNow = 0n;
  let subordinateOriginal = 0n;
  for (const id of test.subordinates) {
    const ledger = ctx.ledgers.get(id);
    subordinateNow += ledger?.beginBalance ?? 0n;
    subordinateOriginal += ledger?.compiled.originalBalance ?? 0n;
  }
  const poolNow = nonPoPool(ctx.pool).balanceBegin;
  const poolOriginal = originalNonPoBalance(ctx);
  if (poolNow === 0n || poolOriginal === 0n) return false;
  // sub/pool >= multiple x subOrig/poolOrig, cross-multiplied
  const multiple = percentAt(compilePercentSchedule(test.multiplePct), 1);
  return subordinateNow * poolOriginal * WHOLE >= multiple * subordinateOriginal * poolNow;
}

/** Whether one trigger is breached this period (composite triggers evaluate their parts first). */
function triggerBreached(ctx: PeriodContext, trigger: TriggerDef): boolean {
  const known = ctx.triggers.get(trigger.id);
  if (known !== undefined) return known;
  const { deal, period, pool, state } = ctx;
  const part = (id: string): boolean => {
    const def = deal.triggerById.get(id);
    return def ? triggerBreached(ctx, def) : false;
  };
  let breached: boolean;
  switch (trigger.type) {
    case 'cumulativeLoss':
      breached = ratioAbove(
        state.cumulativeLoss + pool.realizedLosses,
        state.originalPoolBalance,
        percentAt(compilePercentSchedule(trigger.thresholdPct), period),
      );
      break;
    case 'delinquency':
      breached = delinquencyBreached(ctx, trigger);
      break;
    case 'overcollateralization': {
      let notes = 0n;
      for (const id of trigger.classes) notes += ctx.ledgers.get(id)?.beginBalance ?? 0n;
      breached =
        notes > 0n &&
        pool.poolBalanceEnd * WHOLE < percentAt(compilePercentSchedule(trigger.minRatioPct), period) * notes;
      break;
    }
    case 'interestCoverage': {
      let due = 0n;
      for (const id of trigger.classes) due += ctx.ledgers.get(id)?.currentInterest ?? 0n;
      breached =
        due > 0n &&
        pool.interest * WHOLE < percentAt(compilePercentSchedule(trigger.minRatioPct), period) * due;
      break;
    }
    case 'twoTimesTest':
      // "Breached" means the test is not met, so `{ not: { trigger } }` is the condition it passes.
      breached = !twoTimesMet(ctx, trigger);
      break;
    case 'stepdownTest':
      breached = !delinquencyAndLossMet(ctx, trigger);
      break;
    case 'any':
      breached = trigger.of.some(part);
      break;
    case 'all':
      breached = trigger.of.every(part);
      break;
  }
  if (trigger.sticky && state.triggers[trigger.id] === true) breached = true;
  ctx.triggers.set(trigger.id, breached);
  return breached;
}

/**
 * Evaluate every trigger for the period into `ctx.triggers`, on the period's collections, ending
 * pool balance and the classes' beginning balances and current interest. A sticky trigger that
 * was breached stays breached.
 */
export function evaluateTriggers(ctx: PeriodContext): void {
  for (const trigger of ctx.deal.triggers) triggerBreached(ctx, trigger);
}

/** Whether a condition holds this period (triggers must have been evaluated). */
export function conditionHolds(ctx: PeriodContext, condition: Condition): boolean {
  if ('trigger' in condition) return ctx.triggers.get(condition.trigger) === true;
  if ('not' in condition) return !conditionHolds(ctx, condition.not);
  if ('all' in condition) return condition.all.every((x) => conditionHolds(ctx, x));
  if ('any' in condition) return condition.any.some((x) => conditionHolds(ctx, x));
  if ('periodAtLeast' in condition) return ctx.period >= condition.periodAtLeast;
  return condition.retired.every((id) => (ctx.ledgers.get(id)?.balance ?? 0n) === 0n);
}
