import { z } from 'zod';

import { ISO_DATE_RE } from './dates.js';
import { EngineInputError, zodIssues } from './errors.js';
import { mdrFromCdr, psaCpr, sdaCdr, smmFromCpr } from './sifma.js';

/** A per-period vector (period 1 first; the last value is carried forward) or a constant. */
const Curve = z.union([z.number().finite(), z.array(z.number().finite()).min(1)]);

/**
 * A deal's own prepayment curve ("100% PPC"): CPR in percent at loan ages (months since
 * origination), interpolated linearly between the points and flat before the first and after
 * the last. "4% CPR in month 1, rising by 12/11% a month to 16% in month 12, then flat" is
 * `[{ month: 1, cprPct: 4 }, { month: 12, cprPct: 16 }]`; a jump is two points a month apart.
 */
const PpcCurve = z
  .array(z.strictObject({ month: z.number().int().positive(), cprPct: z.number().min(0).max(100) }))
  .min(1)
  .refine((points) => points.every((x, i) => i === 0 || x.month > (points[i - 1]?.month ?? 0)), {
    message: 'months must increase',
  });
export type PpcCurveValue = z.infer<typeof PpcCurve>;

const PrepaymentSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('CPR'),
    cpr: Curve.describe('annual CPR in percent, constant or per period'),
  }),
  z.strictObject({
    type: z.literal('PSA'),
    speed: z.number().min(0).describe('PSA multiple in percent, 100 = 100% PSA'),
  }),
  z.strictObject({
    type: z.literal('SMM'),
    smm: Curve.describe('monthly SMM in percent, constant or per period'),
  }),
  z.strictObject({
    type: z.literal('PPC'),
    speed: z.number().min(0).describe('percent of the prospectus prepayment curve, 100 = 100% PPC'),
    fixed: PpcCurve.describe('100% PPC for fixed-rate loans, by loan age'),
    adjustable: PpcCurve.optional().describe('100% PPC for adjustable-rate loans (default: the fixed curve)'),
  }),
]);

const DefaultSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('CDR'),
    cdr: Curve.describe('annual CDR in percent, constant or per period'),
  }),
  z.strictObject({ type: z.literal('SDA'), speed: z.number().min(0).describe('SDA multiple in percent') }),
]);

const ConventionsSchema = z.strictObject({
  settlementDate: z.string().regex(ISO_DATE_RE, 'expected YYYY-MM-DD').optional(),
  walFrom: z.enum(['settlement', 'cutoff', 'periodIndex']).default('settlement'),
  walDayCount: z.enum(['30/360', 'ACT/360', 'ACT/365', 'ACT/365.25']).default('30/360'),
  walWeights: z.enum(['netReduction', 'principalPaid']).default('netReduction'),
});

/**
 * Zod schema of a projection scenario ("what-if"). Percent units throughout (6 = 6%).
 *
 * - `prepayment`: CPR (constant or per-period vector), PSA multiple (ramp on loan age), SMM, or a
 *   percentage of the deal's own prospectus prepayment curve (PPC, on loan age, with separate
 *   fixed and adjustable curves).
 * - `default`: CDR (constant or per-period vector) or SDA multiple (ramp on loan age); omitted = none.
 * - `severityPct` (default 0), `recoveryLagMonths` (default 0): loss on liquidation and its delay.
 * - `advancing`: servicer advances on defaulted loans until liquidation: `none` (default),
 *   `interest`, or `principalAndInterest` (scheduled P&I, as SIFMA SF-18 assumes).
 * - `indexCurves`: index name -> rate in percent (constant or per period) for ARMs and floaters.
 * - `horizonMonths`: stop the projection early (default: until the pool pays off).
 * - `cleanUpCallPct`: "to call" projections: in the first period the pool balance ends at or
 *   below this % of the original balance, the remaining collateral is bought at par (paid as
 *   prepayments) and the projection stops.
 * - `conventions`: WAL conventions, see `docs/engine.md` (defaults: from the settlement date to
 *   each distribution date, 30/360, weighting by net balance reductions).
 */
