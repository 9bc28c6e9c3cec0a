import { projectGroupedPool } from './collateral-groups.js';
import { projectCollateral } from './collateral-projection.js';
import {
  buildLoanBook,
  parseCollateral,
  type Collateral,
  type CollateralInput,
  type LoanBook,
} from './collateral.js';
import { addDays, addMonths, formatDate, parseDate, yearFraction, type YMD } from './dates.js';
import { EngineInputError } from './errors.js';
import { pctToScaled, toMinor, WHOLE } from './money.js';
import { poolPeriodsFromFlows, type PoolPeriod } from './pool.js';
import { parseWaterfallRules } from './rule-validation.js';
import type { RuleDocument, RuleDocumentInput } from './rules.js';
import { parseScenario, ScenarioSchema, type Scenario, type ScenarioInput } from './scenario.js';
import {
  compileDeal,
  initialDealState,
  runPeriod,
  type ClassPeriod,
  type CompiledDeal,
  type DealState,
  type PeriodSummary,
} from './waterfall.js';

/** Per-class results of a projection. Money in minor units (bigint). */
export interface ClassProjection {
  classId: string;
  originalBalance: bigint;
  rows: ClassPeriod[];
  /** Weighted average life in years under the scenario's conventions; null if no principal is paid. */
  wal: number | null;
  /** First and last periods with principal paid (the principal window); null if none. */
  principalWindow: { first: number; last: number; firstDate?: string; lastDate?: string } | null;
  totalInterest: bigint;
  totalPrincipal: bigint;
  totalAccreted: bigint;
  totalWritedown: bigint;
  /**
   * Prospectus-style decrement table: percent of the original balance outstanding after every
   * twelfth distribution (period 12, 24, ...), unrounded. Notional classes use their notional.
   */
  decrement: { period: number; date?: string; pctOutstanding: number }[];
  finalBalance: bigint;
}

/** The resolved conventions a projection's WALs were computed under. */
export interface ResolvedConventions {
  walFrom: 'settlement' | 'cutoff' | 'periodIndex';
  walDayCount: string;
  walWeights: 'netReduction' | 'principalPaid';
  cutoffDate: string;
  settlementDate: string;
  firstPaymentDate: string;
  /** True when the rule document had no dates and the synthetic calendar was used. */
  syntheticDates: boolean;
}

export interface ProjectionResult {
  scenario: Scenario;
  conventions: ResolvedConventions;
  /** Per period: pool collections, fees, trigger states, accounts, residual, conservation totals. */
  periods: PeriodSummary[];
  classes: ClassProjection[];
  /** Weighted average life of the collateral principal (scheduled + prepaid + recovered), same conventions. */
  poolWal: number | null;
  finalState: DealState;
}

/** Collateral and rules validated and compiled once, reusable across scenarios. */
export interface PreparedDeal {
  collateral: Collateral;
  book: LoanBook;
  rules: RuleDocument;
  /** Compiled rules (with collar schedules) for projections from closing, filled on first use. */
  compiledAtClosing?: CompiledDeal;
}

/**
 * Validate collateral and a rule document once (zod + semantic checks) and build the loan book.
 * Throws `EngineInputError` naming the path of the first problem.
 */
export function prepareDeal(
  collateral: CollateralInput | Collateral,
  rules: RuleDocumentInput | RuleDocument | string,
): PreparedDeal {
  const c = parseCollateral(collateral);
  return { collateral: c, book: buildLoanBook(c), rules: parseWaterfallRules(rules) };
}

const SYNTHETIC_CUTOFF = '2000-01-01';

function calendar(doc: RuleDocument): { cutoff: YMD; first: YMD; closing: YMD; synthetic: boolean } {
  const d = doc.dates;
  const cutoff = parseDate(d?.cutoffDate ?? SYNTHETIC_CUTOFF);
  const delay = (d?.statedDelayDays ?? 55) - 1;
  const first = d?.firstPaymentDate
    ? parseDate(d.firstPaymentDate)
    : addDays(addMonths(cutoff, Math.floor(delay / 30)), delay % 30);
  const closing = d?.closingDate ? parseDate(d.closingDate) : cutoff;
  return { cutoff, first, closing, synthetic: d === undefined };
}

