import { z } from 'zod';

import { buildLoanBook, parseCollateral, type CollateralInput } from './collateral.js';
import { EngineInputError, zodIssues, type InputIssue } from './errors.js';
import { formatMinor, pctToScaled, toMinor } from './money.js';
import type { GroupPeriod, PoolPeriod } from './pool.js';
import { collarSchedule } from './project.js';
import { parseWaterfallRules } from './rule-validation.js';
import type { RuleDocument, RuleDocumentInput } from './rules.js';
import {
  serializeClassPeriod,
  serializePeriodSummary,
  type ClassPeriodJson,
  type PeriodSummaryJson,
} from './serialize.js';
import {
  compileDeal,
  initialDealState,
  runPeriod,
  type ClassPeriod,
  type DealState,
  type PeriodSummary,
} from './waterfall.js';

/** Shift percentages are stored as percent strings with the scaled-percent precision (1e-10 %). */
const PCT_DIGITS = 10;
const Decimal = z.string().regex(/^\d+(\.\d+)?$/, 'expected a non-negative decimal string, e.g. "1234.56"');
const SignedPct = z.union([z.number().finite(), z.string().regex(/^-?\d+(\.\d+)?$/)]);

const PoPortionReportSchema = z.strictObject({
  balanceBegin: Decimal,
  scheduledPrincipal: Decimal,
  prepayments: Decimal,
  recoveries: Decimal.default('0'),
  realizedLosses: Decimal.default('0'),
  balanceEnd: Decimal,
});

/** One collateral group's collections (rule documents with `collateralGroups`). */
const GroupReportSchema = z.strictObject({
  id: z.string(),
  poolBalanceBegin: Decimal,
  interestCollected: Decimal,
  scheduledPrincipal: Decimal,
  prepayments: Decimal,
  recoveries: Decimal.default('0'),
  realizedLosses: Decimal.default('0'),
  delinquent60Plus: Decimal.default('0'),
  poolBalanceEnd: Decimal,
  po: PoPortionReportSchema.optional().describe("ratio strip: the discount loans' PO fraction of each item"),
  excessInterest: Decimal.default('0').describe(
    "ratio strip: the premium loans' interest above the strip rate",
  ),
  ioNotionalBegin: Decimal.default('0').describe("ratio strip: the premium loans' balance"),
  ioNotionalEnd: Decimal.default('0'),
});

/**
 * Zod schema of a servicer report's collections for one period (decimal strings in major units,
 * so nothing passes through a float). Identity checked: begin - scheduled - prepayments -
 * recoveries - losses = end.
 */
export const ServicerReportSchema = z.strictObject({
  period: z.number().int().positive(),
  poolBalanceBegin: Decimal,
  interestCollected: Decimal.describe('net of servicing and other strips, including servicer advances'),
  servicingFee: Decimal.default('0'),
  scheduledPrincipal: Decimal,
  prepayments: Decimal.describe('voluntary prepayments, curtailments and repurchases'),
  recoveries: Decimal.default('0').describe('net liquidation proceeds'),
  realizedLosses: Decimal.default('0'),
  newDefaults: Decimal.default('0'),
  delinquent60Plus: Decimal.default('0'),
  poolBalanceEnd: Decimal,
  indexRates: z
    .record(z.string(), SignedPct)
    .default({})
    .describe('index fixings in percent, e.g. {"SOFR": "5.31"}'),
  groups: z
    .array(GroupReportSchema)
    .optional()
    .describe(
      "each collateral group's collections, required when the rules declare collateralGroups; the pool fields are their sums",
    ),
});
export type ServicerReportInput = z.input<typeof ServicerReportSchema>;

/** JSON form of a `DealState` (amounts as decimal strings), for storage between periods. */
export const DealStateSchema = z.strictObject({
  period: z.number().int().min(0),
  originalPoolBalance: Decimal,
  classes: z.record(
    z.string(),
    z.strictObject({
      balance: Decimal,
      interestShortfall: Decimal,
      capCarryover: Decimal.optional(),
      unpaidWritedown: Decimal.optional(),
    }),
  ),
  feeShortfalls: z.record(z.string(), Decimal).default({}),
  accounts: z.record(z.string(), Decimal).default({}),
  triggers: z.record(z.string(), z.boolean()).default({}),
  cumulativeLoss: Decimal.default('0'),
  delinquencyHistory: z.array(z.strictObject({ delinquent: Decimal, pool: Decimal })).default([]),
  groupOriginalBalances: z
    .record(z.string(), Decimal)
    .optional()
    .describe("each collateral group's balance at closing"),
  seniorShifts: z
    .record(z.string(), Decimal)
    .optional()
    .describe('shift percentage (percent) each senior principal amount used last period'),
});
export type DealStateJson = z.input<typeof DealStateSchema>;