export const ScenarioSchema = z.strictObject({
  name: z.string().optional(),
  prepayment: PrepaymentSchema.default({ type: 'CPR', cpr: 0 }),
  default: DefaultSchema.optional(),
  severityPct: z.number().min(0).max(100).default(0),
  recoveryLagMonths: z.number().int().min(0).max(120).default(0),
  advancing: z.enum(['none', 'interest', 'principalAndInterest']).default('none'),
  indexCurves: z.record(z.string(), Curve).default({}),
  horizonMonths: z.number().int().positive().max(1200).optional(),
  cleanUpCallPct: z
    .number()
    .min(0)
    .max(100)
    .optional()
    .describe('exercise the clean-up call when the pool falls to this % of its original balance'),
  conventions: ConventionsSchema.default({
    walFrom: 'settlement',
    walDayCount: '30/360',
    walWeights: 'netReduction',
  }),
});

/** A grid of scenarios (e.g. PSA 50..500 x CDR 0..6) for `projectScenarios`; at most 500. */
export const ScenarioGridSchema = z.array(ScenarioSchema).min(1).max(500);

export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type Scenario = z.output<typeof ScenarioSchema>;

/** Validate a scenario; throws `EngineInputError` naming the path (`scenario.prepayment.speed`). */
export function parseScenario(input: unknown, root = 'scenario'): Scenario {
  const r = ScenarioSchema.safeParse(input);
  if (!r.success) throw new EngineInputError(zodIssues(root, r.error));
  return r.data;
}

/** Value of a curve at period n (1-based); vectors carry their last value forward. */
export function curveAt(curve: number | readonly number[], n: number): number {
  if (typeof curve === 'number') return curve;
  const i = Math.min(Math.max(n - 1, 0), curve.length - 1);
  return curve[i] ?? 0;
}

/**
 * A monthly rate table: `byAge` tables are indexed by loan age in months (PSA, SDA), otherwise by
 * projection period (CPR/CDR/SMM vectors; Intex's convention for vectors).
 */
export interface RateTable {
  byAge: boolean;
  monthly: Float64Array;
  /** Adjustable-rate loans' table when it differs (a PPC with its own ARM curve). */
  adjustable?: Float64Array;
}

/**
 * CPR (decimal) of a PPC curve at loan age `month`: linear between the curve's points, flat
 * outside them, times speed/100, at most 100%.
 */
export function ppcCpr(curve: PpcCurveValue, month: number, speed: number): number {
  const first = curve[0];
  if (!first) return 0;
  let cpr = first.cprPct;
  for (let i = 1; i < curve.length; i++) {
    const a = curve[i - 1];
    const b = curve[i];
    if (!a || !b) break;
    if (month >= b.month) cpr = b.cprPct;
    else {
      if (month > a.month) cpr = a.cprPct + ((b.cprPct - a.cprPct) * (month - a.month)) / (b.month - a.month);
      break;
    }
  }
  return Math.min(1, (cpr / 100) * (speed / 100));
}

/** Monthly prepayment (SMM) table of a scenario, for ages/periods 0..size-1. */
export function prepaymentTable(s: Scenario, size: number): RateTable {
  const monthly = new Float64Array(size);
  const p = s.prepayment;
  if (p.type === 'PPC') {
    const adjustable = p.adjustable ? new Float64Array(size) : undefined;
    for (let k = 1; k < size; k++) {
      monthly[k] = smmFromCpr(ppcCpr(p.fixed, k, p.speed));
      if (adjustable && p.adjustable) adjustable[k] = smmFromCpr(ppcCpr(p.adjustable, k, p.speed));
    }
    return adjustable ? { byAge: true, monthly, adjustable } : { byAge: true, monthly };
  }
  for (let k = 1; k < size; k++) {
    if (p.type === 'PSA') monthly[k] = smmFromCpr(psaCpr(k, p.speed));
    else if (p.type === 'CPR') monthly[k] = smmFromCpr(curveAt(p.cpr, k) / 100);
    else monthly[k] = Math.min(1, Math.max(0, curveAt(p.smm, k) / 100));
  }
  return { byAge: p.type === 'PSA', monthly };
}

/** Monthly default rate (MDR) table of a scenario; all zeros when no default assumption. */
export function defaultTable(s: Scenario, size: number): RateTable {
  const monthly = new Float64Array(size);
  const d = s.default;
  if (!d) return { byAge: false, monthly };
  for (let k = 1; k < size; k++) {
    monthly[k] = d.type === 'SDA' ? mdrFromCdr(sdaCdr(k, d.speed)) : mdrFromCdr(curveAt(d.cdr, k) / 100);
  }
  return { byAge: d.type === 'SDA', monthly };
}