/**
 * Schedule balances from a PSA collar: project the collateral (no defaults) at the low and high
 * speeds; the scheduled principal of period n is the smaller of the two collateral principal
 * payments; the target balance after period n is max(0, classes' original total - cumulative
 * scheduled principal), rounded to minor units.
 */
export function collarSchedule(
  book: LoanBook,
  low: number,
  high: number,
  total: bigint,
  minorDigits: number,
): bigint[] {
  const base = ScenarioSchema.parse({});
  const a = projectCollateral(book, { ...base, prepayment: { type: 'PSA', speed: low } });
  const b = projectCollateral(book, { ...base, prepayment: { type: 'PSA', speed: high } });
  const periods = Math.max(a.periods, b.periods);
  const scale = 10 ** minorDigits;
  const out: bigint[] = [];
  let cum = 0;
  for (let p = 1; p <= periods; p++) {
    const pa = (a.scheduledPrincipal[p] ?? 0) + (a.prepayments[p] ?? 0);
    const pb = (b.scheduledPrincipal[p] ?? 0) + (b.prepayments[p] ?? 0);
    cum += Math.min(pa, pb);
    const left = total - BigInt(Math.round(cum * scale));
    out.push(left > 0n ? left : 0n);
  }
  return out;
}

function walOf(
  rows: ClassPeriod[],
  times: number[],
  weights: 'netReduction' | 'principalPaid',
  notional: boolean,
): number | null {
  let num = 0;
  let den = 0;
  rows.forEach((r, i) => {
    // A notional (IO) class's life is weighted by the reductions of its notional balance.
    const w = notional
      ? r.beginBalance - r.endBalance
      : weights === 'principalPaid'
        ? r.principalPaid
        : r.principalPaid - r.accreted;
    if (w <= 0n) return;
    const x = Number(w);
    num += x * (times[i] ?? 0);
    den += x;
  });
  return den > 0 ? num / den : null;
}

function decrementRows(
  rows: ClassPeriod[],
  payDates: YMD[],
  startPeriod: number,
): ClassProjection['decrement'] {
  const first = rows[0];
  const base = first ? Number(first.beginBalance) : 0;
  if (base <= 0) return [];
  const out: ClassProjection['decrement'] = [];
  rows.forEach((r) => {
    if (r.period % 12 !== 0) return;
    const d = payDates[r.period - startPeriod];
    out.push({
      period: r.period,
      ...(d ? { date: formatDate(d) } : {}),
      pctOutstanding: (100 * Number(r.endBalance)) / base,
    });
  });
  return out;
}

function compileFor(prepared: PreparedDeal, state: DealState | undefined): CompiledDeal {
  const doc = prepared.rules;
  const scheduleBalances = new Map<string, bigint[]>();
  doc.schedules.forEach((s, i) => {
    if (!s.psaCollar) return;
    if (state && state.period > 0) {
      throw new EngineInputError([
        {
          path: `rules.schedules[${i}].psaCollar`,
          message:
            'a collar schedule is computed from the collateral at closing; give explicit balances to project from a later period',
        },
      ]);
    }
    let total = 0n;
    for (const id of s.classes) {
      const c = doc.classes.find((k) => k.id === id);
      if (c) total += toMinor(c.balance, doc.currency.minorDigits);
    }
    scheduleBalances.set(
      s.id,
      collarSchedule(prepared.book, s.psaCollar[0], s.psaCollar[1], total, doc.currency.minorDigits),
    );
  });
  return compileDeal(doc, scheduleBalances);
}

