import { z } from 'zod';

import { ISO_DATE_RE } from './dates.js';
import { EngineInputError, formatPath, zodIssues, type InputIssue, type PathSegment } from './errors.js';
import { pctToScaled, toMinor } from './money.js';

/*
 * The waterfall rule document: a deal's classes, fees, accounts, triggers and its priority of
 * payments as data. Shapes are keyed like absbox's lists and maps so a structurer can read
 * them: `{ "sequential": ["A1", "A2"] }`, `{ "split": [{ "pct": 60, "to": "A" }, ...] }`.
 * Units: money in major units (number or decimal string), percentages in percent (5.5 = 5.5%),
 * periods are 1-based distribution periods.
 */

const Id = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'ids use letters, digits, "_", "-" and "."');
const Money = z.union([
  z.number().finite().min(0),
  z.string().regex(/^\d+(\.\d+)?$/, 'expected a decimal amount'),
]);
export type MoneyValue = z.infer<typeof Money>;

/** A percentage that may change over time: a constant or steps `[{ fromPeriod: 1, pct: 100 }, ...]`. */
const PctSchedule = z.union([
  z.number().finite(),
  z.array(z.strictObject({ fromPeriod: z.number().int().positive(), pct: z.number().finite() })).min(1),
]);
export type PctScheduleValue = z.infer<typeof PctSchedule>;

const FundName = Id.describe('"interest", "principal" or an account id');

const CouponSchema = z.union([
  z.number().min(0).describe('fixed coupon, percent'),
  z.strictObject({ fixedPct: z.number().min(0) }),
  z.strictObject({
    index: Id,
    marginPct: z
      .number()
      .describe('added to multiplier x index; an inverse floater has a negative multiplier'),
    multiplier: z.number().optional().describe('default 1'),
    capPct: z.number().optional(),
    floorPct: z.number().optional(),
  }),
  z.strictObject({
    netWac: z.strictObject({ spreadPct: z.number().optional(), capPct: z.number().optional() }),
  }),
]);

const ClassSchema = z.strictObject({
  id: Id,
  description: z.string().optional(),
  balance: Money.default(0).describe('original (or current, for a deal already running) balance'),
  coupon: CouponSchema.default(0),
  dayCount: z.enum(['30/360', 'ACT/360', 'ACT/365']).default('30/360'),
  accrual: z.boolean().default(false).describe('Z class: interest accretes to balance via an accrete step'),
  residual: z.boolean().default(false).describe('takes whatever is left each period'),
  interestOnShortfall: z.boolean().default(false).describe('unpaid interest itself accrues at the coupon'),
  netWacCap: z
    .strictObject({ spreadPct: z.number().optional() })
    .optional()
    .describe(
      'cap current interest at the net WAC (+ spread) on a 30/360 basis; the excess is carried over and paid by payCapCarryover steps',
    ),
  notional: z
    .strictObject({ classes: z.array(Id).min(1), pct: z.number().min(0).default(100) })
    .optional()
    .describe('interest-only class: balance = pct x the balances of these classes; never paid principal'),
});

const FeeSchema = z
  .strictObject({
    id: Id,
    annualPct: z.number().min(0).optional().describe('percent a year of the basis, accrued 30/360'),
    basis: z.enum(['poolBalance', 'originalPoolBalance']).default('poolBalance'),
    fixed: Money.optional().describe('amount per period'),
  })
  .refine((f) => f.annualPct !== undefined || f.fixed !== undefined, {
    message: 'a fee needs annualPct or fixed',
  });

// ---- recursive shapes (typed by hand: zod infers recursive types poorly) ----

export type Condition =
  | { trigger: string }
  | { not: Condition }
  | { all: Condition[] }
  | { any: Condition[] }
  | { periodAtLeast: number }
  | { retired: string[] };

export type PrincipalRule =
  | string
  | { sequential: PrincipalRule[] }
  | { proRata: PrincipalRule[] }
  | { split: { pct: number; to: PrincipalRule }[] }
  | { toSchedule: string }
  | { lockout: PrincipalRule; throughPeriod: number }
  | { nas: string; shiftPct: PctScheduleValue; basis: string[] }
  | { if: Condition; then: PrincipalRule; else?: PrincipalRule }
  | { ref: string };

