import { z } from 'zod';

import { ISO_DATE_RE } from './dates.js';

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
  ratioStrip: z
    .strictObject({ group: Id, part: z.enum(['PO', 'IO']) })
    .optional()
    .describe(
      "ratio-stripped class of a collateral group with a strip rate: the PO takes the discount fraction of the discount loans' principal, the IO (notional: the premium loans' balance) their excess interest",
    ),
});

const CollateralGroupSchema = z.strictObject({
  id: Id.describe('loans name it in their "group" field; loans without one are in the first group'),
  stripRatePct: z
    .number()
    .positive()
    .optional()
    .describe(
      'ratio strip target rate: loans with a lower net rate are discount loans (PO fraction (target - net) / target), loans with a higher one premium loans (excess interest to the IO)',
    ),
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
  | NasPrioritySpec
  | { if: Condition; then: PrincipalRule; else?: PrincipalRule }
  | { ref: string };

/**
 * The prospectus NAS priority amount of a NAS class (see `principal-allocation.ts`): NAS% x
 * shift% x the group's non-PO scheduled principal + NAS% x prepayment shift% x its non-PO
 * prepayments (and net liquidation proceeds when `includeRecoveries`).
 */
export interface NasPrioritySpec {
  nasPriority: string;
  group?: string;
  scheduledShiftPct: PctScheduleValue;
  prepaymentShiftPct: PctScheduleValue;
  includeRecoveries?: boolean;
}

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
  /** Collateral group whose non-PO collections and balance the percentages are taken against. */
  group?: string;
  /** Two-times step-down: while `passes` holds (and nothing blocks), the shift is `shiftPct` instead. */
  twoTimes?: { passes: Condition; shiftPct: PctScheduleValue };
  /** While `blockedBy` holds: shift 100% (default) or no reduction from last period's shift. */
  whenBlocked?: 'hundredPct' | 'noReduction';
}

export interface UndercollateralizationSpec {
  group: string;
  seniors: string[];
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
  | { poPrincipal: string }
  | { undercollateralization: UndercollateralizationSpec }
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
    z.strictObject({
      nasPriority: Id.describe('the NAS class'),
      group: Id.optional().describe('collateral group (default: the whole pool)'),
      scheduledShiftPct: PctSchedule.describe('shift percentage of scheduled principal; may exceed 100'),
      prepaymentShiftPct: PctSchedule.describe('shift percentage of prepayments; may exceed 100'),
      includeRecoveries: z.boolean().optional().describe('count net liquidation proceeds with prepayments'),
    }),
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
        group: Id.optional(),
        twoTimes: z
          .strictObject({ passes: ConditionSchema, shiftPct: PctSchedule })
          .optional()
          .describe('shift used while the two-times test passes (e.g. 50 through month 36, then 0)'),
        whenBlocked: z
          .enum(['hundredPct', 'noReduction'])
          .optional()
          .describe(
            "while blockedBy holds: the senior prepayment percentage is 100% (default), or the shift is not reduced below last period's",
          ),
      }),
    }),
    z.strictObject({ poPrincipal: Id.describe('collateral group') }),
    z.strictObject({
      undercollateralization: z.strictObject({ group: Id, seniors: z.array(Id).min(1) }),
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
  z.strictObject({
    ...TriggerBase,
    type: z.literal('twoTimesTest'),
    subordinates: z.array(Id).min(1),
    multiplePct: z.number().positive().default(200).describe('of the original subordinate percentage'),
    cumulativeLossLimitPct: PctSchedule.describe('of the original subordinate balance, e.g. 20 then 30'),
    delinquencyLimitPct: z.number().min(0).default(50).describe('of the current subordinate balance'),
    rollingMonths: z.number().int().positive().max(12).default(6),
  }),
  z.strictObject({
    ...TriggerBase,
    type: z.literal('stepdownTest'),
    subordinates: z.array(Id).min(1),
    cumulativeLossLimitPct: PctSchedule.describe('of the original subordinate balance, by period'),
    delinquencyLimitPct: z.number().min(0).default(50).describe('of the current subordinate balance'),
    rollingMonths: z.number().int().positive().max(12).default(6),
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
    classes: z.array(Id).min(1).describe('paid down to the schedule, sequentially or pro rata as mode says'),
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
  collateralGroups: z
    .array(CollateralGroupSchema)
    .default([])
    .describe('loan groups, each with its own collections and funds "interest.<id>", "principal.<id>"'),
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
export type CollateralGroupDef = RuleDocument['collateralGroups'][number];
