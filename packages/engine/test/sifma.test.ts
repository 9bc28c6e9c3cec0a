import { describe, expect, it } from 'vitest';

import {
  buildLoanBook,
  cprFromSmm,
  levelPayment,
  mdrFromCdr,
  parseCollateral,
  parseScenario,
  projectCollateral,
  psaCpr,
  scheduledBalanceFactor,
  sdaCdr,
  smmFromCpr,
} from '../src/index.js';

// Expected values below were worked by hand from the SIFMA definitions (and checked with a
// calculator), not taken from the engine:
//   PSA: CPR(age) = speed/100 x 6% x min(age, 30)/30;  SMM = 1 - (1 - CPR)^(1/12).
describe('SIFMA prepayment formulas (SF-4, SF-5)', () => {
  const cases: [age: number, speed: number, cpr: number, smm: number][] = [
    // 100% PSA, month 1: 0.2% CPR; SMM = 1 - 0.998^(1/12)
    [1, 100, 0.002, 0.00016681963994558124],
    // 150% PSA, month 10: 1.5 x 6% x 10/30 = 3%; SMM = 1 - 0.97^(1/12)
    [10, 150, 0.03, 0.002535048613836688],
    // 100% PSA reaches 6% at month 30; SMM = 1 - 0.94^(1/12)
    [30, 100, 0.06, 0.005143012831822946],
    // 200% PSA after the ramp: 12%; SMM = 1 - 0.88^(1/12)
    [40, 200, 0.12, 0.010596241035318976],
    // 50% PSA, month 15: 0.5 x 6% x 15/30 = 1.5%
    [15, 50, 0.015, 0.0012586770182638762],
    // 300% PSA at month 360: 18%
    [360, 300, 0.18, 0.016401583188387914],
  ];
  it.each(cases)('age %i at %i%% PSA: CPR %f, SMM %f', (age, speed, cpr, smm) => {
    expect(psaCpr(age, speed)).toBeCloseTo(cpr, 14);
    expect(smmFromCpr(psaCpr(age, speed))).toBeCloseTo(smm, 14);
    expect(cprFromSmm(smm)).toBeCloseTo(cpr, 12);
  });
  it('counts months before the first as month 1 (SF-5: max{1, min{MONTH, 30}}) and caps at 100%', () => {
    expect(psaCpr(0, 100)).toBeCloseTo(0.002, 15);
    expect(psaCpr(30, 5000)).toBe(1);
    expect(smmFromCpr(1)).toBe(1);
  });
});

// SDA (SF-20): 0.02% CDR in month 1 rising 0.02%/month to 0.60% at month 30, flat to month 60,
// then down 0.0095%/month to 0.03% at month 120, flat after.
describe('SIFMA standard default assumption (SF-20)', () => {
  const cases: [age: number, speed: number, cdr: number][] = [
    [1, 100, 0.0002],
    [15, 100, 0.003],
    [30, 100, 0.006],
    [45, 100, 0.006],
    [60, 100, 0.006],
    [61, 100, 0.006 - 0.000095], // 0.5905%
    [90, 100, 0.006 - 0.000095 * 30], // 0.315%
    [120, 100, 0.0003],
    [240, 100, 0.0003],
    [15, 200, 0.006],
    [45, 50, 0.003],
  ];
  it.each(cases)('age %i at %i%% SDA: CDR %f', (age, speed, cdr) => {
    expect(sdaCdr(age, speed)).toBeCloseTo(cdr, 14);
  });
  it('converts CDR to a monthly default rate like CPR to SMM', () => {
    expect(mdrFromCdr(0.12)).toBeCloseTo(0.010596241035318976, 14);
  });
});