export interface OcSpec {
  pctOfOriginal: number;
  pctOfCurrent?: number;
  floorPctOfOriginal?: number;
  stepdown?: Condition;
}

export interface SeniorPrincipalSpec {
  seniors: string[];
  shiftPct: PctScheduleValue;
  blockedBy?: Condition;
}

export type AmountName =
  | 'available'
  | 'principalCollections'
  | 'scheduledPrincipal'
  | 'prepayments'
  | 'recoveries'
  | 'realizedLosses'
  | 'overcollateralization'
  | 'poolBalance';

export type Amount =
  | AmountName
  | { fixed: MoneyValue }
  | { pct: number; of: Amount }
  | { sum: Amount[] }
  | { minus: [Amount, Amount] }
  | { min: Amount[] }
  | { max: Amount[] }
  | { classBalance: string[] }
  | { seniorPrincipal: SeniorPrincipalSpec }
  | { ocTarget: OcSpec }
  | { ocDeficiency: OcSpec }
  | { ocExcess: OcSpec }
  | { ocPrincipalDistribution: OcSpec };

export type Step =
  | { payFees: string[]; from?: string[]; mode?: 'sequential' | 'proRata' }
  | { payInterest: string[]; from?: string[]; mode?: 'sequential' | 'proRata' }
  | { payCapCarryover: string[]; from?: string[]; mode?: 'sequential' | 'proRata' }
  | { reimburseWritedowns: string[]; from?: string[]; mode?: 'sequential' | 'proRata' }
  | { payPrincipal: PrincipalRule; amount?: Amount; from?: string[] }
  | { accrete: string[]; to: PrincipalRule }
  | { deposit: string; amount?: Amount; from?: string[] }
  | { release: string; amount?: Amount; to?: 'interest' | 'principal' }
  | { if: Condition; then: Step[]; else?: Step[] };

const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ trigger: Id }),
    z.strictObject({ not: ConditionSchema }),
    z.strictObject({ all: z.array(ConditionSchema).min(1) }),
    z.strictObject({ any: z.array(ConditionSchema).min(1) }),
    z.strictObject({ periodAtLeast: z.number().int().positive() }),
    z.strictObject({ retired: z.array(Id).min(1) }),
  ]),
);

const PrincipalRuleSchema: z.ZodType<PrincipalRule> = z.lazy(() =>
  z.union([
    Id,
    z.strictObject({ sequential: z.array(PrincipalRuleSchema).min(1) }),
    z.strictObject({ proRata: z.array(PrincipalRuleSchema).min(1) }),
    z.strictObject({
      split: z.array(z.strictObject({ pct: z.number().min(0).max(100), to: PrincipalRuleSchema })).min(1),
    }),
    z.strictObject({ toSchedule: Id }),
    z.strictObject({ lockout: PrincipalRuleSchema, throughPeriod: z.number().int().min(0) }),
    z.strictObject({ nas: Id, shiftPct: PctSchedule, basis: z.array(Id).min(1) }),
    z.strictObject({ if: ConditionSchema, then: PrincipalRuleSchema, else: PrincipalRuleSchema.optional() }),
    z.strictObject({ ref: Id }),
  ]),
);

const OcSpecSchema: z.ZodType<OcSpec> = z.lazy(() =>
  z.strictObject({
    pctOfOriginal: z.number().min(0),
    pctOfCurrent: z.number().min(0).optional(),
    floorPctOfOriginal: z.number().min(0).optional(),
    stepdown: ConditionSchema.optional(),
  }),
);

const AmountSchema: z.ZodType<Amount> = z.lazy(() =>
  z.union([
    z.enum([
      'available',
      'principalCollections',
      'scheduledPrincipal',
      'prepayments',
      'recoveries',
      'realizedLosses',
      'overcollateralization',
      'poolBalance',
    ]),
    z.strictObject({ fixed: Money }),
    z.strictObject({ pct: z.number().min(0), of: AmountSchema }),
    z.strictObject({ sum: z.array(AmountSchema).min(1) }),
    z.strictObject({ minus: z.tuple([AmountSchema, AmountSchema]) }),
    z.strictObject({ min: z.array(AmountSchema).min(1) }),
    z.strictObject({ max: z.array(AmountSchema).min(1) }),
    z.strictObject({ classBalance: z.array(Id).min(1) }),
    z.strictObject({
      seniorPrincipal: z.strictObject({
        seniors: z.array(Id).min(1),
        shiftPct: PctSchedule,
        blockedBy: ConditionSchema.optional(),
      }),
    }),
    z.strictObject({ ocTarget: OcSpecSchema }),
    z.strictObject({ ocDeficiency: OcSpecSchema }),
    z.strictObject({ ocExcess: OcSpecSchema }),
    z.strictObject({ ocPrincipalDistribution: OcSpecSchema }),
  ]),
);