/**
 * Run the waterfall over a list of pool periods from a state, returning the per-class tables,
 * WALs and windows. Shared by projections (pool periods from the collateral model) and by
 * callers replaying historical servicer periods.
 */
export function runDeal(
  deal: CompiledDeal,
  pools: PoolPeriod[],
  scenario: Scenario,
  start?: DealState,
): ProjectionResult {
  const doc = deal.doc;
  let state = start ?? initialDealState(deal, pools[0]?.poolBalanceBegin ?? 0n);
  const dates = calendar(doc);
  const conventions = scenario.conventions;
  const settlement = conventions.settlementDate ? parseDate(conventions.settlementDate) : dates.closing;
  const periods: PeriodSummary[] = [];
  const rows = new Map<string, ClassPeriod[]>(doc.classes.map((c) => [c.id, []]));
  for (const pool of pools) {
    const r = runPeriod(deal, state, pool);
    periods.push(r.summary);
    for (const row of r.classes) rows.get(row.classId)?.push(row);
    state = r.next;
  }
  const payDates = periods.map((p) => addMonths(dates.first, p.period - 1, dates.first.d));
  const origin = conventions.walFrom === 'cutoff' ? dates.cutoff : settlement;
  const times = periods.map((p, i) => {
    if (conventions.walFrom === 'periodIndex') return p.period / 12;
    const d = payDates[i];
    return d ? yearFraction(origin, d, conventions.walDayCount) : 0;
  });
  const classes: ClassProjection[] = doc.classes.map((c) => {
    const list = rows.get(c.id) ?? [];
    let first = 0;
    let last = 0;
    let totalInterest = 0n;
    let totalPrincipal = 0n;
    let totalAccreted = 0n;
    let totalWritedown = 0n;
    for (const r of list) {
      totalInterest += r.interestPaid;
      totalPrincipal += r.principalPaid;
      totalAccreted += r.accreted;
      totalWritedown += r.writedown;
      if (r.principalPaid > 0n) {
        if (first === 0) first = r.period;
        last = r.period;
      }
    }
    const startPeriod = periods[0]?.period ?? 1;
    const firstDate = payDates[first - startPeriod];
    const lastDate = payDates[last - startPeriod];
    return {
      classId: c.id,
      originalBalance: deal.classById.get(c.id)?.originalBalance ?? 0n,
      rows: list,
      wal: walOf(
        list,
        times,
        conventions.walWeights,
        c.notional !== undefined || c.ratioStrip?.part === 'IO',
      ),
      principalWindow:
        first === 0
          ? null
          : {
              first,
              last,
              ...(firstDate ? { firstDate: formatDate(firstDate) } : {}),
              ...(lastDate ? { lastDate: formatDate(lastDate) } : {}),
            },
      totalInterest,
      totalPrincipal,
      totalAccreted,
      totalWritedown,
      decrement: decrementRows(list, payDates, startPeriod),
      finalBalance: state.classes[c.id]?.balance ?? 0n,
    };
  });
  let poolWalNumerator = 0;
  let poolWalDenominator = 0;
  periods.forEach((p, i) => {
    const principal = Number(p.pool.scheduledPrincipal + p.pool.prepayments + p.pool.recoveries);
    poolWalNumerator += principal * (times[i] ?? 0);
    poolWalDenominator += principal;
  });
  return {
    scenario,
    conventions: {
      walFrom: conventions.walFrom,
      walDayCount: conventions.walDayCount,
      walWeights: conventions.walWeights,
      cutoffDate: formatDate(dates.cutoff),
      settlementDate: formatDate(settlement),
      firstPaymentDate: formatDate(dates.first),
      syntheticDates: dates.synthetic,
    },
    periods,
    classes,
    poolWal: poolWalDenominator > 0 ? poolWalNumerator / poolWalDenominator : null,
    finalState: state,
  };
}

