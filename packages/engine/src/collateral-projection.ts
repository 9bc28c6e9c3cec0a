import { resetArm } from './arm-reset.js';
import type { LoanBook } from './collateral.js';
import { EngineInputError } from './errors.js';
import { curveAt, defaultTable, prepaymentTable, type RateTable, type Scenario } from './scenario.js';

/*
 * The collateral model: loan-level (or rep-line) cash flows under a scenario, month by month, in
 * float major units. Performing loans amortize, prepay and default loan by loan; defaulted loans
 * liquidate as monthly cohorts at pool level after the recovery lag.
 */

/**
 * Pool cash flows of a projection in float major units, one entry per period (index 0 unused).
 * Unless `horizonMonths` cuts the projection short, `periods` includes the months after the
 * last loan matures in which defaulted loans still liquidate (recovery lag).
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

/** How far a projection runs. */
interface Horizon {
  /** Months performing loans are projected (to the last maturity or `horizonMonths`). */
  loanMonths: number;
  /** Periods reported: the loan months plus the recovery lag, unless `horizonMonths` is set. */
  periods: number;
  /** Recovery lag in months (0 without a default assumption). */
  lag: number;
  /** Oldest loan age, which sizes the by-age rate tables. */
  maxAge: number;
}

/**
 * Loans defaulting in month c, pooled: balance still to liquidate, and the balance-weighted note
 * rate, strip and remaining amortization term at default (what advances are computed from).
 */
interface DefaultCohorts {
  balance: Float64Array;
  rate: Float64Array;
  strip: Float64Array;
  term: Float64Array;
}

/** Read-only inputs of the loan-by-loan run; the book itself is never changed. */
interface LoanRun {
  book: LoanBook;
  /** Index curve of each ARM index id, per period. */
  indexTables: Float64Array[];
  smm: RateTable;
  mdr: RateTable;
  hasDefaults: boolean;
  lag: number;
  /** Months performing loans are projected. */
  loanMonths: number;
}

/*
 * Per-period totals over the performing loans, accumulated loan by loan into one array with the
 * month's fields side by side (month p at p * MONTH_FIELDS): one array and one cache line per
 * month instead of nine. Each total receives its loans' amounts in loan order, the same
 * additions in the same order as a month-by-month sum, so the floats are identical bit for bit.
 */
const GROSS = 0;
const NET = 1;
const SCHEDULED = 2;
const PREPAID = 3;
const END = 4;
const DEFAULTS = 5;
/** Default-weighted sums of note rate, strip and amortization term (divided by DEFAULTS later). */
const DEFAULT_RATE = 6;
const DEFAULT_STRIP = 7;
const DEFAULT_TERM = 8;
const MONTH_FIELDS = 9;

function projectionHorizon(book: LoanBook, s: Scenario): Horizon {
  let maxRemaining = 0;
  let maxAge = 0;
  for (let i = 0; i < book.count; i++) {
    if ((book.balance[i] ?? 0) > 0) maxRemaining = Math.max(maxRemaining, book.remainingTerm[i] ?? 0);
    maxAge = Math.max(maxAge, book.age[i] ?? 0);
  }
  const loanMonths = Math.min(maxRemaining, s.horizonMonths ?? Infinity);
  const lag = s.default ? s.recoveryLagMonths : 0;
  const periods = s.horizonMonths === undefined ? loanMonths + lag : loanMonths;
  return { loanMonths, periods, lag, maxAge };
}

