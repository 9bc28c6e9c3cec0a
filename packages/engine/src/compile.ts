import { addDays, addMonths, parseDate, type DayCount, type YMD } from './dates.js';
import { EngineInputError } from './errors.js';
import { pctToScaled, toMinor } from './money.js';
import type {
  Amount,
  ClassDef,
  Condition,
  PctScheduleValue,
  PrincipalRule,
  RuleDocument,
  Step,
  TriggerDef,
} from './rules.js';

/*
 * A rule document compiled for execution: money and percentages as exact bigints, named rules
 * inlined, schedules resolved, payment dates computed.
 */

export type Sched = { from: number; pct: bigint }[];

export type CRule =
  | { k: 'class'; id: string }
  | { k: 'seq'; items: CRule[] }
  | { k: 'pro'; items: CRule[] }
  | { k: 'split'; parts: { pct: bigint; to: CRule }[] }
  | { k: 'sched'; id: string; classes: string[]; proRata: boolean }
  | { k: 'lockout'; rule: CRule; through: number }
  | { k: 'nas'; id: string; shift: Sched; basis: string[] }
  | { k: 'if'; cond: Condition; then: CRule; else: CRule | undefined };

export type CStep =
  | { k: 'fees'; ids: string[]; from: string[]; proRata: boolean }
  | { k: 'interest'; ids: string[]; from: string[]; proRata: boolean }
  | { k: 'carryover'; ids: string[]; from: string[]; proRata: boolean }
  | { k: 'reimburse'; ids: string[]; from: string[]; proRata: boolean }
  | { k: 'principal'; rule: CRule; amount: Amount; from: string[] }
  | { k: 'accrete'; ids: string[]; rule: CRule }
  | { k: 'deposit'; account: string; amount: Amount | undefined; from: string[] }
  | { k: 'release'; account: string; amount: Amount | undefined; to: 'interest' | 'principal' }
  | { k: 'if'; cond: Condition; then: CStep[]; else: CStep[] };

export type Rate = { num: bigint; den: bigint };

export interface CClass {
  id: string;
  def: ClassDef;
  original: bigint;
  coupon:
    | { k: 'fixed'; pct: bigint }
    | { k: 'float'; index: string; margin: bigint; mult: bigint; cap: bigint | undefined; floor: bigint }
    | { k: 'wac'; spread: bigint; cap: bigint | undefined };
  dayCount: DayCount;
  /** Interest-only class: notional = pct x the current balances of `classes`. */
  notional: { classes: string[]; pct: bigint } | undefined;
}

export interface CFee {
  id: string;
  annual: bigint | undefined;
  basis: 'poolBalance' | 'originalPoolBalance';
  fixed: bigint;
}

/** A rule document compiled for execution: money and percentages exact, references resolved. */
export interface CompiledDeal {
  doc: RuleDocument;
  minorDigits: number;
  classes: CClass[];
  classById: Map<string, CClass>;
  residualId: string;
  fees: CFee[];
  feeById: Map<string, CFee>;
  accounts: { id: string; initial: bigint; target: Amount | undefined }[];
  triggers: TriggerDef[];
  triggerById: Map<string, TriggerDef>;
  schedules: Map<string, bigint[]>;
  steps: CStep[];
  writedownOrder: string[];
  paymentDates: ((n: number) => YMD) | undefined;
  closingDate: YMD | undefined;
}

export function compileSched(s: PctScheduleValue): Sched {
  if (typeof s === 'number') return [{ from: 1, pct: pctToScaled(s) }];
  return s.map((x) => ({ from: x.fromPeriod, pct: pctToScaled(x.pct) }));
}

export function schedAt(s: Sched, n: number): bigint {
  let v = s[0]?.pct ?? 0n;
  for (const x of s) if (x.from <= n) v = x.pct;
  return v;
}

function compileRule(doc: RuleDocument, r: PrincipalRule, schedules: RuleDocument['schedules']): CRule {
  const rec = (x: PrincipalRule): CRule => compileRule(doc, x, schedules);
  if (typeof r === 'string') return { k: 'class', id: r };
  if ('sequential' in r) return { k: 'seq', items: r.sequential.map(rec) };
  if ('proRata' in r) return { k: 'pro', items: r.proRata.map(rec) };
  if ('split' in r)
    return { k: 'split', parts: r.split.map((p) => ({ pct: pctToScaled(p.pct), to: rec(p.to) })) };
  if ('toSchedule' in r) {
    const s = schedules.find((x) => x.id === r.toSchedule);
    return { k: 'sched', id: r.toSchedule, classes: s ? s.classes : [], proRata: s?.mode === 'proRata' };
  }
  if ('lockout' in r) return { k: 'lockout', rule: rec(r.lockout), through: r.throughPeriod };
  if ('nas' in r) return { k: 'nas', id: r.nas, shift: compileSched(r.shiftPct), basis: r.basis };
  if ('if' in r)
    return { k: 'if', cond: r.if, then: rec(r.then), else: r.else === undefined ? undefined : rec(r.else) };
  const named = doc.rules[r.ref];
  if (named === undefined)
    throw new EngineInputError([{ path: 'rules.rules', message: `unknown rule "${r.ref}"` }]);
  return rec(named);
}