const Mode = z.enum(['sequential', 'proRata']);

const StepSchema: z.ZodType<Step> = z.lazy(() =>
  z.union([
    z.strictObject({
      payFees: z.array(Id).min(1),
      from: z.array(FundName).min(1).optional(),
      mode: Mode.optional(),
    }),
    z.strictObject({
      reimburseWritedowns: z.array(Id).min(1),
      from: z.array(FundName).min(1).optional(),
      mode: Mode.optional(),
    }),
    z.strictObject({
      payCapCarryover: z.array(Id).min(1),
      from: z.array(FundName).min(1).optional(),
      mode: Mode.optional(),
    }),
    z.strictObject({
      payInterest: z.array(Id).min(1),
      from: z.array(FundName).min(1).optional(),
      mode: Mode.optional(),
    }),
    z.strictObject({
      payPrincipal: PrincipalRuleSchema,
      amount: AmountSchema.optional(),
      from: z.array(FundName).min(1).optional(),
    }),
    z.strictObject({ accrete: z.array(Id).min(1), to: PrincipalRuleSchema }),
    z.strictObject({
      deposit: Id,
      amount: AmountSchema.optional(),
      from: z.array(FundName).min(1).optional(),
    }),
    z.strictObject({
      release: Id,
      amount: AmountSchema.optional(),
      to: z.enum(['interest', 'principal']).optional(),
    }),
    z.strictObject({ if: ConditionSchema, then: z.array(StepSchema), else: z.array(StepSchema).optional() }),
  ]),
);

const TriggerBase = { id: Id, sticky: z.boolean().default(false).describe('once breached, stays breached') };

const TriggerSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...TriggerBase,
    type: z.literal('cumulativeLoss'),
    thresholdPct: PctSchedule.describe('breached when cumulative losses / original pool > threshold'),
  }),
  z.strictObject({
    ...TriggerBase,
    type: z.literal('delinquency'),
    thresholdPct: PctSchedule.describe('breached when average 60+ delinquent / pool balance > threshold'),
    rollingMonths: z.number().int().positive().max(12).default(1),
    seniorEnhancementOf: z
      .array(Id)
      .min(1)
      .optional()
      .describe(
        'compare with threshold % of the senior enhancement (pool - these classes) / pool instead of 100%',
      ),
  }),
  z.strictObject({
    ...TriggerBase,
    type: z.literal('overcollateralization'),
    classes: z.array(Id).min(1),
    minRatioPct: PctSchedule.describe('breached when pool balance / class balances < minimum'),
  }),
  z.strictObject({
    ...TriggerBase,
    type: z.literal('interestCoverage'),
    classes: z.array(Id).min(1),
    minRatioPct: PctSchedule.describe('breached when interest collections / class interest due < minimum'),
  }),
  z.strictObject({ ...TriggerBase, type: z.literal('any'), of: z.array(Id).min(1) }),
  z.strictObject({ ...TriggerBase, type: z.literal('all'), of: z.array(Id).min(1) }),
]);

const AccountSchema = z.strictObject({
  id: Id,
  initial: Money.default(0),
  target: AmountSchema.optional().describe(
    'target balance; deposits top up to it, releases pay out the excess',
  ),
});

const ScheduleSchema = z
  .strictObject({
    id: Id,
    kind: z.enum(['PAC', 'TAC', 'other']).default('PAC'),
    mode: z
      .enum(['sequential', 'proRata'])
      .default('sequential')
      .describe('how the classes share the principal that brings them to the schedule'),
    classes: z.array(Id).min(1).describe('paid down sequentially to the schedule'),
    balances: z.array(Money).min(1).optional().describe('target aggregate balance after each period'),
    psaCollar: z
      .tuple([z.number().min(0), z.number().min(0)])
      .optional()
      .describe('[low, high] PSA: principal each period = min of the collateral principal at both speeds'),
  })
  .refine((s) => (s.balances === undefined) !== (s.psaCollar === undefined), {
    message: 'a schedule needs exactly one of balances or psaCollar',
  });