function emptyPoolFlows(periods: number): PoolFlows {
  const size = periods + 1;
  return {
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
 * Index rates per period: every ARM's index must have a curve (throws `EngineInputError`
 * otherwise); the scenario's other curves are passed through for floating classes.
 */
function addIndexRates(flows: PoolFlows, book: LoanBook, s: Scenario): void {
  const size = flows.periods + 1;
  for (const name of book.indexNames) flows.indexRates.set(name, indexCurveTable(s, name, size));
  for (const name of Object.keys(s.indexCurves)) {
    if (!flows.indexRates.has(name)) flows.indexRates.set(name, indexCurveTable(s, name, size));
  }
}

function startLoanRun(book: LoanBook, s: Scenario, horizon: Horizon, flows: PoolFlows): LoanRun {
  const size = horizon.periods + 1;
  const tableSize = Math.max(size, horizon.maxAge + size + 1);
  return {
    book,
    indexTables: book.indexNames.map((name) => flows.indexRates.get(name) ?? new Float64Array(size)),
    smm: prepaymentTable(s, tableSize),
    mdr: defaultTable(s, tableSize),
    hasDefaults: s.default !== undefined,
    lag: horizon.lag,
    loanMonths: horizon.loanMonths,
  };
}

/**
 * The first age after `startAge` at which an ARM resets (ages initialFixed + 1 + k x frequency),
 * so the monthly loop compares ages instead of taking a remainder every month.
 */
function firstResetAge(startAge: number, fixed: number, frequency: number): number {
  const first = Math.max(startAge + 1, fixed + 1);
  const past = (first - fixed - 1) % frequency;
  return past === 0 ? first : first + frequency - past;
}

/**
 * One performing loan through every month of the run (steps 1-4 of `projectCollateral`): new
 * defaults, scheduled amortization, voluntary prepayment and interest, with ARM resets; adds
 * its amounts to the month totals. Running a loan's months back to back keeps its state
 * (balance, rate, growth factor) in locals instead of reloading ~20 arrays every loan-month.
 */
function projectLoan(run: LoanRun, i: number, totals: Float64Array): void {
  const { book, indexTables, hasDefaults, lag, loanMonths } = run;
  let b = book.balance[i] as number;
  if (b <= 0) return;
  const isArm = book.isArm[i] === 1;
  const strip = book.strip[i] as number;
  const startAge = book.age[i] as number;
  const remainingTerm = book.remainingTerm[i] as number;
  const amortizationTerm = book.remainingAmortizationTerm[i] as number;
  const ioMonthsLeft = book.interestOnlyMonthsLeft[i] as number;
  const frequency = book.resetFrequencyMonths[i] as number;
  let nextReset = isArm ? firstResetAge(startAge, book.initialFixedMonths[i] as number, frequency) : Infinity;
  // A PPC may give adjustable-rate loans their own curve.
  const smm = isArm ? (run.smm.adjustable ?? run.smm.monthly) : run.smm.monthly;
  const mdr = run.mdr.monthly;
  // Tables by age are read at startAge + p, tables by period at p.
  const smmOffset = run.smm.byAge ? startAge : 0;
  const mdrOffset = run.mdr.byAge ? startAge : 0;
  let r = book.rate[i] as number;
  let m = r / 12;
  let onePlusM = 1 + m;
  let netRate = r - strip;
  /*
   * (1 + r/12)^k for the loan's k remaining amortization months, kept incrementally (divided by
   * 1 + r/12 each month, recomputed when an ARM resets) so the level-payment principal
   * B m / ((1 + m)^k - 1) needs no Math.pow in the loop.
   */
  let g = Math.pow(onePlusM, amortizationTerm);
  // The month whose payment retires the loan: its maturity, or the end of its amortization term
  // if that comes first (months left <= 1 either way).
  const lastMonth = Math.min(remainingTerm, amortizationTerm);
  // No new defaults in the loan's last `lag` months (SIFMA SF-17 i): months left > lag.
  const defaultsThrough = hasDefaults ? remainingTerm - lag : 0;
  let p = 1;
  for (;;) {
    // The months before the next reset (all of them for a fixed-rate loan) run in a loop with no
    // calls in it, which lets the compiler keep the loan's values in registers throughout.
    const stop = Math.min(loanMonths, nextReset - startAge - 1);
    for (; p <= stop; p++) {
      const growth = g;
      g = growth / onePlusM;
      // Scheduled amortization fraction of the month, 1 - SCHAM(i)/SCHAM(i-1).
      let amort: number;
      if (p >= lastMonth) amort = 1;
      else if (p <= ioMonthsLeft) amort = 0;
      else if (m === 0) amort = 1 / (amortizationTerm - p + 1);
      else amort = m / (growth - 1);
      const at = p * MONTH_FIELDS;
      // SIFMA SF-17/18: defaults come off the prior performing balance before amortization,
      // prepayments off it after amortization.
      let d = 0;
      if (p <= defaultsThrough) {
        d = b * (mdr[mdrOffset + p] as number);
        if (d > 0) {
          totals[at + DEFAULTS] = (totals[at + DEFAULTS] as number) + d;
          totals[at + DEFAULT_RATE] = (totals[at + DEFAULT_RATE] as number) + d * r;
          totals[at + DEFAULT_STRIP] = (totals[at + DEFAULT_STRIP] as number) + d * strip;
          totals[at + DEFAULT_TERM] =
            (totals[at + DEFAULT_TERM] as number) + d * Math.max(1, amortizationTerm - p + 1);
        }
      }
      const surviving = b - d;
      totals[at + GROSS] = (totals[at + GROSS] as number) + surviving * m;
      totals[at + NET] = (totals[at + NET] as number) + (netRate > 0 ? (surviving * netRate) / 12 : 0);
      const scheduled = surviving * amort;
      let prepaid = b * (1 - amort) * (smm[smmOffset + p] as number);
      if (prepaid > surviving - scheduled) prepaid = surviving - scheduled;
      const end = surviving - scheduled - prepaid;
      totals[at + SCHEDULED] = (totals[at + SCHEDULED] as number) + scheduled;
      totals[at + PREPAID] = (totals[at + PREPAID] as number) + prepaid;
      totals[at + END] = (totals[at + END] as number) + end;
      b = end;
      // A paid-off loan stays paid off.
      if (b <= 0) return;
    }
    if (p > loanMonths) return;
    // An ARM resets in month p: index + margin within its caps, re-amortized over what is left.
    nextReset += frequency;
    const reset = resetArm(book, indexTables, i, startAge + p, p, r);
    if (reset !== r) {
      r = reset;
      m = r / 12;
      onePlusM = 1 + m;
      netRate = r - strip;
      g = Math.pow(onePlusM, amortizationTerm - p + 1);
    }
  }
}

/**
 * Steps 1-4 of `projectCollateral` for every performing loan, then the month totals into the
 * flows (performing balances only; `liquidateDefaultCohorts` adds the pipeline) and the default
 * cohorts.
 */
function projectPerformingLoans(
  run: LoanRun,
  performingBegin: number,
  flows: PoolFlows,
  cohorts: DefaultCohorts,
): void {
  const totals = new Float64Array((run.loanMonths + 1) * MONTH_FIELDS);
  for (let i = 0; i < run.book.count; i++) projectLoan(run, i, totals);
  let begin = performingBegin;
  for (let p = 1; p <= run.loanMonths; p++) {
    const at = p * MONTH_FIELDS;
    const gross = totals[at + GROSS] as number;
    const net = totals[at + NET] as number;
    const defaults = totals[at + DEFAULTS] as number;
    const end = totals[at + END] as number;
    flows.balanceBegin[p] = begin;
    flows.grossInterest[p] = gross;
    flows.interest[p] = net;
    flows.servicingFee[p] = gross - net;
    flows.scheduledPrincipal[p] = totals[at + SCHEDULED] as number;
    flows.prepayments[p] = totals[at + PREPAID] as number;
    flows.newDefaults[p] = defaults;
    cohorts.balance[p] = defaults;
    if (defaults > 0) {
      cohorts.rate[p] = (totals[at + DEFAULT_RATE] as number) / defaults;
      cohorts.strip[p] = (totals[at + DEFAULT_STRIP] as number) / defaults;
      cohorts.term[p] = (totals[at + DEFAULT_TERM] as number) / defaults;
    }
    flows.balanceEnd[p] = end;
    begin = end;
  }
}

/**
 * Step 5 of `projectCollateral`, at pool level in O(periods x lag): each cohort liquidates
 * `lag` months after it defaulted; until then it is in the pipeline (the delinquency proxy),
 * its interest (and with P&I advancing its scheduled amortization) advanced by the servicer.
 * Adds the pipeline to the pool balances and the advances to interest and scheduled principal.
 */
function liquidateDefaultCohorts(
  s: Scenario,
  horizon: Horizon,
  flows: PoolFlows,
  cohorts: DefaultCohorts,
): void {
  const { loanMonths, periods, lag } = horizon;
  const severity = s.severityPct / 100;
  let pipeline = 0;
  for (let p = 1; p <= periods; p++) {
    const performingBegin = p <= loanMonths ? (flows.balanceBegin[p] as number) : 0;
    const begin = performingBegin + pipeline;
    let advancedInterest = 0;
    let advancedPrincipal = 0;
    let recovered = 0;
    let lost = 0;
    for (let c = Math.max(1, p - lag); c <= p && c <= loanMonths; c++) {
      const cohortBalance = cohorts.balance[c] as number;
      if (cohortBalance <= 0) continue;
      const r = cohorts.rate[c] as number;
      // SF-18: with advances, investors get expected interest on loans in foreclosure, including
      // in the month they liquidate (FCL(i-1) holds them).
      if (s.advancing !== 'none') {
        advancedInterest += (cohortBalance * Math.max(0, r - (cohorts.strip[c] as number))) / 12;
      }
      if (c + lag === p) {
        // SF-18: loss = min(severity x balance at default, amortized default balance); the rest is recovered.
        const loss = Math.min(severity * (flows.newDefaults[c] as number), cohortBalance);
        recovered += cohortBalance - loss;
        lost += loss;
        cohorts.balance[c] = 0;
        continue;
      }
      if (s.advancing === 'principalAndInterest') {
        const k = Math.round(cohorts.term[c] as number) - (p - c);
        const m = r / 12;
        const scheduled =
          k <= 1
            ? cohortBalance
            : m === 0
              ? cohortBalance / k
              : (cohortBalance * m) / (Math.pow(1 + m, k) - 1);
        advancedPrincipal += scheduled;
        cohorts.balance[c] = cohortBalance - scheduled;
      }
    }
    pipeline = 0;
    for (let c = Math.max(1, p - lag + 1); c <= p && c <= loanMonths; c++)
      pipeline += cohorts.balance[c] as number;
    const performingEnd = p <= loanMonths ? (flows.balanceEnd[p] as number) : 0;
    flows.balanceBegin[p] = begin;
    flows.interest[p] = (flows.interest[p] as number) + advancedInterest;
    flows.scheduledPrincipal[p] = (flows.scheduledPrincipal[p] as number) + advancedPrincipal;
    flows.recoveries[p] = recovered;
    flows.losses[p] = lost;
    flows.delinquent[p] = pipeline;
    flows.balanceEnd[p] = performingEnd + pipeline;
  }
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
  const horizon = projectionHorizon(book, s);
  const flows = emptyPoolFlows(horizon.periods);
  addIndexRates(flows, book, s);
  const run = startLoanRun(book, s, horizon, flows);
  const size = horizon.periods + 1;
  const cohorts: DefaultCohorts = {
    balance: new Float64Array(size),
    rate: new Float64Array(size),
    strip: new Float64Array(size),
    term: new Float64Array(size),
  };
  let performing = 0;
  for (let i = 0; i < book.count; i++) performing += book.balance[i] ?? 0;
  projectPerformingLoans(run, performing, flows, cohorts);
  liquidateDefaultCohorts(s, horizon, flows, cohorts);
  return flows;
}
