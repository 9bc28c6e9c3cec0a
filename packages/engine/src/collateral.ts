import { z } from 'zod';

import { EngineInputError, zodIssues } from './errors.js';
import { curveAt, defaultTable, prepaymentTable, type Scenario } from './scenario.js';

const ArmSchema = z.strictObject({
  index: z.string().min(1).describe('index curve name, e.g. "SOFR30A"'),
  marginPct: z.number(),
  initialFixedMonths: z.number().int().min(0).describe('months from origination before the first reset'),
  resetFrequencyMonths: z.number().int().positive().default(12),
  initialCapPct: z
    .number()
    .min(0)
    .optional()
    .describe('max change at the first reset (default: periodic cap)'),
  periodicCapPct: z.number().min(0).optional(),
  periodicFloorPct: z.number().min(0).optional().describe('max decrease at a reset (default: periodic cap)'),
  lifetimeCapPct: z.number().optional(),
  lifetimeFloorPct: z.number().optional(),
  lookbackMonths: z.number().int().min(0).default(0),
  roundingPct: z
    .number()
    .min(0)
    .default(0)
    .describe('round index + margin to the nearest multiple (e.g. 0.125)'),
});

/**
 * One loan, or one representative line (a rep line is a loan with the pool's weighted
 * characteristics). Percent units (6.5 = 6.5% a year); terms in months; balances in major units.
 */
export const LoanSchema = z.strictObject({
  id: z.string().optional(),
  balance: z
    .union([
      z.number().min(0),
      z
        .string()
        .regex(/^\d+(\.\d+)?$/, 'expected a decimal amount')
        .transform(Number),
    ])
    .describe('current principal balance, major units (number or decimal string, e.g. from a loan tape)'),
  couponPct: z.number().min(0).describe('gross note rate (current rate for ARMs)'),
  servicingFeePct: z.number().min(0).default(0),
  otherFeePct: z
    .number()
    .min(0)
    .default(0)
    .describe('trustee/guarantee fee strip; net coupon = gross - strips'),
  originalTerm: z.number().int().positive(),
  remainingTerm: z.number().int().positive(),
  age: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('months since origination (default originalTerm - remainingTerm)'),
  amortizationTerm: z.number().int().positive().optional().describe('> originalTerm makes a balloon'),
  ioMonths: z.number().int().min(0).default(0).describe('interest-only months from origination'),
  arm: ArmSchema.optional(),
});

/** Collateral: loan-level rows or representative lines. */
export const CollateralSchema = z.strictObject({
  loans: z.array(LoanSchema).min(1),
});

export type LoanInput = z.input<typeof LoanSchema>;
export type CollateralInput = z.input<typeof CollateralSchema>;
export type Collateral = z.output<typeof CollateralSchema>;

/** Validate collateral; throws `EngineInputError` naming the path (`collateral.loans[12].remainingTerm`). */
export function parseCollateral(input: unknown, root = 'collateral'): Collateral {
  const r = CollateralSchema.safeParse(input);
  if (!r.success) throw new EngineInputError(zodIssues(root, r.error));
  return r.data;
}

/**
 * Struct-of-arrays view of the loans, the layout the projection loop runs over (one typed array
 * per field keeps the 10k x 360 loop allocation-free).
 */
export interface LoanBook {
  count: number;
  balance: Float64Array;
  rate: Float64Array;
  strip: Float64Array;
  age: Int32Array;
  remTerm: Int32Array;
  amortRem: Int32Array;
  ioRem: Int32Array;
  isArm: Uint8Array;
  armIndex: Int32Array;
  margin: Float64Array;
  initialFixed: Int32Array;
  resetFreq: Int32Array;
  initCap: Float64Array;
  perCap: Float64Array;
  perFloor: Float64Array;
  lifeCap: Float64Array;
  lifeFloor: Float64Array;
  lookback: Int32Array;
  rounding: Float64Array;
  indexNames: string[];
}

