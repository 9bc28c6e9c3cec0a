/**
 * The structuring page's data shaping, no React: the scenario form as the API's `ScenarioInput`,
 * the projection as chart series, the prospectus decrement table, the side-by-side grid and the
 * CSV exports. Money arrives in minor units (decimal strings of the BigInt scalar).
 */
import { minorToPlotValue } from '../distributions/amounts';

export type PrepaymentModel = 'PSA' | 'CPR' | 'SMM' | 'PPC';
export type DefaultModel = 'CDR' | 'SDA';

/** What the arranger edits: one scenario, percent units as the API takes them. */
export interface ScenarioForm {
  prepaymentModel: PrepaymentModel;
  /** PSA multiple (100 = 100% PSA), percent of the PPC curve, or CPR/SMM in percent. */
  prepaymentRate: number;
  /** PPC only: 100% PPC for fixed-rate loans as `month:CPR%` points, e.g. `1:4, 12:16`. */
  ppcCurve: string;
  /** PPC only: the adjustable-rate loans' curve, same form; empty = the fixed-rate curve. */
  ppcArmCurve: string;
  defaultModel: DefaultModel;
  /** SDA multiple or CDR in percent; 0 = no defaults. */
  defaultRate: number;
  severityPct: number;
  recoveryLagMonths: number;
  /** Pool factor (percent of the original balance) at which the clean-up call is exercised; null = to maturity. */
  cleanUpCallPct: number | null;
}

export const DEFAULT_SCENARIO: ScenarioForm = {
  prepaymentModel: 'PSA',
  prepaymentRate: 100,
  ppcCurve: '1:4, 12:16',
  ppcArmCurve: '',
  defaultModel: 'CDR',
  defaultRate: 0,
  severityPct: 35,
  recoveryLagMonths: 6,
  cleanUpCallPct: null,
};

/** The speeds of the decrement table's columns, as prospectuses print them for each convention. */
export const DECREMENT_SPEEDS: Readonly<Record<PrepaymentModel, readonly number[]>> = {
  PSA: [0, 50, 100, 200, 300, 400],
  CPR: [0, 6, 10, 15, 20, 30],
  SMM: [0, 0.5, 1, 1.5, 2, 3],
  PPC: [0, 50, 75, 100, 150, 200],
};

/**
 * A PPC curve typed as `month:CPR%` points (`1:4, 12:16` = 4% CPR in a loan's first month rising
 * to 16% in month 12, then flat), or undefined when it is not one: months whole, 1 or more and
 * increasing, CPRs between 0 and 100. An empty text is an empty curve.
 */
export const parsePpcCurve = (text: string): { month: number; cprPct: number }[] | undefined => {
  const points = text
    .split(/[,;\s]+/)
    .filter((p) => p !== '')
    .map((p) => p.split(':').map(Number));
  const curve = points.map(([month, cprPct]) => ({ month: month ?? NaN, cprPct: cprPct ?? NaN }));
  const valid = curve.every(
    (p, i) =>
      Number.isInteger(p.month) &&
      p.month >= 1 &&
      p.cprPct >= 0 &&
      p.cprPct <= 100 &&
      (i === 0 || p.month > (curve[i - 1]?.month ?? 0)),
  );
  return valid && points.every((p) => p.length === 2) ? curve : undefined;
};

/** Most scenarios one grid request takes (the API's limit). */
export const MAX_GRID = 25;

/** One class's row of a projected period (what the page asks for). */
export interface CashFlowRow {
  period: number;
  paymentDate?: string | null;
  beginBalance?: string;
  interestPaid?: string;
  principalPaid?: string;
  writedown?: string;
  endBalance: string;
}

export interface ClassProjection {
  classId: string;
  originalBalance: string;
  wal: number | null;
  principalWindowFirst: number | null;
  principalWindowLast: number | null;
  cashFlows: CashFlowRow[];
}

export interface Projection {
  scenarioName: string | null;
  poolWal: number | null;
  periods: number;
  classes: ClassProjection[];
}

/** The label of a scenario: its speeds, e.g. `PSA 150, CDR 1, 35% sev, call 10%`. */
export const scenarioLabel = (f: ScenarioForm): string =>
  [
    `${f.prepaymentModel} ${f.prepaymentRate}`,
    f.defaultRate > 0 ? `${f.defaultModel} ${f.defaultRate}, ${f.severityPct}% sev` : null,
    f.cleanUpCallPct != null ? `call ${f.cleanUpCallPct}%` : null,
  ]
    .filter((part) => part !== null)
    .join(', ');