const DatesSchema = z.strictObject({
  cutoffDate: z.string().regex(ISO_DATE_RE, 'expected YYYY-MM-DD'),
  closingDate: z.string().regex(ISO_DATE_RE, 'expected YYYY-MM-DD').optional(),
  firstPaymentDate: z.string().regex(ISO_DATE_RE, 'expected YYYY-MM-DD').optional(),
  statedDelayDays: z
    .number()
    .int()
    .min(1)
    .max(90)
    .default(55)
    .describe('SIFMA stated delay: first payment = cutoff + statedDelay - 1 days (55 -> the 25th)'),
});

/**
 * Zod schema of a waterfall rule document (structural checks only: use `parseWaterfallRules`,
 * which also checks references, cycles and percentage sums).
 */
export const RuleDocumentSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  currency: z
    .strictObject({ code: z.string().default('USD'), minorDigits: z.number().int().min(0).max(6).default(2) })
    .default({ code: 'USD', minorDigits: 2 }),
  dates: DatesSchema.optional(),
  classes: z.array(ClassSchema).min(1),
  fees: z.array(FeeSchema).default([]),
  accounts: z.array(AccountSchema).default([]),
  triggers: z.array(TriggerSchema).default([]),
  schedules: z.array(ScheduleSchema).default([]),
  rules: z.record(Id, PrincipalRuleSchema).default({}),
  waterfall: z.array(StepSchema).min(1),
  losses: z
    .strictObject({ writedownOrder: z.array(Id).min(1).describe('classes written down first to last') })
    .optional(),
});

export type RuleDocumentInput = z.input<typeof RuleDocumentSchema>;
export type RuleDocument = z.output<typeof RuleDocumentSchema>;
export type ClassDef = RuleDocument['classes'][number];
export type FeeDef = RuleDocument['fees'][number];
export type TriggerDef = RuleDocument['triggers'][number];
export type ScheduleDef = RuleDocument['schedules'][number];
export type AccountDef = RuleDocument['accounts'][number];

// ---------------------------------------------------------------- semantic validation

type Path = PathSegment[];

class Checker {
  readonly issues: InputIssue[] = [];
  readonly classes = new Map<string, ClassDef>();
  readonly fees = new Set<string>();
  readonly accounts = new Set<string>();
  readonly triggers = new Map<string, TriggerDef>();
  readonly schedules = new Set<string>();
  readonly ruleNames: Set<string>;
  constructor(
    readonly doc: RuleDocument,
    readonly root: string,
  ) {
    this.ruleNames = new Set(Object.keys(doc.rules));
  }
  add(path: Path, message: string): void {
    this.issues.push({ path: formatPath(this.root, path), message });
  }
  cls(id: string, path: Path, what = 'class'): void {
    if (!this.classes.has(id)) this.add(path, `unknown ${what} "${id}"`);
  }
  fund(name: string, path: Path): void {
    if (name !== 'interest' && name !== 'principal' && !this.accounts.has(name)) {
      this.add(path, `unknown fund "${name}" (expected "interest", "principal" or an account id)`);
    }
  }
}

function checkPctSchedule(c: Checker, s: PctScheduleValue, path: Path): void {
  if (typeof s === 'number') return;
  s.forEach((step, i) => {
    if (i === 0 && step.fromPeriod !== 1)
      c.add([...path, 0, 'fromPeriod'], 'the first step must start at period 1');
    const prev = i > 0 ? s[i - 1] : undefined;
    if (prev && step.fromPeriod <= prev.fromPeriod) {
      c.add([...path, i, 'fromPeriod'], 'periods must increase');
    }
  });
}