export interface ProjectDealInput {
  /** Loan-level rows or representative lines (validated with `CollateralSchema`). */
  collateral: CollateralInput | Collateral;
  /** Waterfall rule document (object or JSON text; validated by `parseWaterfallRules`). */
  rules: RuleDocumentInput | RuleDocument | string;
  /** One scenario (validated with `ScenarioSchema`). */
  scenario: ScenarioInput;
  /** Start from a deal's current state instead of closing (collateral must then be current). */
  state?: DealState;
}

/**
 * Project a deal: collateral x rules x scenario -> per-class cash-flow tables, WAL, principal
 * window and totals, per-period pool collections and trigger states. Collateral runs in float;
 * each period's collections are rounded to minor units (see `poolPeriodsFromFlows`) and the
 * waterfall runs exactly, checking conservation to the unit every period. Throws
 * `EngineInputError` (path-named) for invalid input and `ConservationError` on an engine fault.
 */
export function projectDeal(input: ProjectDealInput): ProjectionResult {
  return projectPrepared(prepareDeal(input.collateral, input.rules), input.scenario, input.state);
}

/** Project a prepared deal under one scenario (reuse `prepareDeal` across many scenarios). */
export function projectPrepared(
  prepared: PreparedDeal,
  scenarioInput: ScenarioInput,
  state?: DealState,
): ProjectionResult {
  const scenario = parseScenario(scenarioInput);
  let deal: CompiledDeal;
  if (state && state.period > 0) deal = compileFor(prepared, state);
  else {
    deal = prepared.compiledAtClosing ?? compileFor(prepared, state);
    prepared.compiledAtClosing = deal;
  }
  const pools =
    prepared.rules.collateralGroups.length > 0
      ? projectGroupedPool(prepared.collateral, prepared.rules.collateralGroups, scenario, deal.minorDigits)
      : poolPeriodsFromFlows(projectCollateral(prepared.book, scenario), deal.minorDigits);
  if (scenario.cleanUpCallPct !== undefined) {
    applyCleanUpCall(
      pools,
      state?.originalPoolBalance ?? pools[0]?.poolBalanceBegin ?? 0n,
      scenario.cleanUpCallPct,
    );
  }
  if (state) {
    const offset = state.period;
    for (const p of pools) p.period += offset;
  }
  return runDeal(deal, pools, scenario, state);
}

/**
 * Clean-up call: in the first period whose ending pool balance is at or below `pct` of the
 * original balance, the remaining collateral (performing and defaulted) is bought at par and paid
 * as prepayments; later periods are dropped.
 */
function applyCleanUpCall(pools: PoolPeriod[], original: bigint, pct: number): void {
  const limit = (original * pctToScaled(pct)) / WHOLE;
  const at = pools.findIndex((p) => p.poolBalanceEnd <= limit);
  const p = pools[at];
  if (at < 0 || !p) return;
  p.prepayments += p.poolBalanceEnd;
  p.poolBalanceEnd = 0n;
  p.delinquent60Plus = 0n;
  // Each group's loans (and their PO and IO portions) are bought too.
  for (const g of p.groups ?? []) {
    g.prepayments += g.poolBalanceEnd;
    g.poolBalanceEnd = 0n;
    g.delinquent60Plus = 0n;
    g.po.prepayments += g.po.balanceEnd;
    g.po.balanceEnd = 0n;
    g.ioNotionalEnd = 0n;
  }
  pools.length = at + 1;
}

/**
 * Project a deal under a grid of scenarios (e.g. PSA 50..500 x CDR 0..6). Inputs are validated
 * once; a scenario's error names its index (`scenarios[3].prepayment.speed`).
 */
export function projectScenarios(
  input: Omit<ProjectDealInput, 'scenario'> & { scenarios: ScenarioInput[] },
): ProjectionResult[] {
  const prepared = prepareDeal(input.collateral, input.rules);
  const parsed = input.scenarios.map((s, i) => parseScenario(s, `scenarios[${i}]`));
  return parsed.map((s) => projectPrepared(prepared, s, input.state));
}