/** Serialize a deal state to JSON-safe decimal strings. */
export function serializeDealState(s: DealState, minorDigits = 2): DealStateJson {
  const m = (v: bigint): string => formatMinor(v, minorDigits);
  const rec = (r: Record<string, bigint>): Record<string, string> =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, m(v)]));
  return {
    period: s.period,
    originalPoolBalance: m(s.originalPoolBalance),
    classes: Object.fromEntries(
      Object.entries(s.classes).map(([k, v]) => [
        k,
        {
          balance: m(v.balance),
          interestShortfall: m(v.interestShortfall),
          ...(v.capCarryover ? { capCarryover: m(v.capCarryover) } : {}),
          ...(v.unpaidWritedown ? { unpaidWritedown: m(v.unpaidWritedown) } : {}),
        },
      ]),
    ),
    feeShortfalls: rec(s.feeShortfalls),
    accounts: rec(s.accounts),
    triggers: { ...s.triggers },
    cumulativeLoss: m(s.cumulativeLoss),
    delinquencyHistory: s.delinquencyHistory.map((h) => ({ delinquent: m(h.delinquent), pool: m(h.pool) })),
    ...(s.groupOriginalBalances ? { groupOriginalBalances: rec(s.groupOriginalBalances) } : {}),
    ...(s.seniorShifts
      ? {
          seniorShifts: Object.fromEntries(
            Object.entries(s.seniorShifts).map(([k, v]) => [k, formatMinor(v, PCT_DIGITS)]),
          ),
        }
      : {}),
  };
}

/** Parse a JSON deal state; throws `EngineInputError` naming the path (`state.classes.A1.balance`). */
export function parseDealState(input: unknown, minorDigits = 2, root = 'state'): DealState {
  const r = DealStateSchema.safeParse(input);
  if (!r.success) throw new EngineInputError(zodIssues(root, r.error));
  const m = (v: string): bigint => toMinor(v, minorDigits);
  const j = r.data;
  return {
    period: j.period,
    originalPoolBalance: m(j.originalPoolBalance),
    classes: Object.fromEntries(
      Object.entries(j.classes).map(([k, v]) => [
        k,
        {
          balance: m(v.balance),
          interestShortfall: m(v.interestShortfall),
          ...(v.capCarryover ? { capCarryover: m(v.capCarryover) } : {}),
          ...(v.unpaidWritedown ? { unpaidWritedown: m(v.unpaidWritedown) } : {}),
        },
      ]),
    ),
    feeShortfalls: Object.fromEntries(Object.entries(j.feeShortfalls).map(([k, v]) => [k, m(v)])),
    accounts: Object.fromEntries(Object.entries(j.accounts).map(([k, v]) => [k, m(v)])),
    triggers: j.triggers,
    cumulativeLoss: m(j.cumulativeLoss),
    delinquencyHistory: j.delinquencyHistory.map((h) => ({ delinquent: m(h.delinquent), pool: m(h.pool) })),
    ...(j.groupOriginalBalances
      ? {
          groupOriginalBalances: Object.fromEntries(
            Object.entries(j.groupOriginalBalances).map(([k, v]) => [k, m(v)]),
          ),
        }
      : {}),
    ...(j.seniorShifts
      ? {
          seniorShifts: Object.fromEntries(
            Object.entries(j.seniorShifts).map(([k, v]) => [k, toMinor(v, PCT_DIGITS)]),
          ),
        }
      : {}),
  };
}

export interface ActualPeriodInput {
  rules: RuleDocumentInput | RuleDocument | string;
  /** The deal's state after the previous period (object with bigints, or its JSON form); omit at closing. */
  state?: DealState | DealStateJson;
  report: ServicerReportInput;
  /** Collateral at closing, only needed to compute PSA-collar schedules that have no explicit balances. */
  closingCollateral?: CollateralInput;
}

export interface ActualPeriodResult {
  summary: PeriodSummary;
  classes: ClassPeriod[];
  /** The same, JSON-safe (decimal strings), for the API and the audit trail. */
  summaryJson: PeriodSummaryJson;
  classesJson: ClassPeriodJson[];
  /** State to store and pass to the next period. */
  next: DealState;
  nextJson: DealStateJson;
}