function checkCondition(c: Checker, cond: Condition, path: Path): void {
  if ('trigger' in cond) {
    if (!c.triggers.has(cond.trigger)) c.add([...path, 'trigger'], `unknown trigger "${cond.trigger}"`);
  } else if ('not' in cond) checkCondition(c, cond.not, [...path, 'not']);
  else if ('all' in cond) cond.all.forEach((x, i) => checkCondition(c, x, [...path, 'all', i]));
  else if ('any' in cond) cond.any.forEach((x, i) => checkCondition(c, x, [...path, 'any', i]));
  else if ('retired' in cond) cond.retired.forEach((x, i) => c.cls(x, [...path, 'retired', i]));
}

function checkRule(c: Checker, rule: PrincipalRule, path: Path): void {
  if (typeof rule === 'string') {
    c.cls(rule, path);
    const def = c.classes.get(rule);
    if (def?.residual) c.add(path, `the residual class "${rule}" has no balance to pay principal on`);
    if (def?.notional) c.add(path, `the notional class "${rule}" is never paid principal`);
    return;
  }
  if ('sequential' in rule) rule.sequential.forEach((r, i) => checkRule(c, r, [...path, 'sequential', i]));
  else if ('proRata' in rule) rule.proRata.forEach((r, i) => checkRule(c, r, [...path, 'proRata', i]));
  else if ('split' in rule) {
    const total = rule.split.reduce((s, x) => s + x.pct, 0);
    if (Math.abs(total - 100) > 1e-9) c.add([...path, 'split'], `percentages sum to ${total}, not 100`);
    rule.split.forEach((x, i) => checkRule(c, x.to, [...path, 'split', i, 'to']));
  } else if ('toSchedule' in rule) {
    if (!c.schedules.has(rule.toSchedule))
      c.add([...path, 'toSchedule'], `unknown schedule "${rule.toSchedule}"`);
  } else if ('lockout' in rule) checkRule(c, rule.lockout, [...path, 'lockout']);
  else if ('nas' in rule) {
    c.cls(rule.nas, [...path, 'nas']);
    rule.basis.forEach((x, i) => c.cls(x, [...path, 'basis', i]));
    if (!rule.basis.includes(rule.nas))
      c.add([...path, 'basis'], `the NAS class "${rule.nas}" must be in its basis`);
    checkPctSchedule(c, rule.shiftPct, [...path, 'shiftPct']);
  } else if ('if' in rule) {
    checkCondition(c, rule.if, [...path, 'if']);
    checkRule(c, rule.then, [...path, 'then']);
    if (rule.else !== undefined) checkRule(c, rule.else, [...path, 'else']);
  } else if ('ref' in rule) {
    if (!c.ruleNames.has(rule.ref)) c.add([...path, 'ref'], `unknown rule "${rule.ref}"`);
  }
}

function checkOc(c: Checker, spec: OcSpec, path: Path): void {
  if (spec.stepdown) checkCondition(c, spec.stepdown, [...path, 'stepdown']);
}

function checkAmount(c: Checker, a: Amount, path: Path): void {
  if (typeof a === 'string') return;
  if ('fixed' in a) checkMoney(c, a.fixed, [...path, 'fixed']);
  else if ('pct' in a) checkAmount(c, a.of, [...path, 'of']);
  else if ('sum' in a) a.sum.forEach((x, i) => checkAmount(c, x, [...path, 'sum', i]));
  else if ('minus' in a) a.minus.forEach((x, i) => checkAmount(c, x, [...path, 'minus', i]));
  else if ('min' in a) a.min.forEach((x, i) => checkAmount(c, x, [...path, 'min', i]));
  else if ('max' in a) a.max.forEach((x, i) => checkAmount(c, x, [...path, 'max', i]));
  else if ('classBalance' in a) a.classBalance.forEach((x, i) => c.cls(x, [...path, 'classBalance', i]));
  else if ('seniorPrincipal' in a) {
    const sp = a.seniorPrincipal;
    sp.seniors.forEach((x, i) => c.cls(x, [...path, 'seniorPrincipal', 'seniors', i]));
    checkPctSchedule(c, sp.shiftPct, [...path, 'seniorPrincipal', 'shiftPct']);
    if (sp.blockedBy) checkCondition(c, sp.blockedBy, [...path, 'seniorPrincipal', 'blockedBy']);
  } else if ('ocTarget' in a) checkOc(c, a.ocTarget, [...path, 'ocTarget']);
  else if ('ocDeficiency' in a) checkOc(c, a.ocDeficiency, [...path, 'ocDeficiency']);
  else if ('ocExcess' in a) checkOc(c, a.ocExcess, [...path, 'ocExcess']);
  else if ('ocPrincipalDistribution' in a)
    checkOc(c, a.ocPrincipalDistribution, [...path, 'ocPrincipalDistribution']);
}

