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
 * inlined, schedules resolved, payment dates computed. Step and rule kinds keep the document's
 * words (`payFees`, `sequential`, `toSchedule`, ...) so the compiled form reads like the document.
 */

/**
 * A percentage that steps by period (a share shift, a trigger threshold), in scaled units
 * (`PCT_SCALE` per 1%); each entry applies from `fromPeriod` until the next one.
 */
export type PercentSchedule = { fromPeriod: number; pct: bigint }[];

/** A principal rule with named rules inlined and `toSchedule` resolved to its classes. */
export type CompiledPrincipalRule =
  | { kind: 'class'; classId: string }
  | { kind: 'sequential'; rules: CompiledPrincipalRule[] }
  | { kind: 'proRata'; rules: CompiledPrincipalRule[] }
  | { kind: 'split'; parts: { pct: bigint; to: CompiledPrincipalRule }[] }
  | { kind: 'toSchedule'; scheduleId: string; classes: string[]; proRata: boolean }
  | { kind: 'lockout'; rule: CompiledPrincipalRule; throughPeriod: number }
  | { kind: 'nas'; classId: string; shiftPct: PercentSchedule; basis: string[] }
  | {
      kind: 'nasPriority';
      classId: string;
      group: string | undefined;
      scheduledShiftPct: PercentSchedule;
      prepaymentShiftPct: PercentSchedule;
      includeRecoveries: boolean;
    }
  | {
      kind: 'if';
      condition: Condition;
      then: CompiledPrincipalRule;
      else: CompiledPrincipalRule | undefined;
    };

/** The fields of each kind of compiled waterfall step, keyed by the document's step name. */
export interface CompiledStepFields {
  payFees: { feeIds: string[]; from: string[]; proRata: boolean };
  payInterest: { classIds: string[]; from: string[]; proRata: boolean };
  payCapCarryover: { classIds: string[]; from: string[]; proRata: boolean };
  reimburseWritedowns: { classIds: string[]; from: string[]; proRata: boolean };
  payPrincipal: { rule: CompiledPrincipalRule; amount: Amount; from: string[] };
  accrete: { classIds: string[]; rule: CompiledPrincipalRule };
  deposit: { account: string; amount: Amount | undefined; from: string[] };
  release: { account: string; amount: Amount | undefined; to: 'interest' | 'principal' };
  if: { condition: Condition; then: CompiledStep[]; else: CompiledStep[] };
}

export type StepKind = keyof CompiledStepFields;

/**
 * One waterfall step with its defaults filled in (`from`, `amount`, `mode`). Written as a mapped
 * union so that a handler table keyed by `kind` type-checks without casts.
 */
export type CompiledStep<K extends StepKind = StepKind> = {
  [P in K]: { kind: P } & CompiledStepFields[P];
}[K];

/** An annual rate as an exact fraction (num / den of 1, e.g. 5% = 5e10 / 1e12). */
export type Rate = { num: bigint; den: bigint };

/** A class's coupon, percentages in scaled units. */
export type CompiledCoupon =
  | { kind: 'fixed'; pct: bigint }
  | {
      kind: 'floating';
      index: string;
      margin: bigint;
      multiplier: bigint;
      cap: bigint | undefined;
      floor: bigint;
    }
  | { kind: 'netWac'; spread: bigint; cap: bigint | undefined };

export interface CompiledClass {
  id: string;
  def: ClassDef;
  /** Balance in the rule document (original, or current for a deal already running), minor units. */
  originalBalance: bigint;
  coupon: CompiledCoupon;
  dayCount: DayCount;
  /** Interest-only class: notional = pct x the current balances of `classes`. */
  notional: { classes: string[]; pct: bigint } | undefined;
}

export interface CompiledFee {
  id: string;
  /** Percent a year of the basis (scaled), accrued monthly; undefined for a fixed-only fee. */
  annualPct: bigint | undefined;
  basis: 'poolBalance' | 'originalPoolBalance';
  /** Fixed amount per period, minor units (0 when none). */
  fixed: bigint;
}

/** A reserve account: its initial deposit (minor units) and target balance. */
export interface CompiledAccount {
  id: string;
  initial: bigint;
  target: Amount | undefined;
}

/** A rule document compiled for execution: money and percentages exact, references resolved. */
export interface CompiledDeal {
  doc: RuleDocument;
  minorDigits: number;
  classes: CompiledClass[];
  classById: Map<string, CompiledClass>;
  residualId: string;
  fees: CompiledFee[];
  feeById: Map<string, CompiledFee>;
  accounts: CompiledAccount[];
  triggers: TriggerDef[];
  triggerById: Map<string, TriggerDef>;
  /** PAC/TAC target balances by schedule id, one per period from period 1, minor units. */
  schedules: Map<string, bigint[]>;
  steps: CompiledStep[];
  writedownOrder: string[];
  paymentDates: ((period: number) => YMD) | undefined;
  closingDate: YMD | undefined;
  /** Collateral group ids, in document order (empty: one pool). */
  groupIds: string[];
  /** Funds holding collections, which the residual class sweeps: `interest`, `principal` and the groups'. */
  collectionFunds: string[];
  /** The interest funds (`interest` and each group's), which back accretion. */
  interestFunds: string[];
}

