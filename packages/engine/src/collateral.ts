import { z } from 'zod';

import { parseCollateralFast } from './collateral-fast.js';
import { EngineInputError, zodIssues } from './errors.js';

const ArmSchema = z.strictObject({
  index: z.string().min(1).describe('index curve name, e.g. "SOFR30A"'),
  marginPct: z.number(),
  initialFixedMonths: z.number().int().min(0).describe('months from origination before the first reset'),
  resetFrequencyMonths: z.number().int().positive().default(12),
  initialCapPct: z
    .number()
    .min(0)
    .optional()
    .describe('max change at the first reset (default: periodic cap)'),
  periodicCapPct: z.number().min(0).optional(),
  periodicFloorPct: z.number().min(0).optional().describe('max decrease at a reset (default: periodic cap)'),
  lifetimeCapPct: z.number().optional(),
  lifetimeFloorPct: z.number().optional(),
  lookbackMonths: z.number().int().min(0).default(0),
  roundingPct: z
    .number()
    .min(0)
    .default(0)
    .describe('round index + margin to the nearest multiple (e.g. 0.125)'),
});

/**
 * One loan, or one representative line (a rep line is a loan with the pool's weighted
 * characteristics). Percent units (6.5 = 6.5% a year); terms in months; balances in major units.
 */
export const LoanSchema = z.strictObject({
  id: z.string().optional(),
  group: z
    .string()
    .optional()
    .describe('collateral group id of the rule document (default: its first group)'),
  balance: z
    .union([
      z.number().min(0),
      z
        .string()
        .regex(/^\d+(\.\d+)?$/, 'expected a decimal amount')
        .transform(Number),
    ])
    .describe('current principal balance, major units (number or decimal string, e.g. from a loan tape)'),
  couponPct: z.number().min(0).describe('gross note rate (current rate for ARMs)'),
  servicingFeePct: z.number().min(0).default(0),
  otherFeePct: z
    .number()
    .min(0)
    .default(0)
    .describe('trustee/guarantee fee strip; net coupon = gross - strips'),
  originalTerm: z.number().int().positive(),
  remainingTerm: z.number().int().positive(),
  age: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('months since origination (default originalTerm - remainingTerm)'),
  amortizationTerm: z.number().int().positive().optional().describe('> originalTerm makes a balloon'),
  ioMonths: z.number().int().min(0).default(0).describe('interest-only months from origination'),
  arm: ArmSchema.optional(),
});

/** Collateral: loan-level rows or representative lines. */
export const CollateralSchema = z.strictObject({
  loans: z.array(LoanSchema).min(1),
});

export type LoanInput = z.input<typeof LoanSchema>;
export type CollateralInput = z.input<typeof CollateralSchema>;
export type Collateral = z.output<typeof CollateralSchema>;

/** Validate collateral; throws `EngineInputError` naming the path (`collateral.loans[12].remainingTerm`). */
export function parseCollateral(input: unknown, root = 'collateral'): Collateral {
  // Plain valid tapes skip zod (as long as the projection for 10,000 loans); the rest gets its errors from it.
  const fast = parseCollateralFast(input);
  if (fast) return fast;
  const r = CollateralSchema.safeParse(input);
  if (!r.success) throw new EngineInputError(zodIssues(root, r.error));
  return r.data;
}

/**
 * Struct-of-arrays view of the loans, the layout the projection loop runs over (one typed array
 * per field keeps the 10k x 360 loop allocation-free). Rates are decimals a year (0.065 = 6.5%),
 * terms in months, balances in major units; the ARM fields are unset for fixed-rate loans.
 */