// Level-payment mortgage: P = B r / (1 - (1 + r)^-n). $100,000 at 6% for 360 months pays
// $599.55 a month (the textbook figure); after 12 payments the balance is
// B_12 = B (1+r)^12 - P ((1+r)^12 - 1)/r = $98,771.99.
describe('level-payment loan (SF-4)', () => {
  it('has the textbook monthly payment', () => {
    expect(levelPayment(100_000, 0.06, 360)).toBeCloseTo(599.5505251527569, 9);
  });
  it('has the closed-form scheduled balance', () => {
    expect(100_000 * scheduledBalanceFactor(0.06, 360, 12)).toBeCloseTo(98771.98828772317, 6);
  });
  it('is what the collateral model amortizes to at 0 CPR, month by month', () => {
    const book = buildLoanBook(
      parseCollateral({ loans: [{ balance: 100_000, couponPct: 6, originalTerm: 360, remainingTerm: 360 }] }),
    );
    const flows = projectCollateral(book, parseScenario({}));
    const r = 0.005;
    const pmt = 599.5505251527569;
    let b = 100_000;
    for (let n = 1; n <= 360; n++) {
      // Independent recursion: interest on the balance, principal = payment - interest.
      const interest = b * r;
      const principal = n === 360 ? b : pmt - interest;
      expect(flows.interest[n]).toBeCloseTo(interest, 6);
      expect(flows.scheduledPrincipal[n]).toBeCloseTo(principal, 6);
      b -= principal;
      expect(flows.balanceEnd[n]).toBeCloseTo(Math.max(b, 0), 5);
    }
    expect(flows.balanceEnd[360]).toBeCloseTo(0, 6);
  });
  it('pays interest only during the IO period and a balloon at maturity', () => {
    const book = buildLoanBook(
      parseCollateral({
        loans: [
          { balance: 100_000, couponPct: 6, originalTerm: 360, remainingTerm: 360, ioMonths: 120 },
          { balance: 100_000, couponPct: 6, originalTerm: 180, remainingTerm: 180, amortizationTerm: 360 },
        ],
      }),
    );
    const flows = projectCollateral(book, parseScenario({}));
    // Month 1: the IO loan pays no principal; the balloon loan amortizes on a 360-month schedule.
    expect(flows.scheduledPrincipal[1]).toBeCloseTo(599.5505251527569 - 500, 8);
    // After 120 IO months the IO loan amortizes its $100,000 over the remaining 240 months.
    const r = 0.005;
    const pmt240 = (100_000 * r) / (1 - Math.pow(1 + r, -240));
    const balloonBal = 100_000 * ((Math.pow(1 + r, 360) - Math.pow(1 + r, 120)) / (Math.pow(1 + r, 360) - 1));
    const balloonPrin121 = 599.5505251527569 - balloonBal * r;
    expect(flows.scheduledPrincipal[121]).toBeCloseTo(pmt240 - 500 + balloonPrin121, 6);
    // Month 180: the balloon loan pays its whole remaining balance (the 30-year schedule after 179 payments).
    const bal179 = 100_000 * ((Math.pow(1 + r, 360) - Math.pow(1 + r, 179)) / (Math.pow(1 + r, 360) - 1));
    const ioBal179 = 100_000 * ((Math.pow(1 + r, 240) - Math.pow(1 + r, 59)) / (Math.pow(1 + r, 240) - 1));
    const ioPrin180 = pmt240 - ioBal179 * r;
    expect(flows.scheduledPrincipal[180]).toBeCloseTo(bal179 + ioPrin180, 5);
  });
  it('resets an ARM to index + margin within its caps', () => {
    const book = buildLoanBook(
      parseCollateral({
        loans: [
          {
            balance: 100_000,
            couponPct: 3,
            originalTerm: 360,
            remainingTerm: 360,
            arm: {
              index: 'SOFR',
              marginPct: 2.75,
              initialFixedMonths: 12,
              resetFrequencyMonths: 12,
              initialCapPct: 2,
              periodicCapPct: 1,
              lifetimeCapPct: 8,
            },
          },
        ],
      }),
    );
    const flows = projectCollateral(book, parseScenario({ indexCurves: { SOFR: 4.5 } }));
    // Month 13: index + margin = 7.25%, limited by the 2% initial cap to 5%; month 25: +1% periodic cap
    // -> 6%; month 37: 7%; month 49: 7.25% (uncapped, below the 8% lifetime cap).
    const b12 = 100_000 * scheduledBalanceFactor(0.03, 360, 12);
    expect(flows.interest[13]).toBeCloseTo((b12 * 0.05) / 12, 6);
    const rateAt = (n: number): number => ((flows.interest[n] ?? 0) * 12) / (flows.balanceBegin[n] ?? 1);
    expect(rateAt(25)).toBeCloseTo(0.06, 12);
    expect(rateAt(37)).toBeCloseTo(0.07, 12);
    expect(rateAt(49)).toBeCloseTo(0.0725, 12);
  });
});