/** Build the struct-of-arrays book from validated collateral. */
export function buildLoanBook(c: Collateral): LoanBook {
  const n = c.loans.length;
  const book: LoanBook = {
    count: n,
    balance: new Float64Array(n),
    rate: new Float64Array(n),
    strip: new Float64Array(n),
    age: new Int32Array(n),
    remTerm: new Int32Array(n),
    amortRem: new Int32Array(n),
    ioRem: new Int32Array(n),
    isArm: new Uint8Array(n),
    armIndex: new Int32Array(n),
    margin: new Float64Array(n),
    initialFixed: new Int32Array(n),
    resetFreq: new Int32Array(n),
    initCap: new Float64Array(n),
    perCap: new Float64Array(n),
    perFloor: new Float64Array(n),
    lifeCap: new Float64Array(n),
    lifeFloor: new Float64Array(n),
    lookback: new Int32Array(n),
    rounding: new Float64Array(n),
    indexNames: [],
  };
  const indexIds = new Map<string, number>();
  c.loans.forEach((l, i) => {
    const age = l.age ?? Math.max(0, l.originalTerm - l.remainingTerm);
    const amortTerm = l.amortizationTerm ?? l.originalTerm;
    book.balance[i] = l.balance;
    book.rate[i] = l.couponPct / 100;
    book.strip[i] = (l.servicingFeePct + l.otherFeePct) / 100;
    book.age[i] = age;
    book.remTerm[i] = l.remainingTerm;
    // A fully amortizing loan levels its payment over the remaining term (which may differ from
    // original - age after a modification or for a rep line); a balloon over its amortization term.
    book.amortRem[i] =
      l.amortizationTerm === undefined ? l.remainingTerm : Math.max(l.remainingTerm, amortTerm - age);
    book.ioRem[i] = Math.max(0, l.ioMonths - age);
    const arm = l.arm;
    if (arm) {
      let id = indexIds.get(arm.index);
      if (id === undefined) {
        id = book.indexNames.length;
        indexIds.set(arm.index, id);
        book.indexNames.push(arm.index);
      }
      const per = arm.periodicCapPct ?? Infinity;
      book.isArm[i] = 1;
      book.armIndex[i] = id;
      book.margin[i] = arm.marginPct / 100;
      book.initialFixed[i] = arm.initialFixedMonths;
      book.resetFreq[i] = arm.resetFrequencyMonths;
      book.initCap[i] = (arm.initialCapPct ?? per) / 100;
      book.perCap[i] = per / 100;
      book.perFloor[i] = (arm.periodicFloorPct ?? per) / 100;
      book.lifeCap[i] = (arm.lifetimeCapPct ?? Infinity) / 100;
      book.lifeFloor[i] = (arm.lifetimeFloorPct ?? 0) / 100;
      book.lookback[i] = arm.lookbackMonths;
      book.rounding[i] = arm.roundingPct / 100;
    }
  });
  return book;
}

/**
 * Pool cash flows of a projection in float major units, one entry per period (index 0 unused).
 * `periods` includes the months after the last loan matures in which defaulted loans still
 * liquidate (recovery lag).
 */
export interface PoolFlows {
  periods: number;
  balanceBegin: Float64Array;
  grossInterest: Float64Array;
  /** Net interest (gross minus servicing and other strips), including servicer interest advances. */
  interest: Float64Array;
  servicingFee: Float64Array;
  /** Scheduled principal of performing loans plus advanced scheduled principal of defaulted loans. */
  scheduledPrincipal: Float64Array;
  prepayments: Float64Array;
  newDefaults: Float64Array;
  recoveries: Float64Array;
  losses: Float64Array;
  /** Defaulted loans not yet liquidated at period end (the 60+ delinquency proxy in projections). */
  delinquent: Float64Array;
  balanceEnd: Float64Array;
  /** Index rates (decimal) per period, by index name. */
  indexRates: Map<string, Float64Array>;
}