function compileSteps(doc: RuleDocument, steps: Step[]): CStep[] {
  return steps.map((s): CStep => {
    if ('payFees' in s)
      return { k: 'fees', ids: s.payFees, from: s.from ?? ['interest'], proRata: s.mode === 'proRata' };
    if ('payInterest' in s) {
      return {
        k: 'interest',
        ids: s.payInterest,
        from: s.from ?? ['interest'],
        proRata: s.mode === 'proRata',
      };
    }
    if ('reimburseWritedowns' in s) {
      return {
        k: 'reimburse',
        ids: s.reimburseWritedowns,
        from: s.from ?? ['interest'],
        proRata: s.mode === 'proRata',
      };
    }
    if ('payCapCarryover' in s) {
      return {
        k: 'carryover',
        ids: s.payCapCarryover,
        from: s.from ?? ['interest'],
        proRata: s.mode === 'proRata',
      };
    }
    if ('payPrincipal' in s) {
      return {
        k: 'principal',
        rule: compileRule(doc, s.payPrincipal, doc.schedules),
        amount: s.amount ?? 'available',
        from: s.from ?? ['principal'],
      };
    }
    if ('accrete' in s) return { k: 'accrete', ids: s.accrete, rule: compileRule(doc, s.to, doc.schedules) };
    if ('deposit' in s)
      return { k: 'deposit', account: s.deposit, amount: s.amount, from: s.from ?? ['interest'] };
    if ('release' in s) return { k: 'release', account: s.release, amount: s.amount, to: s.to ?? 'interest' };
    return { k: 'if', cond: s.if, then: compileSteps(doc, s.then), else: compileSteps(doc, s.else ?? []) };
  });
}

/**
 * Compile a validated rule document. `scheduleBalances` supplies target balances (minor units,
 * one per period from period 1) for schedules defined by a PSA collar; schedules with explicit
 * `balances` are taken from the document. Throws `EngineInputError` if a schedule has neither.
 */
export function compileDeal(
  doc: RuleDocument,
  scheduleBalances: Map<string, bigint[]> = new Map(),
): CompiledDeal {
  const digits = doc.currency.minorDigits;
  const classes: CClass[] = doc.classes.map((def) => {
    const c = def.coupon;
    let coupon: CClass['coupon'];
    if (typeof c === 'number') coupon = { k: 'fixed', pct: pctToScaled(c) };
    else if ('fixedPct' in c) coupon = { k: 'fixed', pct: pctToScaled(c.fixedPct) };
    else if ('index' in c) {
      coupon = {
        k: 'float',
        index: c.index,
        margin: pctToScaled(c.marginPct),
        mult: pctToScaled(c.multiplier ?? 1),
        cap: c.capPct === undefined ? undefined : pctToScaled(c.capPct),
        floor: pctToScaled(c.floorPct ?? 0),
      };
    } else {
      coupon = {
        k: 'wac',
        spread: pctToScaled(c.netWac.spreadPct ?? 0),
        cap: c.netWac.capPct === undefined ? undefined : pctToScaled(c.netWac.capPct),
      };
    }
    return {
      id: def.id,
      def,
      original: toMinor(def.balance, digits),
      coupon,
      dayCount: def.dayCount,
      notional: def.notional
        ? { classes: def.notional.classes, pct: pctToScaled(def.notional.pct) }
        : undefined,
    };
  });
  const schedules = new Map<string, bigint[]>();
  doc.schedules.forEach((s, i) => {
    if (s.balances)
      schedules.set(
        s.id,
        s.balances.map((b) => toMinor(b, digits)),
      );
    else {
      const given = scheduleBalances.get(s.id);
      if (!given) {
        throw new EngineInputError([
          {
            path: `rules.schedules[${i}].psaCollar`,
            message: `schedule "${s.id}" is defined by a PSA collar; compute it from the collateral (projectDeal does) or give balances`,
          },
        ]);
      }
      schedules.set(s.id, given);
    }
  });
  const fees: CFee[] = doc.fees.map((f) => ({
    id: f.id,
    annual: f.annualPct === undefined ? undefined : pctToScaled(f.annualPct),
    basis: f.basis,
    fixed: f.fixed === undefined ? 0n : toMinor(f.fixed, digits),
  }));
  const residual = doc.classes.find((c) => c.residual);
  let paymentDates: CompiledDeal['paymentDates'];
  let closingDate: YMD | undefined;
  if (doc.dates) {
    const cutoff = parseDate(doc.dates.cutoffDate);
    const delay = doc.dates.statedDelayDays - 1;
    const first = doc.dates.firstPaymentDate
      ? parseDate(doc.dates.firstPaymentDate)
      : addDays(addMonths(cutoff, Math.floor(delay / 30)), delay % 30);
    paymentDates = (n: number) => addMonths(first, n - 1, first.d);
    closingDate = doc.dates.closingDate ? parseDate(doc.dates.closingDate) : cutoff;
  }
  return {
    doc,
    minorDigits: digits,
    classes,
    classById: new Map(classes.map((c) => [c.id, c])),
    residualId: residual?.id ?? '',
    fees,
    feeById: new Map(fees.map((f) => [f.id, f])),
    accounts: doc.accounts.map((a) => ({ id: a.id, initial: toMinor(a.initial, digits), target: a.target })),
    triggers: doc.triggers,
    triggerById: new Map(doc.triggers.map((t) => [t.id, t])),
    schedules,
    steps: compileSteps(doc, doc.waterfall),
    writedownOrder: doc.losses?.writedownOrder ?? [],
    paymentDates,
    closingDate,
  };
}