type Minor = (path: string, v: string) => bigint;

/**
 * The report's per-group collections, checked: exactly the rule document's groups, each rolling
 * forward (begin - scheduled - prepayments - recoveries - losses = end, and so its PO portion),
 * their items summing to the pool's. Problems go to `issues` with their paths.
 */
function reportedGroups(
  rules: RuleDocument,
  report: z.output<typeof ServicerReportSchema>,
  pool: PoolPeriod,
  minor: Minor,
  issues: InputIssue[],
): GroupPeriod[] | undefined {
  const declared = rules.collateralGroups.map((g) => g.id);
  if (declared.length === 0) {
    if (report.groups)
      issues.push({ path: 'report.groups', message: 'the rules declare no collateralGroups' });
    return undefined;
  }
  const reported = report.groups ?? [];
  const ids = reported.map((g) => g.id);
  if (ids.length !== declared.length || declared.some((id) => !ids.includes(id))) {
    issues.push({
      path: 'report.groups',
      message: `expected one entry for each collateral group: ${declared.map((id) => `"${id}"`).join(', ')}`,
    });
    return undefined;
  }
  const groups = reported.map((g, i): GroupPeriod => {
    const at = (field: string, v: string): bigint => minor(`groups[${i}].${field}`, v);
    const group: GroupPeriod = {
      id: g.id,
      poolBalanceBegin: at('poolBalanceBegin', g.poolBalanceBegin),
      interest: at('interestCollected', g.interestCollected),
      scheduledPrincipal: at('scheduledPrincipal', g.scheduledPrincipal),
      prepayments: at('prepayments', g.prepayments),
      recoveries: at('recoveries', g.recoveries),
      realizedLosses: at('realizedLosses', g.realizedLosses),
      delinquent60Plus: at('delinquent60Plus', g.delinquent60Plus),
      poolBalanceEnd: at('poolBalanceEnd', g.poolBalanceEnd),
      po: {
        balanceBegin: g.po ? at('po.balanceBegin', g.po.balanceBegin) : 0n,
        scheduledPrincipal: g.po ? at('po.scheduledPrincipal', g.po.scheduledPrincipal) : 0n,
        prepayments: g.po ? at('po.prepayments', g.po.prepayments) : 0n,
        recoveries: g.po ? at('po.recoveries', g.po.recoveries) : 0n,
        realizedLosses: g.po ? at('po.realizedLosses', g.po.realizedLosses) : 0n,
        balanceEnd: g.po ? at('po.balanceEnd', g.po.balanceEnd) : 0n,
      },
      excessInterest: at('excessInterest', g.excessInterest),
      ioNotionalBegin: at('ioNotionalBegin', g.ioNotionalBegin),
      ioNotionalEnd: at('ioNotionalEnd', g.ioNotionalEnd),
    };
    const end = (x: {
      scheduledPrincipal: bigint;
      prepayments: bigint;
      recoveries: bigint;
      realizedLosses: bigint;
    }): bigint => x.scheduledPrincipal + x.prepayments + x.recoveries + x.realizedLosses;
    if (group.poolBalanceBegin - end(group) !== group.poolBalanceEnd) {
      issues.push({
        path: `report.groups[${i}].poolBalanceEnd`,
        message: 'begin - scheduled - prepayments - recoveries - losses does not equal the ending balance',
      });
    }
    if (group.po.balanceBegin - end(group.po) !== group.po.balanceEnd) {
      issues.push({
        path: `report.groups[${i}].po.balanceEnd`,
        message: 'the PO portion does not roll forward',
      });
    }
    return group;
  });
  const sums: [keyof GroupPeriod & keyof PoolPeriod, string][] = [
    ['poolBalanceBegin', 'poolBalanceBegin'],
    ['interest', 'interestCollected'],
    ['scheduledPrincipal', 'scheduledPrincipal'],
    ['prepayments', 'prepayments'],
    ['recoveries', 'recoveries'],
    ['realizedLosses', 'realizedLosses'],
    ['delinquent60Plus', 'delinquent60Plus'],
    ['poolBalanceEnd', 'poolBalanceEnd'],
  ];
  for (const [key, field] of sums) {
    const total = groups.reduce((t, g) => t + (g[key] as bigint), 0n);
    if (total !== pool[key]) {
      issues.push({
        path: `report.${field}`,
        message: `the groups' ${field} add up to ${formatMinor(total, rules.currency.minorDigits)}`,
      });
    }
  }
  return groups;
}

