import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { parseCollateralFast } from '../src/collateral-fast.js';
import { CollateralSchema } from '../src/index.js';

/*
 * The hand-written collateral check must agree with `CollateralSchema`: whatever it accepts the
 * schema accepts, and it builds the very same object (keys, key order, defaults, -0). It may
 * decline anything (the schema then decides), but not the plain loans tapes are made of.
 */

/** Key order, undefined values and negative zero all spelled out. */
function canonical(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => {
    if (v === undefined) return '<undefined>';
    if (typeof v === 'number' && Object.is(v, -0)) return '<-0>';
    if (typeof v === 'number' && !Number.isFinite(v)) return `<${v}>`;
    return v;
  });
}

function agreesWithSchema(input: unknown): boolean {
  const fast = parseCollateralFast(input);
  if (fast === undefined) return false;
  const r = CollateralSchema.safeParse(input);
  expect(r.success).toBe(true);
  expect(canonical(fast)).toBe(canonical(r.data));
  return true;
}

const odd = fc.constantFrom<unknown>(
  undefined,
  null,
  -1,
  -0,
  0,
  0.5,
  1,
  360,
  2 ** 53,
  2 ** 53 - 1,
  NaN,
  Infinity,
  '',
  'x',
  '12.5',
  '1.',
  ' 1',
  '00.5',
  true,
  [],
  {},
);
const num = fc.oneof(fc.double({ noNaN: false }), fc.integer({ min: -5, max: 400 }), odd);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const arm = fc.record(
  {
    index: fc.oneof(fc.constantFrom('SOFR', ''), odd),
    marginPct: num,
    initialFixedMonths: num,
    resetFrequencyMonths: num,
    initialCapPct: num,
    periodicCapPct: num,
    periodicFloorPct: num,
    lifetimeCapPct: num,
    lifetimeFloorPct: num,
    lookbackMonths: num,
    roundingPct: num,
    extra: num,
  },
  { requiredKeys: [] },
);

const loan = fc.record(
  {
    id: fc.oneof(fc.string(), odd),
    group: fc.oneof(fc.constantFrom('G1', 'G2'), odd),
    balance: fc.oneof(num, fc.constantFrom('100', '100.25', '1e3', '-5')),
    couponPct: num,
    servicingFeePct: num,
    otherFeePct: num,
    originalTerm: num,
    remainingTerm: num,
    age: num,
    amortizationTerm: num,
    ioMonths: num,
    arm: fc.oneof(arm, odd),
    unknown: num,
  },
  { requiredKeys: [] },
);

/** A valid loan with every optional field either absent or valid. */
const validLoan = fc
  .record(
    {
      id: maybe(fc.string()),
      group: maybe(fc.constantFrom('G1', 'G2')),
      balance: fc.oneof(fc.double({ min: 0, max: 1e7, noNaN: true }), fc.constantFrom('0', '123.45', '007')),
      couponPct: fc.double({ min: 0, max: 20, noNaN: true }),
      servicingFeePct: maybe(fc.double({ min: 0, max: 1, noNaN: true })),
      originalTerm: fc.integer({ min: 1, max: 480 }),
      remainingTerm: fc.integer({ min: 1, max: 480 }),
      age: maybe(fc.integer({ min: 0, max: 480 })),
      ioMonths: maybe(fc.integer({ min: 0, max: 120 })),
      arm: maybe(
        fc.record({
          index: fc.constantFrom('SOFR', 'CMT'),
          marginPct: fc.double({ min: -5, max: 5, noNaN: true }),
          initialFixedMonths: fc.integer({ min: 0, max: 120 }),
          periodicCapPct: maybe(fc.double({ min: 0, max: 5, noNaN: true })),
          lifetimeFloorPct: maybe(fc.double({ min: -5, max: 5, noNaN: true })),
        }),
      ),
    },
    { requiredKeys: ['balance', 'couponPct', 'originalTerm', 'remainingTerm'] },
  )
  .map((l) => {
    // fc.option leaves the key with an undefined value: drop it, as a JSON tape would not have it.
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(l)) {
      if (v === undefined) continue;
      if (k === 'arm') {
        const a: Record<string, unknown> = {};
        for (const [ak, av] of Object.entries(v as object)) if (av !== undefined) a[ak] = av;
        out[k] = a;
      } else out[k] = v;
    }
    return out;
  });

const loanKeys = [
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
  'unknown',
];
const armKeys = [
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
  'unknown',
];

/** A valid ARM loan with one or two fields (of the loan or its ARM terms) set to an odd value. */
const perturbedLoan = fc
  .tuple(validLoan, fc.array(fc.tuple(fc.boolean(), fc.nat(), num), { minLength: 1, maxLength: 2 }))
  .map(([l, changes]) => {
    const arm: Record<string, unknown> = {
      index: 'SOFR',
      marginPct: 2,
      initialFixedMonths: 60,
      ...(l.arm as object | undefined),
    };
    const out: Record<string, unknown> = { ...l, arm };
    for (const [inArm, at, value] of changes) {
      if (inArm) arm[armKeys[at % armKeys.length] as string] = value;
      else out[loanKeys[at % loanKeys.length] as string] = value;
    }
    return out;
  });

describe('collateral fast path', () => {
  it('agrees with the schema on valid loans with a field or two made odd', () => {
    fc.assert(
      fc.property(fc.array(perturbedLoan, { minLength: 1, maxLength: 2 }), (loans) => {
        agreesWithSchema({ loans });
      }),
      { numRuns: 5000 },
    );
  });

  it('accepts only what the schema accepts, and builds the same object', () => {
    fc.assert(
      fc.property(fc.array(loan, { minLength: 0, maxLength: 3 }), (loans) => {
        agreesWithSchema({ loans });
      }),
      { numRuns: 3000 },
    );
  });

  it('takes plain valid loans, building them as the schema does', () => {
    fc.assert(
      fc.property(fc.array(validLoan, { minLength: 1, maxLength: 4 }), (loans) => {
        expect(agreesWithSchema({ loans })).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves unusual input to the schema', () => {
    const ok = { balance: 1, couponPct: 5, originalTerm: 360, remainingTerm: 360 };
    expect(parseCollateralFast({ loans: [ok] })).toBeDefined();
    expect(parseCollateralFast({ loans: [] })).toBeUndefined();
    expect(parseCollateralFast({ loans: [{ ...ok, age: undefined }] })).toBeUndefined();
    expect(parseCollateralFast({ loans: [ok], other: 1 })).toBeUndefined();
    expect(
      parseCollateralFast({ loans: [Object.assign(Object.create({ x: 1 }) as object, ok)] }),
    ).toBeUndefined();
    expect(parseCollateralFast([ok])).toBeUndefined();
  });
});