function checkMoney(c: Checker, m: MoneyValue, path: Path): void {
  try {
    toMinor(m, c.doc.currency.minorDigits);
  } catch (e) {
    c.add(path, (e as Error).message);
  }
}

function checkPct(c: Checker, pct: number, path: Path): void {
  try {
    pctToScaled(pct);
  } catch (e) {
    c.add(path, (e as Error).message);
  }
}

function checkSteps(
  c: Checker,
  steps: Step[],
  path: Path,
  accreted: Set<string>,
  interestPaid: Set<string>,
): void {
  steps.forEach((step, i) => {
    const p: Path = [...path, i];
    if ('payFees' in step) {
      step.payFees.forEach((f, j) => {
        if (!c.fees.has(f)) c.add([...p, 'payFees', j], `unknown fee "${f}"`);
      });
      step.from?.forEach((f, j) => c.fund(f, [...p, 'from', j]));
    } else if ('payInterest' in step) {
      step.payInterest.forEach((id, j) => {
        c.cls(id, [...p, 'payInterest', j]);
        const def = c.classes.get(id);
        if (def?.accrual)
          c.add([...p, 'payInterest', j], `accrual class "${id}" takes interest through an accrete step`);
        if (def?.residual) c.add([...p, 'payInterest', j], `the residual class "${id}" is paid what is left`);
        interestPaid.add(id);
      });
      step.from?.forEach((f, j) => c.fund(f, [...p, 'from', j]));
    } else if ('reimburseWritedowns' in step) {
      step.reimburseWritedowns.forEach((id, j) => c.cls(id, [...p, 'reimburseWritedowns', j]));
      step.from?.forEach((f, j) => c.fund(f, [...p, 'from', j]));
    } else if ('payCapCarryover' in step) {
      step.payCapCarryover.forEach((id, j) => {
        c.cls(id, [...p, 'payCapCarryover', j]);
        const def = c.classes.get(id);
        if (def && !def.netWacCap) c.add([...p, 'payCapCarryover', j], `class "${id}" has no netWacCap`);
      });
      step.from?.forEach((f, j) => c.fund(f, [...p, 'from', j]));
    } else if ('payPrincipal' in step) {
      checkRule(c, step.payPrincipal, [...p, 'payPrincipal']);
      if (step.amount !== undefined) checkAmount(c, step.amount, [...p, 'amount']);
      step.from?.forEach((f, j) => c.fund(f, [...p, 'from', j]));
    } else if ('accrete' in step) {
      step.accrete.forEach((id, j) => {
        c.cls(id, [...p, 'accrete', j]);
        const def = c.classes.get(id);
        if (def && !def.accrual)
          c.add([...p, 'accrete', j], `class "${id}" is not an accrual class (set "accrual": true)`);
        accreted.add(id);
      });
      checkRule(c, step.to, [...p, 'to']);
    } else if ('deposit' in step) {
      if (!c.accounts.has(step.deposit)) c.add([...p, 'deposit'], `unknown account "${step.deposit}"`);
      if (step.amount !== undefined) checkAmount(c, step.amount, [...p, 'amount']);
      step.from?.forEach((f, j) => c.fund(f, [...p, 'from', j]));
    } else if ('release' in step) {
      if (!c.accounts.has(step.release)) c.add([...p, 'release'], `unknown account "${step.release}"`);
      if (step.amount !== undefined) checkAmount(c, step.amount, [...p, 'amount']);
    } else {
      checkCondition(c, step.if, [...p, 'if']);
      checkSteps(c, step.then, [...p, 'then'], accreted, interestPaid);
      if (step.else) checkSteps(c, step.else, [...p, 'else'], accreted, interestPaid);
    }
  });
}

