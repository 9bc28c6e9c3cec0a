/**
 * Each tranche's cash flows, actual against projected, for the deal page's chart: what the
 * waterfall paid each class (interest + principal) in every executed period, from the reports'
 * `classes`, beside the projection of the deal's structure under the base scenario.
 */
import { majorToMinor } from './amounts';
import { parseClasses } from './engineOutput';

/** The scenario projected: the deal as structured, with the engine's defaults (0 CPR, no defaults). */
export const BASE_SCENARIO = { name: 'Base', horizonMonths: 120 } as const;

/** Periods shown past the last one paid, so the chart also says what comes next. */
export const PERIODS_AHEAD = 12;

/** Report statuses whose run was paid: their `classes` are actuals. */
export const PAID_STATUSES: readonly string[] = ['EXECUTED', 'RECONCILED'];

export interface CashFlowPoint {
  period: number;
  /** Interest + principal paid, minor units of the deal currency; undefined when not paid yet. */
  actual?: bigint;
  /** Interest + principal projected, minor units; undefined beyond the projection. */
  projected?: bigint;
}

export interface ClassCashFlows {
  classId: string;
  points: CashFlowPoint[];
}

export interface ProjectedClass {
  classId: string;
  cashFlows: { period: number; interestPaid: string; principalPaid: string }[];
}

export interface ReportForChart {
  period: number;
  status: string;
  classes: string;
}

/**
 * Builds one series per class (the projection's classes in their order, then any class only the
 * actuals name), or only for the classes in `tranches` (the deal's tranche names: a rule document
 * may also have, e.g., a residual class no token pays): periods 1 to the last paid one plus
 * PERIODS_AHEAD, within what either side covers. A period reported twice counts once, from the
 * first report given (the API lists newest first).
 */
export const buildCashFlows = (
  reports: readonly ReportForChart[],
  projected: readonly ProjectedClass[],
  currency: string,
  tranches?: readonly string[],
): ClassCashFlows[] => {
  const actual = new Map<string, Map<number, bigint>>();
  const seen = new Set<number>();
  for (const report of reports) {
    if (!PAID_STATUSES.includes(report.status) || seen.has(report.period)) continue;
    seen.add(report.period);
    for (const row of parseClasses(report.classes)) {
      const paid =
        (majorToMinor(row.interestPaid, currency) ?? 0n) + (majorToMinor(row.principalPaid, currency) ?? 0n);
      const byPeriod = actual.get(row.classId) ?? new Map<number, bigint>();
      byPeriod.set(row.period ?? report.period, paid);
      actual.set(row.classId, byPeriod);
    }
  }
  const projection = new Map(
    projected.map((c) => [
      c.classId,
      new Map(c.cashFlows.map((f) => [f.period, BigInt(f.interestPaid) + BigInt(f.principalPaid)])),
    ]),
  );
  const lastPaid = Math.max(0, ...seen);
  const lastProjected = Math.max(0, ...projected.flatMap((c) => c.cashFlows.map((f) => f.period)));
  const last = Math.max(lastPaid, Math.min(lastPaid + PERIODS_AHEAD, lastProjected));
  const classIds = [...projection.keys(), ...[...actual.keys()].filter((id) => !projection.has(id))].filter(
    (id) => tranches === undefined || tranches.includes(id),
  );
  return classIds.map((classId) => ({
    classId,
    points: Array.from({ length: last }, (_, i) => {
      const period = i + 1;
      const point: CashFlowPoint = { period };
      const paid = actual.get(classId)?.get(period);
      const expected = projection.get(classId)?.get(period);
      if (paid !== undefined) point.actual = paid;
      if (expected !== undefined) point.projected = expected;
      return point;
    }),
  }));
};
