import type { Collateral } from './collateral.js';

/*
 * A fast path for validating collateral. Zod takes some microseconds a loan, as long as the
 * projection itself for a 10,000-loan tape, so plain well-formed loans (what loan tapes and
 * JSON documents hold) are checked here by hand and built exactly as `CollateralSchema` would
 * build them: same keys in the same order, same defaults. Anything this path does not
 * positively accept (a wrong type, an unknown or undefined-valued key, a non-plain object)
 * makes it return undefined, and the caller runs the schema, which then names the problem.
 * It may only ever be stricter than the schema, never looser (see test/collateral-fast.test.ts).
 */

type Loan = Collateral['loans'][number];
type Arm = NonNullable<Loan['arm']>;

const LOAN_KEYS = new Set([
  'id',
  'group',
  'balance',
  'couponPct',
  'servicingFeePct',
  'otherFeePct',
  'originalTerm',
  'remainingTerm',
  'age',
  'amortizationTerm',
  'ioMonths',
  'arm',
]);

const ARM_KEYS = new Set([
  'index',
  'marginPct',
  'initialFixedMonths',
  'resetFrequencyMonths',
  'initialCapPct',
  'periodicCapPct',
  'periodicFloorPct',
  'lifetimeCapPct',
  'lifetimeFloorPct',
  'lookbackMonths',
  'roundingPct',
]);

const COLLATERAL_KEYS = new Set(['loans']);

const DECIMAL_BALANCE_RE = /^\d+(\.\d+)?$/;

/** A plain object (object literal or JSON) whose own keys are all known and none undefined. */
function isPlainRecord(x: unknown, keys: Set<string>): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Object.getPrototypeOf(x) !== Object.prototype) return false;
  for (const key in x) {
    if (!Object.hasOwn(x, key) || !keys.has(key)) return false;
    if ((x as Record<string, unknown>)[key] === undefined) return false;
  }
  return true;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const nonNegative = (v: unknown): v is number => isNumber(v) && v >= 0;
const nonNegativeInt = (v: unknown): v is number => isInt(v) && v >= 0;
const positiveInt = (v: unknown): v is number => isInt(v) && v > 0;

/** The loan's balance as the schema reads it (a number, or decimal text), or NaN when invalid. */
function balanceOf(v: unknown): number {
  if (nonNegative(v)) return v;
  if (typeof v === 'string' && DECIMAL_BALANCE_RE.test(v)) return Number(v);
  return NaN;
}

function fastArm(a: unknown): Arm | undefined {
  if (!isPlainRecord(a, ARM_KEYS)) return undefined;
  const { index, marginPct, initialFixedMonths, resetFrequencyMonths, lookbackMonths, roundingPct } = a;
  if (typeof index !== 'string' || index.length < 1 || !isNumber(marginPct)) return undefined;
  if (!nonNegativeInt(initialFixedMonths)) return undefined;
  if (resetFrequencyMonths !== undefined && !positiveInt(resetFrequencyMonths)) return undefined;
  if (lookbackMonths !== undefined && !nonNegativeInt(lookbackMonths)) return undefined;
  if (roundingPct !== undefined && !nonNegative(roundingPct)) return undefined;
  const out: Partial<Arm> = {
    index,
    marginPct,
    initialFixedMonths,
    resetFrequencyMonths: resetFrequencyMonths ?? 12,
  };
  for (const key of ['initialCapPct', 'periodicCapPct', 'periodicFloorPct'] as const) {
    const v = a[key];
    if (v === undefined) continue;
    if (!nonNegative(v)) return undefined;
    out[key] = v;
  }
  for (const key of ['lifetimeCapPct', 'lifetimeFloorPct'] as const) {
    const v = a[key];
    if (v === undefined) continue;
    if (!isNumber(v)) return undefined;
    out[key] = v;
  }
  out.lookbackMonths = lookbackMonths ?? 0;
  out.roundingPct = roundingPct ?? 0;
  return out as Arm;
}