export interface LoanBook {
  count: number;
  balance: Float64Array;
  /** Gross note rate. */
  rate: Float64Array;
  /** Servicing and other fee strips; the deal receives rate - strip. */
  strip: Float64Array;
  /** Months since origination at the start of the projection. */
  age: Int32Array;
  remainingTerm: Int32Array;
  /** Months the level payment is computed over (longer than the remaining term for a balloon). */
  remainingAmortizationTerm: Int32Array;
  interestOnlyMonthsLeft: Int32Array;
  isArm: Uint8Array;
  /** Position of the ARM's index curve in `indexNames`. */
  armIndexId: Int32Array;
  margin: Float64Array;
  initialFixedMonths: Int32Array;
  resetFrequencyMonths: Int32Array;
  /** Largest change at the first reset, up or down. */
  initialCap: Float64Array;
  /** Largest increase and decrease at later resets. */
  periodicCap: Float64Array;
  periodicFloor: Float64Array;
  lifetimeCap: Float64Array;
  lifetimeFloor: Float64Array;
  lookbackMonths: Int32Array;
  /** Index + margin is rounded to the nearest multiple of this (0: no rounding). */
  rounding: Float64Array;
  indexNames: string[];
}

/** Build the struct-of-arrays book from validated collateral. */
export function buildLoanBook(c: Collateral): LoanBook {
  const n = c.loans.length;
  const book: LoanBook = {
    count: n,
    balance: new Float64Array(n),
    rate: new Float64Array(n),
    strip: new Float64Array(n),
    age: new Int32Array(n),
    remainingTerm: new Int32Array(n),
    remainingAmortizationTerm: new Int32Array(n),
    interestOnlyMonthsLeft: new Int32Array(n),
    isArm: new Uint8Array(n),
    armIndexId: new Int32Array(n),
    margin: new Float64Array(n),
    initialFixedMonths: new Int32Array(n),
    resetFrequencyMonths: new Int32Array(n),
    initialCap: new Float64Array(n),
    periodicCap: new Float64Array(n),
    periodicFloor: new Float64Array(n),
    lifetimeCap: new Float64Array(n),
    lifetimeFloor: new Float64Array(n),
    lookbackMonths: new Int32Array(n),
    rounding: new Float64Array(n),
    indexNames: [],
  };
  const indexIds = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const l = c.loans[i] as Collateral['loans'][number];
    const age = l.age ?? Math.max(0, l.originalTerm - l.remainingTerm);
    const amortTerm = l.amortizationTerm ?? l.originalTerm;
    book.balance[i] = l.balance;
    book.rate[i] = l.couponPct / 100;
    book.strip[i] = (l.servicingFeePct + l.otherFeePct) / 100;
    book.age[i] = age;
    book.remainingTerm[i] = l.remainingTerm;
    // A fully amortizing loan levels its payment over the remaining term (which may differ from
    // original - age after a modification or for a rep line); a balloon over its amortization term.
    book.remainingAmortizationTerm[i] =
      l.amortizationTerm === undefined ? l.remainingTerm : Math.max(l.remainingTerm, amortTerm - age);
    book.interestOnlyMonthsLeft[i] = Math.max(0, l.ioMonths - age);
    const arm = l.arm;
    if (arm) {
      let id = indexIds.get(arm.index);
      if (id === undefined) {
        id = book.indexNames.length;
        indexIds.set(arm.index, id);
        book.indexNames.push(arm.index);
      }
      const per = arm.periodicCapPct ?? Infinity;
      book.isArm[i] = 1;
      book.armIndexId[i] = id;
      book.margin[i] = arm.marginPct / 100;
      book.initialFixedMonths[i] = arm.initialFixedMonths;
      book.resetFrequencyMonths[i] = arm.resetFrequencyMonths;
      book.initialCap[i] = (arm.initialCapPct ?? per) / 100;
      book.periodicCap[i] = per / 100;
      book.periodicFloor[i] = (arm.periodicFloorPct ?? per) / 100;
      book.lifetimeCap[i] = (arm.lifetimeCapPct ?? Infinity) / 100;
      book.lifetimeFloor[i] = (arm.lifetimeFloorPct ?? 0) / 100;
      book.lookbackMonths[i] = arm.lookbackMonths;
      book.rounding[i] = arm.roundingPct / 100;
    }
  }
  return book;
}
