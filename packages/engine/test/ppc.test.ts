import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  buildLoanBook,
  EngineInputError,
  parseCollateral,
  parseScenario,
  projectCollateral,
  smmFromCpr,
} from '../src/index.js';
import { ppcCpr } from '../src/scenario.js';

/*
 * A deal's own prepayment curve (PPC), as prospectuses define it: "100% PPC assumes 4% CPR in a
 * loan's first month, rising by 12/11% a month to 16% CPR in month 12 and 16% thereafter"
 * (fixed-rate loans), with its own curve for adjustable-rate loans, applied by each loan's age.
 */

const FIXED = [
  { month: 1, cprPct: 4 },
  { month: 12, cprPct: 16 },
];
const ADJUSTABLE = [
  { month: 1, cprPct: 6 },
  { month: 12, cprPct: 28 },
  { month: 22, cprPct: 28 },
  { month: 23, cprPct: 60 },
  { month: 27, cprPct: 60 },
  { month: 28, cprPct: 35 },
];

describe('prospectus prepayment curve (PPC)', () => {
  it('ramps 4% CPR by 12/11% a month to 16% in month 12, then stays flat', () => {
    expect(ppcCpr(FIXED, 1, 100)).toBeCloseTo(0.04, 12);
    expect(ppcCpr(FIXED, 2, 100)).toBeCloseTo(0.04 + 0.12 / 11, 12); // 5.0909%
    expect(ppcCpr(FIXED, 6, 100)).toBeCloseTo(0.04 + (5 * 0.12) / 11, 12); // 9.4545%
    expect(ppcCpr(FIXED, 12, 100)).toBeCloseTo(0.16, 12);
    expect(ppcCpr(FIXED, 200, 100)).toBeCloseTo(0.16, 12);
  });

  it('scales by the speed (150% PPC = 24% CPR from month 12) and never above 100% CPR', () => {
    expect(ppcCpr(FIXED, 12, 150)).toBeCloseTo(0.24, 12);
    expect(ppcCpr(FIXED, 1, 150)).toBeCloseTo(0.06, 12);
    expect(ppcCpr(FIXED, 12, 1000)).toBe(1);
  });

  it('follows an adjustable-rate curve with a jump between two months', () => {
    expect(ppcCpr(ADJUSTABLE, 22, 100)).toBeCloseTo(0.28, 12);
    expect(ppcCpr(ADJUSTABLE, 23, 100)).toBeCloseTo(0.6, 12);
    expect(ppcCpr(ADJUSTABLE, 28, 100)).toBeCloseTo(0.35, 12);
  });

  it("applies the curve by each loan's age, the fixed curve to fixed and the ARM curve to ARMs", () => {
    // Zero-coupon loans amortize B / k a month, so month 1 is easy to work by hand:
    // scheduled = 360,000 / 360 = 1,000; prepaid = (360,000 - 1,000) x SMM(age + 1).
    const loan = { balance: 360000, couponPct: 0, originalTerm: 365, remainingTerm: 360 };
    const arm = {
      ...loan,
      arm: { index: 'SOFR', marginPct: 0, initialFixedMonths: 120, lifetimeCapPct: 0 },
    };
    const scenario = parseScenario({
      prepayment: { type: 'PPC', speed: 100, fixed: FIXED, adjustable: ADJUSTABLE },
      indexCurves: { SOFR: 0 },
    });
    const fixed = projectCollateral(buildLoanBook(parseCollateral({ loans: [loan] })), scenario);
    // Aged 5 months: its first projected month is age 6 -> 4 + 5 x 12/11 = 9.4545% CPR.
    expect(fixed.prepayments[1]).toBeCloseTo(359000 * smmFromCpr(0.04 + (5 * 0.12) / 11), 6);
    const adjustable = projectCollateral(buildLoanBook(parseCollateral({ loans: [arm] })), scenario);
    // ARM aged 5: 6 + 5 x 22/11 = 16% CPR.
    expect(adjustable.prepayments[1]).toBeCloseTo(359000 * smmFromCpr(0.16), 6);
    // Month 2 of the fixed loan (age 7): 4 + 6 x 12/11 CPR on (balance - scheduled).
    const b1 = 360000 - 1000 - (fixed.prepayments[1] ?? 0);
    const sched2 = b1 / 359;
    expect(fixed.prepayments[2]).toBeCloseTo((b1 - sched2) * smmFromCpr(0.04 + (6 * 0.12) / 11), 6);
  });

  it('the PPC example scenario validates; a curve whose months do not increase is rejected', () => {
    const text = readFileSync(
      join(import.meta.dirname, '..', 'examples', 'scenarios', 'ppc-prime.json'),
      'utf8',
    );
    expect(parseScenario(JSON.parse(text)).prepayment.type).toBe('PPC');
    const bad = () =>
      parseScenario({
        prepayment: {
          type: 'PPC',
          speed: 100,
          fixed: [
            { month: 12, cprPct: 16 },
            { month: 1, cprPct: 4 },
          ],
        },
      });
    expect(bad).toThrow(EngineInputError);
    expect(bad).toThrow('scenario.prepayment.fixed: months must increase');
  });
});