function ruleRefs(rule: PrincipalRule, out: string[]): void {
  if (typeof rule === 'string') return;
  if ('sequential' in rule) rule.sequential.forEach((r) => ruleRefs(r, out));
  else if ('proRata' in rule) rule.proRata.forEach((r) => ruleRefs(r, out));
  else if ('split' in rule) rule.split.forEach((x) => ruleRefs(x.to, out));
  else if ('lockout' in rule) ruleRefs(rule.lockout, out);
  else if ('if' in rule) {
    ruleRefs(rule.then, out);
    if (rule.else !== undefined) ruleRefs(rule.else, out);
  } else if ('ref' in rule) out.push(rule.ref);
}

/** Depth-first search for a cycle in a name -> names graph; returns the cycle as a list of names. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 1);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const s = state.get(next);
      if (s === 1) return [...stack.slice(stack.indexOf(next)), next];
      if (s === undefined && graph.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, 2);
    return undefined;
  };
  for (const node of graph.keys()) {
    if (!state.has(node)) {
      const found = visit(node);
      if (found) return found;
    }
  }
  return undefined;
}

function checkDocument(doc: RuleDocument, root: string): InputIssue[] {
  const c = new Checker(doc, root);
  const seen = new Map<string, string>();
  const unique = (id: string, kind: string, path: Path): void => {
    const prior = seen.get(id);
    if (prior !== undefined) c.add(path, `duplicate id "${id}" (already used by a ${prior})`);
    else seen.set(id, kind);
  };
  doc.classes.forEach((k, i) => {
    unique(k.id, 'class', ['classes', i, 'id']);
    c.classes.set(k.id, k);
    checkMoney(c, k.balance, ['classes', i, 'balance']);
    if (k.dayCount !== '30/360' && !doc.dates) {
      c.add(['classes', i, 'dayCount'], `${k.dayCount} needs "dates" (cutoffDate) in the rule document`);
    }
    if (k.residual && toMinorSafe(k.balance, doc.currency.minorDigits) !== 0n) {
      c.add(['classes', i, 'balance'], 'the residual class has no balance');
    }
    if (k.accrual && k.residual)
      c.add(['classes', i, 'accrual'], 'a class cannot be both accrual and residual');
    if (k.notional && (k.residual || k.accrual)) {
      c.add(['classes', i, 'notional'], 'a notional class cannot be accrual or residual');
    }
    if (k.notional && toMinorSafe(k.balance, doc.currency.minorDigits) !== 0n) {
      c.add(['classes', i, 'balance'], 'a notional class takes its balance from the classes it references');
    }
    if (typeof k.coupon === 'number') checkPct(c, k.coupon, ['classes', i, 'coupon']);
  });
  doc.classes.forEach((k, i) => {
    k.notional?.classes.forEach((id, j) => {
      const ref = c.classes.get(id);
      if (!ref) c.add(['classes', i, 'notional', 'classes', j], `unknown class "${id}"`);
      else if (ref.notional || ref.residual) {
        c.add(['classes', i, 'notional', 'classes', j], `"${id}" is not a principal-paying class`);
      }
    });
  });
  const residuals = doc.classes.filter((k) => k.residual);
  if (residuals.length !== 1) {
    c.add(
      ['classes'],
      `exactly one class must be the residual ("residual": true), found ${residuals.length}`,
    );
  }
  doc.fees.forEach((f, i) => {
    unique(f.id, 'fee', ['fees', i, 'id']);
    c.fees.add(f.id);
    if (f.fixed !== undefined) checkMoney(c, f.fixed, ['fees', i, 'fixed']);
  });
  doc.accounts.forEach((a, i) => {
    unique(a.id, 'account', ['accounts', i, 'id']);
    if (a.id === 'interest' || a.id === 'principal')
      c.add(['accounts', i, 'id'], `"${a.id}" is a reserved fund name`);
    c.accounts.add(a.id);
    checkMoney(c, a.initial, ['accounts', i, 'initial']);
  });
  doc.triggers.forEach((t, i) => {
    unique(t.id, 'trigger', ['triggers', i, 'id']);
    c.triggers.set(t.id, t);
  });
  doc.schedules.forEach((s, i) => {
    unique(s.id, 'schedule', ['schedules', i, 'id']);
    c.schedules.add(s.id);
    s.classes.forEach((k, j) => c.cls(k, ['schedules', i, 'classes', j]));
    s.balances?.forEach((b, j) => checkMoney(c, b, ['schedules', i, 'balances', j]));
    if (s.psaCollar && s.psaCollar[0] > s.psaCollar[1]) {
      c.add(['schedules', i, 'psaCollar'], 'the low speed must not exceed the high speed');
    }
  });
  doc.accounts.forEach((a, i) => {
    if (a.target) checkAmount(c, a.target, ['accounts', i, 'target']);
  });
  doc.triggers.forEach((t, i) => {
    const p: Path = ['triggers', i];
    if (t.type === 'any' || t.type === 'all') {
      t.of.forEach((id, j) => {
        if (!c.triggers.has(id)) c.add([...p, 'of', j], `unknown trigger "${id}"`);
      });
    } else if (t.type === 'delinquency') {
      t.seniorEnhancementOf?.forEach((id, j) => c.cls(id, [...p, 'seniorEnhancementOf', j]));
      checkPctSchedule(c, t.thresholdPct, [...p, 'thresholdPct']);
    } else if (t.type === 'overcollateralization' || t.type === 'interestCoverage') {
      t.classes.forEach((id, j) => c.cls(id, [...p, 'classes', j]));
      checkPctSchedule(c, t.minRatioPct, [...p, 'minRatioPct']);
    } else checkPctSchedule(c, t.thresholdPct, [...p, 'thresholdPct']);
  });
  const triggerGraph = new Map<string, string[]>();
  for (const t of doc.triggers) triggerGraph.set(t.id, t.type === 'any' || t.type === 'all' ? t.of : []);
  const tCycle = findCycle(triggerGraph);
  if (tCycle) {
    const i = doc.triggers.findIndex((t) => t.id === tCycle[0]);
    c.add(['triggers', i, 'of'], `cycle between triggers: ${tCycle.join(' -> ')}`);
  }
  for (const [name, rule] of Object.entries(doc.rules)) checkRule(c, rule, ['rules', name]);
  const ruleGraph = new Map<string, string[]>();
  for (const [name, rule] of Object.entries(doc.rules)) {
    const refs: string[] = [];
    ruleRefs(rule, refs);
    ruleGraph.set(name, refs);
  }
  const rCycle = findCycle(ruleGraph);
  if (rCycle) c.add(['rules', rCycle[0] ?? ''], `cycle between rules: ${rCycle.join(' -> ')}`);

  const accreted = new Set<string>();
  const interestPaid = new Set<string>();
  checkSteps(c, doc.waterfall, ['waterfall'], accreted, interestPaid);
  doc.classes.forEach((k, i) => {
    if (k.accrual && !accreted.has(k.id)) {
      c.add(['classes', i, 'accrual'], `accrual class "${k.id}" is not accreted by any waterfall step`);
    }
  });
  doc.losses?.writedownOrder.forEach((id, i) => {
    c.cls(id, ['losses', 'writedownOrder', i]);
    if (c.classes.get(id)?.notional)
      c.add(['losses', 'writedownOrder', i], `the notional class "${id}" has no principal`);
  });
  // A class paid by an accrete step's rule and also accreting itself would feed itself.
  return c.issues;
}

function toMinorSafe(m: MoneyValue, digits: number): bigint {
  try {
    return toMinor(m, digits);
  } catch {
    return 0n;
  }
}

/**
 * Parse and validate a waterfall rule document (an object or JSON text). Beyond the zod schema it
 * checks that every class, fee, account, trigger, schedule and named rule referenced exists, that
 * named rules and composite triggers have no cycles, that `split` percentages sum to 100, that
 * there is exactly one residual class and that accrual classes are accreted. Throws
 * `EngineInputError` whose message names the path, e.g.
 * `rules.waterfall[2].payPrincipal.sequential[0]: unknown class "A9"`.
 */
export function parseWaterfallRules(input: unknown, root = 'rules'): RuleDocument {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input) as unknown;
    } catch (e) {
      throw new EngineInputError([{ path: root, message: `invalid JSON: ${(e as Error).message}` }]);
    }
  }
  const r = RuleDocumentSchema.safeParse(value);
  if (!r.success) throw new EngineInputError(zodIssues(root, r.error));
  const issues = checkDocument(r.data, root);
  if (issues.length > 0) throw new EngineInputError(issues);
  return r.data;
}