// Triggers and shifting-interest amounts read their schedules every period; parsing the decimal
// text once per schedule (documents are immutable once parsed) keeps that off the period loop.
const compiledSchedules = new WeakMap<object, PercentSchedule>();
const compiledConstants = new Map<number, PercentSchedule>();

/**
 * Compile a document percentage that may step by period (`5` or `[{ fromPeriod, pct }]`). The
 * result is cached per schedule and must not be modified.
 */
export function compilePercentSchedule(schedule: PctScheduleValue): PercentSchedule {
  if (typeof schedule === 'number') {
    let constant = compiledConstants.get(schedule);
    if (!constant) {
      constant = [{ fromPeriod: 1, pct: pctToScaled(schedule) }];
      compiledConstants.set(schedule, constant);
    }
    return constant;
  }
  let steps = compiledSchedules.get(schedule);
  if (!steps) {
    steps = schedule.map((x) => ({ fromPeriod: x.fromPeriod, pct: pctToScaled(x.pct) }));
    compiledSchedules.set(schedule, steps);
  }
  return steps;
}

/** The percentage (scaled) in force in `period`: the last step starting at or before it. */
export function percentAt(schedule: PercentSchedule, period: number): bigint {
  let pct = schedule[0]?.pct ?? 0n;
  for (const step of schedule) if (step.fromPeriod <= period) pct = step.pct;
  return pct;
}

function compileRule(doc: RuleDocument, rule: PrincipalRule): CompiledPrincipalRule {
  const inner = (x: PrincipalRule): CompiledPrincipalRule => compileRule(doc, x);
  if (typeof rule === 'string') return { kind: 'class', classId: rule };
  if ('sequential' in rule) return { kind: 'sequential', rules: rule.sequential.map(inner) };
  if ('proRata' in rule) return { kind: 'proRata', rules: rule.proRata.map(inner) };
  if ('split' in rule)
    return { kind: 'split', parts: rule.split.map((p) => ({ pct: pctToScaled(p.pct), to: inner(p.to) })) };
  if ('toSchedule' in rule) {
    const s = doc.schedules.find((x) => x.id === rule.toSchedule);
    return {
      kind: 'toSchedule',
      scheduleId: rule.toSchedule,
      classes: s ? s.classes : [],
      proRata: s?.mode === 'proRata',
    };
  }
  if ('lockout' in rule)
    return { kind: 'lockout', rule: inner(rule.lockout), throughPeriod: rule.throughPeriod };
  if ('nas' in rule) {
    return {
      kind: 'nas',
      classId: rule.nas,
      shiftPct: compilePercentSchedule(rule.shiftPct),
      basis: rule.basis,
    };
  }
  if ('nasPriority' in rule) {
    return {
      kind: 'nasPriority',
      classId: rule.nasPriority,
      group: rule.group,
      scheduledShiftPct: compilePercentSchedule(rule.scheduledShiftPct),
      prepaymentShiftPct: compilePercentSchedule(rule.prepaymentShiftPct),
      includeRecoveries: rule.includeRecoveries === true,
    };
  }
  if ('if' in rule) {
    return {
      kind: 'if',
      condition: rule.if,
      then: inner(rule.then),
      else: rule.else === undefined ? undefined : inner(rule.else),
    };
  }
  const named = doc.rules[rule.ref];
  if (named === undefined)
    throw new EngineInputError([{ path: 'rules.rules', message: `unknown rule "${rule.ref}"` }]);
  return inner(named);
}

/**
 * A step's funds with `interest` / `principal` standing for every group's fund too (in group
 * order), so that in a multi-group deal a step on `["principal"]` draws on all groups' cash.
 */
function expandFunds(doc: RuleDocument, from: string[]): string[] {
  if (doc.collateralGroups.length === 0) return from;
  const out: string[] = [];
  for (const fund of from) {
    out.push(fund);
    if (fund === 'interest' || fund === 'principal') {
      for (const g of doc.collateralGroups) out.push(`${fund}.${g.id}`);
    }
  }
  return out;
}

