import { formatMinor, PCT_SCALE } from './money.js';
import type { GroupPeriod, PoolPeriod } from './pool.js';
import type { ProjectionResult } from './project.js';
import type { ClassPeriod, PeriodSummary } from './waterfall.js';

/** JSON-safe money: decimal string in major units ("1234.56"). */
export type DecimalString = string;

type Jsonify<T> = T extends bigint
  ? DecimalString
  : T extends Map<string, bigint>
    ? Record<string, string>
    : T extends (infer U)[]
      ? Jsonify<U>[]
      : T extends object
        ? { [K in keyof T]: Jsonify<T[K]> }
        : T;

export type ClassPeriodJson = Jsonify<ClassPeriod>;
export type PeriodSummaryJson = Jsonify<Omit<PeriodSummary, 'pool'>> & { pool: Jsonify<PoolPeriod> };

function money(v: bigint, d: number): string {
  return formatMinor(v, d);
}

function record(r: Record<string, bigint>, d: number): Record<string, string> {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, money(v, d)]));
}

/** Scaled percent (1e-10 % units) to a decimal percent string without trailing zeros. */
function pctText(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const whole = a / PCT_SCALE;
  const frac = (a % PCT_SCALE).toString().padStart(10, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/** A class's period row as JSON: money as decimal strings in major units (`d` minor digits). */
export function serializeClassPeriod(r: ClassPeriod, d = 2): ClassPeriodJson {
  return {
    classId: r.classId,
    period: r.period,
    beginBalance: money(r.beginBalance, d),
    interestDue: money(r.interestDue, d),
    interestPaid: money(r.interestPaid, d),
    interestShortfall: money(r.interestShortfall, d),
    capCarryoverPaid: money(r.capCarryoverPaid, d),
    capCarryover: money(r.capCarryover, d),
    writedownReimbursed: money(r.writedownReimbursed, d),
    unpaidWritedown: money(r.unpaidWritedown, d),
    accreted: money(r.accreted, d),
    principalPaid: money(r.principalPaid, d),
    writedown: money(r.writedown, d),
    endBalance: money(r.endBalance, d),
    couponPct: r.couponPct,
  };
}

/** One collateral group's collections as JSON (money as decimal strings). */
function serializeGroupPeriod(g: GroupPeriod, d: number): Jsonify<GroupPeriod> {
  return {
    id: g.id,
    poolBalanceBegin: money(g.poolBalanceBegin, d),
    interest: money(g.interest, d),
    scheduledPrincipal: money(g.scheduledPrincipal, d),
    prepayments: money(g.prepayments, d),
    recoveries: money(g.recoveries, d),
    realizedLosses: money(g.realizedLosses, d),
    delinquent60Plus: money(g.delinquent60Plus, d),
    poolBalanceEnd: money(g.poolBalanceEnd, d),
    po: {
      balanceBegin: money(g.po.balanceBegin, d),
      balanceEnd: money(g.po.balanceEnd, d),
      scheduledPrincipal: money(g.po.scheduledPrincipal, d),
      prepayments: money(g.po.prepayments, d),
      recoveries: money(g.po.recoveries, d),
      realizedLosses: money(g.po.realizedLosses, d),
    },
    excessInterest: money(g.excessInterest, d),
    ioNotionalBegin: money(g.ioNotionalBegin, d),
    ioNotionalEnd: money(g.ioNotionalEnd, d),
  };
}

/**
 * A period summary as JSON: money as decimal strings in major units (`d` minor digits), index
 * fixings as percent strings.
 */
export function serializePeriodSummary(p: PeriodSummary, d = 2): PeriodSummaryJson {
  const pool = p.pool;
  return {
    period: p.period,
    paymentDate: p.paymentDate,
    pool: {
      period: pool.period,
      poolBalanceBegin: money(pool.poolBalanceBegin, d),
      interest: money(pool.interest, d),
      servicingFee: money(pool.servicingFee, d),
      scheduledPrincipal: money(pool.scheduledPrincipal, d),
      prepayments: money(pool.prepayments, d),
      recoveries: money(pool.recoveries, d),
      realizedLosses: money(pool.realizedLosses, d),
      newDefaults: money(pool.newDefaults, d),
      delinquent60Plus: money(pool.delinquent60Plus, d),
      poolBalanceEnd: money(pool.poolBalanceEnd, d),
      indexRates: Object.fromEntries([...pool.indexRates].map(([k, v]) => [k, pctText(v)])),
      ...(pool.groups ? { groups: pool.groups.map((g) => serializeGroupPeriod(g, d)) } : {}),
    },
    feesPaid: record(p.feesPaid, d),
    feeShortfalls: record(p.feeShortfalls, d),
    triggers: { ...p.triggers },
    accounts: record(p.accounts, d),
    residual: money(p.residual, d),
    excessSpread: money(p.excessSpread, d),
    cashIn: money(p.cashIn, d),
    cashOut: money(p.cashOut, d),
  };
}

/**
 * A projection as plain JSON (money as decimal strings in major units, index fixings as percent
 * strings), for GraphQL or storage. `rows: false` drops the per-period class rows and period
 * summaries, keeping WALs, windows and totals.
 */
export function serializeProjection(
  r: ProjectionResult,
  opts: { minorDigits?: number; rows?: boolean } = {},
) {
  const d = opts.minorDigits ?? 2;
  const rows = opts.rows ?? true;
  return {
    scenario: r.scenario,
    conventions: r.conventions,
    poolWal: r.poolWal,
    classes: r.classes.map((c) => ({
      classId: c.classId,
      originalBalance: money(c.originalBalance, d),
      wal: c.wal,
      principalWindow: c.principalWindow,
      totalInterest: money(c.totalInterest, d),
      totalPrincipal: money(c.totalPrincipal, d),
      totalAccreted: money(c.totalAccreted, d),
      totalWritedown: money(c.totalWritedown, d),
      finalBalance: money(c.finalBalance, d),
      decrement: c.decrement,
      rows: rows ? c.rows.map((x) => serializeClassPeriod(x, d)) : [],
    })),
    periods: rows ? r.periods.map((p) => serializePeriodSummary(p, d)) : [],
  };
}