function indexCurveTable(s: Scenario, name: string, size: number): Float64Array {
  const curve = s.indexCurves[name];
  if (curve === undefined) {
    throw new EngineInputError([
      { path: `scenario.indexCurves.${name}`, message: `missing index curve "${name}"` },
    ]);
  }
  const t = new Float64Array(size);
  for (let k = 0; k < size; k++) t[k] = curveAt(curve, Math.max(1, k)) / 100;
  return t;
}

/**
 * Project the collateral under a scenario (float, major units), loan by loan and month by month,
 * following SIFMA SF-4 (cash flows), SF-5 (PSA) and SF-17/18 (defaults):
 *
 * 1. New defaults = MDR x the prior month's performing balance (SF-18 NEW DEF), none in a loan's
 *    last `recoveryLagMonths` months (SF-17 i); defaulted loans pay nothing (without advances).
 * 2. Scheduled amortization = (prior balance - new defaults) x (1 - SCHAM(i)/SCHAM(i-1)), the
 *    level-payment fraction r / ((1 + r)^k - 1) over the remaining amortization term k (SF-18
 *    ACT AM); zero in interest-only months; the whole balance at maturity (balloon).
 * 3. Voluntary prepayment = SMM x prior balance x SCHAM(i)/SCHAM(i-1), i.e. after that month's
 *    scheduled amortization (SF-18 VOL PREPAY), limited so amortization + defaults + prepayment
 *    never exceed the prior balance (SF-19 c).
 * 4. Interest: (prior balance - new defaults) x note rate / 12 gross, less the strips (net).
 * 5. Liquidation (SF-18): the cohort defaulting in month c liquidates in month c + lag; loss =
 *    min(severity x its balance at default, its amortized default balance), recovery = the rest.
 *    With `principalAndInterest` advancing the servicer advances the cohort's scheduled
 *    amortization in months c .. c + lag - 1 and net interest in months c .. c + lag (FCL
 *    includes the loans liquidating that month); `interest` advances interest only.
 * ARMs reset at age initialFixed + 1 + k x frequency to round(index(n - lookback) + margin),
 * limited by the initial/periodic caps and floors and the lifetime cap/floor, and re-amortize.
 * Checked against the SF-22 cumulative default matrix in the tests.
 */