function compileSteps(doc: RuleDocument, steps: Step[]): CompiledStep[] {
  return steps.map((step): CompiledStep => {
    const s = 'from' in step && step.from ? { ...step, from: expandFunds(doc, step.from) } : step;
    const proRata = 'mode' in s && s.mode === 'proRata';
    if ('payFees' in s)
      return { kind: 'payFees', feeIds: s.payFees, from: s.from ?? expandFunds(doc, ['interest']), proRata };
    if ('payInterest' in s)
      return {
        kind: 'payInterest',
        classIds: s.payInterest,
        from: s.from ?? expandFunds(doc, ['interest']),
        proRata,
      };
    if ('reimburseWritedowns' in s) {
      return {
        kind: 'reimburseWritedowns',
        classIds: s.reimburseWritedowns,
        from: s.from ?? expandFunds(doc, ['interest']),
        proRata,
      };
    }
    if ('payCapCarryover' in s) {
      return {
        kind: 'payCapCarryover',
        classIds: s.payCapCarryover,
        from: s.from ?? expandFunds(doc, ['interest']),
        proRata,
      };
    }
    if ('payPrincipal' in s) {
      return {
        kind: 'payPrincipal',
        rule: compileRule(doc, s.payPrincipal),
        amount: s.amount ?? 'available',
        from: s.from ?? expandFunds(doc, ['principal']),
      };
    }
    if ('accrete' in s) return { kind: 'accrete', classIds: s.accrete, rule: compileRule(doc, s.to) };
    if ('deposit' in s)
      return {
        kind: 'deposit',
        account: s.deposit,
        amount: s.amount,
        from: s.from ?? expandFunds(doc, ['interest']),
      };
    if ('release' in s)
      return { kind: 'release', account: s.release, amount: s.amount, to: s.to ?? 'interest' };
    return {
      kind: 'if',
      condition: s.if,
      then: compileSteps(doc, s.then),
      else: compileSteps(doc, s.else ?? []),
    };
  });
}

function compileCoupon(coupon: ClassDef['coupon']): CompiledCoupon {
  if (typeof coupon === 'number') return { kind: 'fixed', pct: pctToScaled(coupon) };
  if ('fixedPct' in coupon) return { kind: 'fixed', pct: pctToScaled(coupon.fixedPct) };
  if ('index' in coupon) {
    return {
      kind: 'floating',
      index: coupon.index,
      margin: pctToScaled(coupon.marginPct),
      multiplier: pctToScaled(coupon.multiplier ?? 1),
      cap: coupon.capPct === undefined ? undefined : pctToScaled(coupon.capPct),
      floor: pctToScaled(coupon.floorPct ?? 0),
    };
  }
  return {
    kind: 'netWac',
    spread: pctToScaled(coupon.netWac.spreadPct ?? 0),
    cap: coupon.netWac.capPct === undefined ? undefined : pctToScaled(coupon.netWac.capPct),
  };
}

function scheduleBalancesOf(
  doc: RuleDocument,
  collarBalances: Map<string, bigint[]>,
  digits: number,
): Map<string, bigint[]> {
  const schedules = new Map<string, bigint[]>();
  doc.schedules.forEach((s, i) => {
    if (s.balances)
      schedules.set(
        s.id,
        s.balances.map((b) => toMinor(b, digits)),
      );
    else {
      const given = collarBalances.get(s.id);
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
  return schedules;
}

/** Payment date of each period (SIFMA stated delay from the cutoff, or the given first date). */
function paymentCalendar(doc: RuleDocument): Pick<CompiledDeal, 'paymentDates' | 'closingDate'> {
  if (!doc.dates) return { paymentDates: undefined, closingDate: undefined };
  const cutoff = parseDate(doc.dates.cutoffDate);
  const delay = doc.dates.statedDelayDays - 1;
  const first = doc.dates.firstPaymentDate
    ? parseDate(doc.dates.firstPaymentDate)
    : addDays(addMonths(cutoff, Math.floor(delay / 30)), delay % 30);
  return {
    paymentDates: (period: number) => addMonths(first, period - 1, first.d),
    closingDate: doc.dates.closingDate ? parseDate(doc.dates.closingDate) : cutoff,
  };
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
  const classes: CompiledClass[] = doc.classes.map((def) => ({
    id: def.id,
    def,
    originalBalance: toMinor(def.balance, digits),
    coupon: compileCoupon(def.coupon),
    dayCount: def.dayCount,
    notional: def.notional
      ? { classes: def.notional.classes, pct: pctToScaled(def.notional.pct) }
      : undefined,
  }));
  const schedules = scheduleBalancesOf(doc, scheduleBalances, digits);
  const fees: CompiledFee[] = doc.fees.map((f) => ({
    id: f.id,
    annualPct: f.annualPct === undefined ? undefined : pctToScaled(f.annualPct),
    basis: f.basis,
    fixed: f.fixed === undefined ? 0n : toMinor(f.fixed, digits),
  }));
  const residual = doc.classes.find((c) => c.residual);
  const { paymentDates, closingDate } = paymentCalendar(doc);
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
    groupIds: doc.collateralGroups.map((g) => g.id),
    collectionFunds: expandFunds(doc, ['interest', 'principal']),
    interestFunds: expandFunds(doc, ['interest']),
  };
}