const ppcCurves = (f: ScenarioForm) => {
  const arm = parsePpcCurve(f.ppcArmCurve);
  return {
    ppcFixed: parsePpcCurve(f.ppcCurve) ?? [],
    ...(arm !== undefined && arm.length > 0 ? { ppcAdjustable: arm } : {}),
  };
};

/** The form as the API's `ScenarioInput` (named by its label unless `name` is given). */
export const toScenarioInput = (f: ScenarioForm, name = scenarioLabel(f)) => ({
  name,
  prepayment: {
    model: f.prepaymentModel,
    rate: f.prepaymentRate,
    ...(f.prepaymentModel === 'PPC' ? ppcCurves(f) : {}),
  },
  ...(f.defaultRate > 0 ? { defaults: { model: f.defaultModel, rate: f.defaultRate } } : {}),
  severityPct: f.severityPct,
  recoveryLagMonths: f.recoveryLagMonths,
  ...(f.cleanUpCallPct != null ? { cleanUpCallPct: f.cleanUpCallPct } : {}),
});

/** The decrement table's scenarios: the form's assumptions at each column speed of its convention. */
export const decrementScenarios = (f: ScenarioForm) =>
  DECREMENT_SPEEDS[f.prepaymentModel].map((rate) =>
    toScenarioInput({ ...f, prepaymentRate: rate }, `${f.prepaymentModel} ${rate}`),
  );

/** Classes with a balance (the residual has none), in the projection's order. */
export const notesOf = (p: Projection): ClassProjection[] =>
  p.classes.filter((c) => BigInt(c.originalBalance) > 0n);

/** A named line of a chart: one value per period 0..n (major units, for drawing only). */
export interface Series {
  label: string;
  values: number[];
}

/**
 * Each class's balance after every period, starting at its original balance (period 0), to the
 * projection's last period (a class repaid early stays at 0).
 */
export const balanceSeries = (p: Projection, currency: string): Series[] =>
  notesOf(p).map((c) => {
    const byPeriod = new Map(c.cashFlows.map((r) => [r.period, BigInt(r.endBalance)]));
    let last = BigInt(c.originalBalance);
    const values = [minorToPlotValue(last, currency)];
    for (let period = 1; period <= p.periods; period++) {
      last = byPeriod.get(period) ?? last;
      values.push(minorToPlotValue(last, currency));
    }
    return { label: c.classId, values };
  });

/** Principal and interest paid to all classes in each period 1..n (major units, for drawing). */
export const paymentSeries = (p: Projection, currency: string): Series[] => {
  const principal = Array.from({ length: p.periods }, () => 0n);
  const interest = Array.from({ length: p.periods }, () => 0n);
  for (const c of notesOf(p)) {
    for (const r of c.cashFlows) {
      if (r.period < 1 || r.period > p.periods) continue;
      principal[r.period - 1] = (principal[r.period - 1] ?? 0n) + BigInt(r.principalPaid ?? '0');
      interest[r.period - 1] = (interest[r.period - 1] ?? 0n) + BigInt(r.interestPaid ?? '0');
    }
  }
  return [
    { label: 'principal', values: principal.map((v) => minorToPlotValue(v, currency)) },
    { label: 'interest', values: interest.map((v) => minorToPlotValue(v, currency)) },
  ];
};

/**
 * A percent of the original balance as a prospectus prints it: whole percent, rounded to nearest;
 * `*` for a balance above zero that rounds to 0%.
 */
export const decrementPercent = (balance: bigint, original: bigint): string => {
  if (original <= 0n || balance <= 0n) return '0';
  const hundredths = (balance * 10_000n) / original;
  const whole = (balance * 100n * 2n + original) / (original * 2n);
  if (whole === 0n && hundredths > 0n) return '*';
  return whole.toString();
};

/** One class's decrement table: a row per anniversary, a column per speed, then the WAL row. */
export interface DecrementTable {
  classId: string;
  speeds: string[];
  rows: { label: string; percents: string[] }[];
  wals: (number | null)[];
}

/**
 * The prospectus decrement tables ("Percent of Original Class Balance Outstanding"): for each
 * class, the balance after each anniversary's distribution (period 12, 24, …), as a whole percent
 * of the original balance, under each speed; rows stop once every speed has retired the class.
 * Each row is labelled with the distribution date of that period when any projection has one,
 * else `Year n`.
 */