function fastLoan(l: unknown): Loan | undefined {
  if (!isPlainRecord(l, LOAN_KEYS)) return undefined;
  const { id, group, couponPct, servicingFeePct, otherFeePct, originalTerm, remainingTerm } = l;
  const { age, amortizationTerm, ioMonths, arm } = l;
  if (id !== undefined && typeof id !== 'string') return undefined;
  if (group !== undefined && typeof group !== 'string') return undefined;
  const balance = balanceOf(l.balance);
  if (Number.isNaN(balance) || !nonNegative(couponPct)) return undefined;
  if (servicingFeePct !== undefined && !nonNegative(servicingFeePct)) return undefined;
  if (otherFeePct !== undefined && !nonNegative(otherFeePct)) return undefined;
  if (!positiveInt(originalTerm) || !positiveInt(remainingTerm)) return undefined;
  if (age !== undefined && !nonNegativeInt(age)) return undefined;
  if (amortizationTerm !== undefined && !positiveInt(amortizationTerm)) return undefined;
  if (ioMonths !== undefined && !nonNegativeInt(ioMonths)) return undefined;
  const parsedArm = arm === undefined ? undefined : fastArm(arm);
  if (arm !== undefined && parsedArm === undefined) return undefined;
  const servicing = servicingFeePct ?? 0;
  const other = otherFeePct ?? 0;
  const io = ioMonths ?? 0;
  // A tape's usual shapes as literals: V8 allocates such a loan once with its fields in place,
  // where adding them one by one grows and copies its property storage (half the parse's garbage).
  if (group === undefined && amortizationTerm === undefined && (id === undefined) === (age === undefined)) {
    if (id !== undefined && age !== undefined) {
      return parsedArm === undefined
        ? {
            id,
            balance,
            couponPct,
            servicingFeePct: servicing,
            otherFeePct: other,
            originalTerm,
            remainingTerm,
            age,
            ioMonths: io,
          }
        : {
            id,
            balance,
            couponPct,
            servicingFeePct: servicing,
            otherFeePct: other,
            originalTerm,
            remainingTerm,
            age,
            ioMonths: io,
            arm: parsedArm,
          };
    }
    return parsedArm === undefined
      ? {
          balance,
          couponPct,
          servicingFeePct: servicing,
          otherFeePct: other,
          originalTerm,
          remainingTerm,
          ioMonths: io,
        }
      : {
          balance,
          couponPct,
          servicingFeePct: servicing,
          otherFeePct: other,
          originalTerm,
          remainingTerm,
          ioMonths: io,
          arm: parsedArm,
        };
  }
  // Any other shape field by field, in the schema's key order, defaults filled in.
  const out: Partial<Loan> = {};
  if (id !== undefined) out.id = id;
  if (group !== undefined) out.group = group;
  out.balance = balance;
  out.couponPct = couponPct;
  out.servicingFeePct = servicing;
  out.otherFeePct = other;
  out.originalTerm = originalTerm;
  out.remainingTerm = remainingTerm;
  if (age !== undefined) out.age = age;
  if (amortizationTerm !== undefined) out.amortizationTerm = amortizationTerm;
  out.ioMonths = io;
  if (parsedArm !== undefined) out.arm = parsedArm;
  return out as Loan;
}

/**
 * `CollateralSchema.parse(input)` for plain, valid collateral; undefined whenever the input is
 * anything else (invalid or unusual), for the schema to handle.
 */
export function parseCollateralFast(input: unknown): Collateral | undefined {
  if (!isPlainRecord(input, COLLATERAL_KEYS)) return undefined;
  const loans = input.loans;
  if (!Array.isArray(loans) || loans.length < 1) return undefined;
  const out: Loan[] = [];
  for (const l of loans) {
    const loan = fastLoan(l);
    if (loan === undefined) return undefined;
    out.push(loan);
  }
  return { loans: out };
}