function isDealState(s: DealState | DealStateJson): s is DealState {
  return typeof s.originalPoolBalance === 'bigint';
}

/**
 * Actual-period mode: run one period of the waterfall on a servicer report's collections,
 * starting from the deal's current class balances, shortfalls, accounts and trigger states.
 * All money is exact (bigint minor units); the result's amounts are what the distribution pays.
 * Throws `EngineInputError` naming the path for invalid input (including a report whose balances
 * do not roll forward or whose period is not the next one) and `ConservationError` if the
 * period's cash does not reconcile to the unit.
 */
export function runActualPeriod(input: ActualPeriodInput): ActualPeriodResult {
  const rules = parseWaterfallRules(input.rules);
  const digits = rules.currency.minorDigits;
  const parsedReport = ServicerReportSchema.safeParse(input.report);
  if (!parsedReport.success) throw new EngineInputError(zodIssues('report', parsedReport.error));
  const report = parsedReport.data;
  const minor = (path: string, v: string): bigint => {
    try {
      return toMinor(v, digits);
    } catch (e) {
      throw new EngineInputError([{ path: `report.${path}`, message: (e as Error).message }]);
    }
  };
  const indexRates = new Map<string, bigint>();
  for (const [k, v] of Object.entries(report.indexRates)) indexRates.set(k, pctToScaled(v));
  const pool: PoolPeriod = {
    period: report.period,
    poolBalanceBegin: minor('poolBalanceBegin', report.poolBalanceBegin),
    interest: minor('interestCollected', report.interestCollected),
    servicingFee: minor('servicingFee', report.servicingFee),
    scheduledPrincipal: minor('scheduledPrincipal', report.scheduledPrincipal),
    prepayments: minor('prepayments', report.prepayments),
    recoveries: minor('recoveries', report.recoveries),
    realizedLosses: minor('realizedLosses', report.realizedLosses),
    newDefaults: minor('newDefaults', report.newDefaults),
    delinquent60Plus: minor('delinquent60Plus', report.delinquent60Plus),
    poolBalanceEnd: minor('poolBalanceEnd', report.poolBalanceEnd),
    indexRates,
  };
  const issues: InputIssue[] = [];
  const groups = reportedGroups(rules, report, pool, minor, issues);
  if (groups) pool.groups = groups;
  const expectedEnd =
    pool.poolBalanceBegin -
    pool.scheduledPrincipal -
    pool.prepayments -
    pool.recoveries -
    pool.realizedLosses;
  if (expectedEnd !== pool.poolBalanceEnd) {
    issues.push({
      path: 'report.poolBalanceEnd',
      message: `begin - scheduled - prepayments - recoveries - losses = ${formatMinor(expectedEnd, digits)}, report says ${report.poolBalanceEnd}`,
    });
  }
  const scheduleBalances = new Map<string, bigint[]>();
  if (input.closingCollateral) {
    const book = buildLoanBook(parseCollateral(input.closingCollateral, 'closingCollateral'));
    for (const s of rules.schedules) {
      if (!s.psaCollar) continue;
      let total = 0n;
      for (const id of s.classes) {
        const c = rules.classes.find((k) => k.id === id);
        if (c) total += toMinor(c.balance, digits);
      }
      scheduleBalances.set(s.id, collarSchedule(book, s.psaCollar[0], s.psaCollar[1], total, digits));
    }
  }
  const deal = compileDeal(rules, scheduleBalances);
  let state: DealState;
  if (input.state === undefined) state = initialDealState(deal, pool.poolBalanceBegin);
  else if (isDealState(input.state)) state = input.state;
  else state = parseDealState(input.state, digits);
  if (report.period !== state.period + 1) {
    issues.push({
      path: 'report.period',
      message: `expected period ${state.period + 1} (state is after period ${state.period})`,
    });
  }
  for (const c of rules.classes) {
    if (!(c.id in state.classes))
      issues.push({ path: `state.classes.${c.id}`, message: `missing class "${c.id}"` });
  }
  if (issues.length > 0) throw new EngineInputError(issues);
  const r = runPeriod(deal, state, pool);
  return {
    summary: r.summary,
    classes: r.classes,
    summaryJson: serializePeriodSummary(r.summary, digits),
    classesJson: r.classes.map((c) => serializeClassPeriod(c, digits)),
    next: r.next,
    nextJson: serializeDealState(r.next, digits),
  };
}