export const decrementTables = (projections: Projection[]): DecrementTable[] => {
  const first = projections[0];
  if (!first) return [];
  // A period's distribution date from any class of any speed that has a row then.
  const dates = new Map<number, string>();
  for (const p of projections)
    for (const c of p.classes)
      for (const r of c.cashFlows)
        if (r.paymentDate && !dates.has(r.period)) dates.set(r.period, r.paymentDate);
  return notesOf(first).map((note) => {
    const columns = projections.map((p) => p.classes.find((c) => c.classId === note.classId));
    const original = BigInt(note.originalBalance);
    const balanceAt = (c: ClassProjection | undefined, period: number): bigint => {
      if (!c) return 0n;
      let balance = original;
      for (const r of c.cashFlows) if (r.period <= period) balance = BigInt(r.endBalance);
      return balance;
    };
    const dateOf = (period: number) => dates.get(period);
    const rows = [{ label: 'Initial', percents: columns.map(() => '100') }];
    const years = Math.ceil(Math.max(...projections.map((p) => p.periods)) / 12);
    for (let year = 1; year <= years; year++) {
      const percents = columns.map((c) => decrementPercent(balanceAt(c, year * 12), original));
      rows.push({ label: dateOf(year * 12) ?? `Year ${year}`, percents });
      if (percents.every((x) => x === '0')) break;
    }
    return {
      classId: note.classId,
      speeds: projections.map((p, i) => p.scenarioName ?? `#${i + 1}`),
      rows,
      wals: columns.map((c) => c?.wal ?? null),
    };
  });
};

/** One scenario of the side-by-side grid: pool WAL, then each class's WAL and principal window. */
export interface GridRow {
  scenario: string;
  poolWal: number | null;
  classes: Record<string, { wal: number | null; window: string }>;
}

const windowOf = (c: ClassProjection): string =>
  c.principalWindowFirst == null ? '—' : `${c.principalWindowFirst}–${c.principalWindowLast ?? '?'}`;

/** The grid's rows and the classes (columns) they share, from the first scenario's notes. */
export const gridRows = (projections: Projection[]): { classIds: string[]; rows: GridRow[] } => {
  const classIds = projections[0] ? notesOf(projections[0]).map((c) => c.classId) : [];
  return {
    classIds,
    rows: projections.map((p, i) => ({
      scenario: p.scenarioName ?? `#${i + 1}`,
      poolWal: p.poolWal,
      classes: Object.fromEntries(notesOf(p).map((c) => [c.classId, { wal: c.wal, window: windowOf(c) }])),
    })),
  };
};

/** A WAL in years as the page and the CSVs show it (two decimals), or '—'. */
export const formatWal = (wal: number | null | undefined): string => (wal == null ? '—' : wal.toFixed(2));

/** Minor units as a plain major-units decimal (`"1234.50"`), for CSV cells. */
export const minorToDecimal = (minor: string | undefined, digits: number): string => {
  const value = BigInt(minor ?? '0');
  if (digits === 0) return value.toString();
  const abs = (value < 0n ? -value : value).toString().padStart(digits + 1, '0');
  return `${value < 0n ? '-' : ''}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
};

const csvCell = (v: string | number | null | undefined): string => {
  const s = v == null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
/** Rows as RFC 4180 CSV (CRLF line ends, quoted where needed). */
export const toCsv = (rows: (string | number | null | undefined)[][]): string =>
  rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';

/** The scenario's cash flows, one line per class and period, amounts in major units. */
export const cashFlowsCsv = (p: Projection, digits: number): string =>
  toCsv([
    [
      'scenario',
      'class',
      'period',
      'paymentDate',
      'beginBalance',
      'interestPaid',
      'principalPaid',
      'writedown',
      'endBalance',
    ],
    ...notesOf(p).flatMap((c) =>
      c.cashFlows.map((r) => [
        p.scenarioName,
        c.classId,
        r.period,
        r.paymentDate,
        minorToDecimal(r.beginBalance, digits),
        minorToDecimal(r.interestPaid, digits),
        minorToDecimal(r.principalPaid, digits),
        minorToDecimal(r.writedown, digits),
        minorToDecimal(r.endBalance, digits),
      ]),
    ),
  ]);

/** The decrement tables in one CSV: class, date, then one percent column per speed; WAL last. */
export const decrementCsv = (tables: DecrementTable[]): string =>
  toCsv(
    tables.flatMap((t) => [
      ['class', 'date', ...t.speeds],
      ...t.rows.map((r) => [t.classId, r.label, ...r.percents]),
      [t.classId, 'WAL (years)', ...t.wals.map(formatWal)],
    ]),
  );

/** The side-by-side grid: a line per scenario, WAL and principal window per class. */
export const gridCsv = (grid: { classIds: string[]; rows: GridRow[] }): string =>
  toCsv([
    ['scenario', 'poolWal', ...grid.classIds.flatMap((id) => [`${id} WAL`, `${id} window`])],
    ...grid.rows.map((r) => [
      r.scenario,
      formatWal(r.poolWal),
      ...grid.classIds.flatMap((id) => [formatWal(r.classes[id]?.wal), r.classes[id]?.window ?? '—']),
    ]),
  ]);