// Published SIFMA figures (Uniform Practices, chapter SF, 02/01/99).
describe('SIFMA published examples', () => {
  it('SF-4: first-month pass-through cash flow per $1 of a 9.5% gross / 9.0% net 360-month pool', () => {
    const book = buildLoanBook(
      parseCollateral({
        loans: [{ balance: 1, couponPct: 9.5, servicingFeePct: 0.5, originalTerm: 360, remainingTerm: 360 }],
      }),
    );
    // The example's prepayment (0.00025022) is an input there; with none, the other components
    // of the first month are unchanged.
    const f = projectCollateral(book, parseScenario({}));
    expect(f.scheduledPrincipal[1]).toBeCloseTo(0.00049188, 8);
    expect(f.grossInterest[1]).toBeCloseTo(0.00791667, 8);
    expect(f.servicingFee[1]).toBeCloseTo(0.00041667, 8);
    expect(f.interest[1]).toBeCloseTo(0.0075, 8);
  });

  it('SF-7/8: amortized balances, SMM, CPR and PSA of a Ginnie Mae I 9.0% pool in month 17', () => {
    // BAL = [1 - (1 + C/1200)^-M] / [1 - (1 + C/1200)^-M0] for M = 344, 343 and M0 = 359.
    const bal1 = scheduledBalanceFactor(0.095, 359, 15);
    const bal2 = scheduledBalanceFactor(0.095, 359, 16);
    expect(bal1).toBeCloseTo(0.992133, 6);
    expect(bal2).toBeCloseTo(0.99157471, 8);
    const f1 = 0.85150625;
    const f2 = 0.84732282;
    const fSched = (f1 * bal2) / bal1;
    expect(fSched).toBeCloseTo(0.85102709, 8);
    const smm = (fSched - f2) / fSched;
    expect(smm).toBeCloseTo(0.0043527, 7);
    expect(cprFromSmm(smm)).toBeCloseTo(0.051, 6);
    expect((100 * cprFromSmm(smm)) / psaCpr(17, 100)).toBeCloseTo(150, 2);
  });

  // SF-22 cumulative default matrix: 8% WAC 30-year collateral, 12 months to liquidation,
  // cumulative defaults as % of the original balance (rows %PSA, columns %SDA 50..300).
  const matrix: [psa: number, row: number[]][] = [
    [100, [1.56, 3.09, 4.59, 6.08, 7.53, 8.97]],
    [150, [1.4, 2.78, 4.13, 5.47, 6.79, 8.08]],
    [200, [1.26, 2.51, 3.74, 4.95, 6.14, 7.32]],
    [300, [1.05, 2.08, 3.1, 4.11, 5.1, 6.08]],
  ];
  it.each(matrix)('SF-22: cumulative defaults at %i%% PSA match the published SDA matrix', (psa, row) => {
    const book = buildLoanBook(
      parseCollateral({ loans: [{ balance: 100, couponPct: 8, originalTerm: 360, remainingTerm: 360 }] }),
    );
    [50, 100, 150, 200, 250, 300].forEach((sda, j) => {
      const f = projectCollateral(
        book,
        parseScenario({
          prepayment: { type: 'PSA', speed: psa },
          default: { type: 'SDA', speed: sda },
          severityPct: 20,
          recoveryLagMonths: 12,
          advancing: 'principalAndInterest',
        }),
      );
      let cumulative = 0;
      let losses = 0;
      for (let p = 1; p <= f.periods; p++) {
        cumulative += f.newDefaults[p] ?? 0;
        losses += f.losses[p] ?? 0;
        // Pool identity each month: begin - scheduled - prepaid - recovered - lost = end.
        const roll =
          (f.balanceBegin[p] ?? 0) -
          (f.scheduledPrincipal[p] ?? 0) -
          (f.prepayments[p] ?? 0) -
          (f.recoveries[p] ?? 0) -
          (f.losses[p] ?? 0);
        expect(roll).toBeCloseTo(f.balanceEnd[p] ?? 0, 9);
      }
      expect(cumulative.toFixed(2)).toBe((row[j] ?? 0).toFixed(2));
      // Loss = min(20% x balance at default, amortized default balance): only loans defaulting
      // in the last months before the zero-default tail amortize below 20% before liquidating.
      expect(losses).toBeLessThanOrEqual(0.2 * cumulative + 1e-12);
      expect(losses).toBeGreaterThan(0.2 * cumulative * 0.9999);
      expect(f.balanceEnd[f.periods]).toBeCloseTo(0, 9);
    });
  });
});
