/**
 * Reading the JSON documents a servicer report carries: `classes` (the waterfall's row per class:
 * balances, interest and principal, major units as decimal strings), `summary` (the pool's period,
 * fees, cash in and out) and `reconciliation` (the engine's leaves against the chain, after
 * execution). Malformed documents read as empty, never throw: a page shows what it can.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
const parse = (json: unknown): unknown => {
  if (typeof json !== 'string' || json.trim() === '') return undefined;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
};

/** The amounts of one class in one period (major units, decimal strings; '' when missing). */
export const CLASS_AMOUNTS = [
  'beginBalance',
  'interestDue',
  'interestPaid',
  'interestShortfall',
  'principalPaid',
  'writedown',
  'writedownReimbursed',
  'endBalance',
] as const;
export type ClassAmount = (typeof CLASS_AMOUNTS)[number];

export type ClassRow = { classId: string; period: number | undefined; couponPct: string } & Record<
  ClassAmount,
  string
>;

/** `classes` JSON -> one row per class, in the waterfall's order; [] when it is not a JSON array. */
export const parseClasses = (json: unknown): ClassRow[] => {
  const value = parse(json);
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).map((c) => ({
    classId: text(c.classId),
    period: typeof c.period === 'number' ? c.period : undefined,
    couponPct: text(c.couponPct),
    ...(Object.fromEntries(CLASS_AMOUNTS.map((k) => [k, text(c[k])])) as Record<ClassAmount, string>),
  }));
};

/** The pool lines of the summary shown with the waterfall, in this order. */
export const POOL_LINES = [
  'poolBalanceBegin',
  'interest',
  'scheduledPrincipal',
  'prepayments',
  'recoveries',
  'realizedLosses',
  'poolBalanceEnd',
] as const;

export interface PeriodSummary {
  pool: Partial<Record<(typeof POOL_LINES)[number], string>>;
  /** Fees and expenses paid ahead of the notes, by fee. */
  feesPaid: [string, string][];
  cashIn: string;
  cashOut: string;
  residual: string;
}

/** `summary` JSON -> the lines the page shows; undefined when it is not a JSON object. */
export const parseSummary = (json: unknown): PeriodSummary | undefined => {
  const value = parse(json);
  if (!isObject(value)) return undefined;
  const pool = isObject(value.pool) ? value.pool : {};
  return {
    pool: Object.fromEntries(
      POOL_LINES.filter((k) => text(pool[k]) !== '').map((k) => [k, text(pool[k])]),
    ) as PeriodSummary['pool'],
    feesPaid: isObject(value.feesPaid)
      ? Object.entries(value.feesPaid).map(([fee, amount]) => [fee, text(amount)])
      : [],
    cashIn: text(value.cashIn),
    cashOut: text(value.cashOut),
    residual: text(value.residual),
  };
};

export interface ReconciliationDifference {
  /** The leaf's index in the payout tree; -1 for the escrow's own balance. */
  index: number;
  account: string;
  /** Stablecoin units. */
  entitled: string;
  paid: string;
}

export interface TrancheReconciliation {
  trancheId: string;
  distributionId: string;
  /** Stablecoin units: what the leaves entitle, what the escrow was funded with and paid out. */
  entitled: string;
  funded: string;
  paid: string;
  remainder: string;
  differences: ReconciliationDifference[];
}

export interface Reconciliation {
  ties: boolean;
  tranches: TrancheReconciliation[];
}

/**
 * `reconciliation` JSON -> what the page shows; undefined before the first reconciliation (null)
 * or when it is not the expected object. `ties` is true only when the document says so.
 */
export const parseReconciliation = (json: unknown): Reconciliation | undefined => {
  const value = parse(json);
  if (!isObject(value)) return undefined;
  const tranches = Array.isArray(value.tranches) ? value.tranches.filter(isObject) : [];
  return {
    ties: value.ties === true,
    tranches: tranches.map((t) => ({
      trancheId: text(t.trancheId),
      distributionId: text(t.distributionId),
      entitled: text(t.entitled),
      funded: text(t.funded),
      paid: text(t.paid),
      remainder: text(t.remainder),
      differences: (Array.isArray(t.differences) ? t.differences.filter(isObject) : []).map((d) => ({
        index: typeof d.index === 'number' ? d.index : Number(d.index),
        account: text(d.account),
        entitled: text(d.entitled),
        paid: text(d.paid),
      })),
    })),
  };
};