export function projectCollateral(book: LoanBook, s: Scenario): PoolFlows {
  let maxRem = 0;
  let maxAge = 0;
  for (let i = 0; i < book.count; i++) {
    if ((book.balance[i] ?? 0) > 0) maxRem = Math.max(maxRem, book.remTerm[i] ?? 0);
    maxAge = Math.max(maxAge, book.age[i] ?? 0);
  }
  const horizon = Math.min(maxRem, s.horizonMonths ?? Infinity);
  const lag = s.default ? s.recoveryLagMonths : 0;
  const periods = s.horizonMonths === undefined ? horizon + lag : horizon;
  const size = periods + 1;
  const tableSize = Math.max(size, maxAge + size + 1);
  const smm = prepaymentTable(s, tableSize);
  const mdr = defaultTable(s, tableSize);
  const hasDefaults = s.default !== undefined;

  const f: PoolFlows = {
    periods,
    balanceBegin: new Float64Array(size),
    grossInterest: new Float64Array(size),
    interest: new Float64Array(size),
    servicingFee: new Float64Array(size),
    scheduledPrincipal: new Float64Array(size),
    prepayments: new Float64Array(size),
    newDefaults: new Float64Array(size),
    recoveries: new Float64Array(size),
    losses: new Float64Array(size),
    delinquent: new Float64Array(size),
    balanceEnd: new Float64Array(size),
    indexRates: new Map(),
  };
  // Loan indexes must have a curve; other scenario curves are passed through for floating classes.
  for (const name of book.indexNames) f.indexRates.set(name, indexCurveTable(s, name, size));
  for (const name of Object.keys(s.indexCurves)) {
    if (!f.indexRates.has(name)) f.indexRates.set(name, indexCurveTable(s, name, size));
  }
  const indexTables = book.indexNames.map((name) => f.indexRates.get(name) ?? new Float64Array(size));

  // Cohort of loans defaulting in month c: balance, balance-weighted rate, strip and amortization term.
  const cohortBal = new Float64Array(size);
  const cohortRateW = new Float64Array(size);
  const cohortStripW = new Float64Array(size);
  const cohortTermW = new Float64Array(size);

  const bal = book.balance.slice();
  const rate = book.rate.slice();
  const { strip, age: age0, remTerm, amortRem, ioRem, isArm } = book;
  const smmT = smm.monthly;
  const mdrT = mdr.monthly;
  const n = book.count;

  // growth[i] = (1 + r/12)^k for the loan's k remaining amortization months, kept incrementally
  // (divided by 1 + r/12 each month, recomputed when an ARM resets) so the level-payment
  // principal B m / ((1 + m)^k - 1) needs no Math.pow in the loop.
  const growth = new Float64Array(n);
  for (let i = 0; i < n; i++) growth[i] = Math.pow(1 + (rate[i] as number) / 12, amortRem[i] as number);
  const smmByAge = smm.byAge;
  const mdrByAge = mdr.byAge;

  let perfBegin = 0;
  for (let i = 0; i < n; i++) perfBegin += bal[i] ?? 0;

  for (let p = 1; p <= horizon; p++) {
    let sGross = 0;
    let sNet = 0;
    let sSched = 0;
    let sPrepay = 0;
    let sDef = 0;
    let sDefRate = 0;
    let sDefStrip = 0;
    let sDefTerm = 0;
    let sEnd = 0;
    for (let i = 0; i < n; i++) {
      const b = bal[i] as number;
      if (b <= 0) continue;
      const age = (age0[i] as number) + p;
      let r = rate[i] as number;
      const k = (amortRem[i] as number) - p + 1;
      if (isArm[i] === 1) {
        const reset = resetArm(book, indexTables, rate, i, age, p, r);
        if (reset !== r) {
          r = reset;
          growth[i] = Math.pow(1 + r / 12, k);
        }
      }
      const m = r / 12;
      const g = growth[i] as number;
      growth[i] = g / (1 + m);
      const left = (remTerm[i] as number) - p + 1;
      // Scheduled amortization fraction of the month, 1 - SCHAM(i)/SCHAM(i-1).
      let amort: number;
      if (left <= 1 || k <= 1) amort = 1;
      else if (p <= (ioRem[i] as number)) amort = 0;
      else if (m === 0) amort = 1 / k;
      else amort = m / (g - 1);
      // SIFMA SF-17/18: no new defaults in the last `lag` months; defaults come off the prior
      // performing balance before amortization, prepayments off it after amortization.
      let d = 0;
      if (hasDefaults && left > lag) {
        d = b * (mdrT[mdrByAge ? age : p] as number);
        if (d > 0) {
          sDef += d;
          sDefRate += d * r;
          sDefStrip += d * (strip[i] as number);
          sDefTerm += d * Math.max(1, k);
        }
      }
      const surviving = b - d;
      const gross = surviving * m;
      const netRate = r - (strip[i] as number);
      sGross += gross;
      sNet += netRate > 0 ? (surviving * netRate) / 12 : 0;
      const sched = surviving * amort;
      let prepay = b * (1 - amort) * (smmT[smmByAge ? age : p] as number);
      if (prepay > surviving - sched) prepay = surviving - sched;
      const end = surviving - sched - prepay;
      sSched += sched;
      sPrepay += prepay;
      sEnd += end;
      bal[i] = end;
    }
    f.balanceBegin[p] = perfBegin;
    f.grossInterest[p] = sGross;
    f.interest[p] = sNet;
    f.servicingFee[p] = sGross - sNet;
    f.scheduledPrincipal[p] = sSched;
    f.prepayments[p] = sPrepay;
    f.newDefaults[p] = sDef;
    cohortBal[p] = sDef;
    if (sDef > 0) {
      cohortRateW[p] = sDefRate / sDef;
      cohortStripW[p] = sDefStrip / sDef;
      cohortTermW[p] = sDefTerm / sDef;
    }
    f.balanceEnd[p] = sEnd; // performing only; the pipeline is added below
    perfBegin = sEnd;
  }

  // Liquidation pipeline at pool level: O(periods x lag).
  const sev = s.severityPct / 100;
  let pipeline = 0;
  for (let p = 1; p <= periods; p++) {
    const perfStart = p <= horizon ? (f.balanceBegin[p] as number) : 0;
    const begin = perfStart + pipeline;
    let advInt = 0;
    let advPrin = 0;
    let rec = 0;
    let loss = 0;
    for (let c = Math.max(1, p - lag); c <= p && c <= horizon; c++) {
      const cb = cohortBal[c] as number;
      if (cb <= 0) continue;
      const r = cohortRateW[c] as number;
      // SF-18: with advances, investors get expected interest on loans in foreclosure, including
      // in the month they liquidate (FCL(i-1) holds them).
      if (s.advancing !== 'none') advInt += (cb * Math.max(0, r - (cohortStripW[c] as number))) / 12;
      if (c + lag === p) {
        // SF-18: loss = min(severity x balance at default, amortized default balance); the rest is recovered.
        const l = Math.min(sev * (f.newDefaults[c] as number), cb);
        rec += cb - l;
        loss += l;
        cohortBal[c] = 0;
        continue;
      }
      if (s.advancing !== 'none') {
        if (s.advancing === 'principalAndInterest') {
          const k = Math.round(cohortTermW[c] as number) - (p - c);
          const m = r / 12;
          const sp = k <= 1 ? cb : m === 0 ? cb / k : (cb * m) / (Math.pow(1 + m, k) - 1);
          advPrin += sp;
          cohortBal[c] = cb - sp;
        }
      }
    }
    pipeline = 0;
    for (let c = Math.max(1, p - lag + 1); c <= p && c <= horizon; c++) pipeline += cohortBal[c] as number;
    const perfEnd = p <= horizon ? (f.balanceEnd[p] as number) : 0;
    f.balanceBegin[p] = begin;
    f.interest[p] = (f.interest[p] as number) + advInt;
    f.scheduledPrincipal[p] = (f.scheduledPrincipal[p] as number) + advPrin;
    f.recoveries[p] = rec;
    f.losses[p] = loss;
    f.delinquent[p] = pipeline;
    f.balanceEnd[p] = perfEnd + pipeline;
  }
  return f;
}

function resetArm(
  book: LoanBook,
  indexTables: Float64Array[],
  rate: Float64Array,
  i: number,
  age: number,
  p: number,
  current: number,
): number {
  const fixed = book.initialFixed[i] as number;
  const freq = book.resetFreq[i] as number;
  if (age <= fixed || (age - fixed - 1) % freq !== 0) return current;
  const table = indexTables[book.armIndex[i] as number];
  if (!table) return current;
  const at = Math.max(1, p - (book.lookback[i] as number));
  let target = (table[Math.min(at, table.length - 1)] as number) + (book.margin[i] as number);
  const step = book.rounding[i] as number;
  if (step > 0) target = Math.round(target / step) * step;
  const first = age === fixed + 1;
  const up = first ? (book.initCap[i] as number) : (book.perCap[i] as number);
  const down = first ? (book.initCap[i] as number) : (book.perFloor[i] as number);
  target = Math.min(target, current + up);
  target = Math.max(target, current - down);
  target = Math.min(target, book.lifeCap[i] as number);
  target = Math.max(target, book.lifeFloor[i] as number, 0);
  rate[i] = target;
  return target;
}
