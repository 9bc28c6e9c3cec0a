import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  formatMinor,
  parseWaterfallRules,
  projectDeal,
  type PrincipalRule,
  type ScenarioInput,
} from '../src/index.js';

/*
 * Property-based conservation checks: over random pools, speeds and rule sets, every period's
 * cash in (net interest + scheduled + prepaid + recovered principal) equals cash out (fees +
 * class interest and principal + residual + reserve change) to the cent, and no balance is ever
 * negative. The engine checks this itself and throws; here it is recomputed from the results.
 */

const loanArb = fc
  .record({
    balanceCents: fc.integer({ min: 1_000_000, max: 100_000_000 }),
    coupon: fc.integer({ min: 0, max: 1200 }).map((x) => x / 100),
    servicing: fc.constantFrom(0, 0.25, 0.5),
    term: fc.constantFrom(60, 120, 180, 360),
    seasoning: fc.integer({ min: 0, max: 100 }),
    io: fc.constantFrom(0, 0, 0, 24, 120),
    balloon: fc.boolean(),
    arm: fc.boolean(),
  })
  .map((l) => {
    const age = Math.min(l.seasoning, l.term - 1);
    return {
      balance: l.balanceCents / 100,
      couponPct: l.coupon,
      servicingFeePct: Math.min(l.servicing, l.coupon),
      originalTerm: l.term,
      remainingTerm: l.term - age,
      age,
      ioMonths: l.io,
      ...(l.balloon && l.term < 360 ? { amortizationTerm: 360 } : {}),
      ...(l.arm
        ? {
            arm: {
              index: 'IDX',
              marginPct: 2.5,
              initialFixedMonths: 12,
              periodicCapPct: 1,
              lifetimeCapPct: 12,
            },
          }
        : {}),
    };
  });

const scenarioArb: fc.Arbitrary<ScenarioInput> = fc.record({
  prepayment: fc.oneof(
    fc.record({ type: fc.constant('PSA' as const), speed: fc.integer({ min: 0, max: 1500 }) }),
    fc.record({ type: fc.constant('CPR' as const), cpr: fc.integer({ min: 0, max: 80 }) }),
    fc.record({
      type: fc.constant('CPR' as const),
      cpr: fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 24 }),
    }),
  ),
  default: fc.option(
    fc.oneof(
      fc.record({ type: fc.constant('CDR' as const), cdr: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ type: fc.constant('SDA' as const), speed: fc.integer({ min: 0, max: 3000 }) }),
    ),
    { nil: undefined },
  ),
  severityPct: fc.integer({ min: 0, max: 100 }),
  recoveryLagMonths: fc.integer({ min: 0, max: 12 }),
  advancing: fc.constantFrom('none' as const, 'interest' as const, 'principalAndInterest' as const),
  indexCurves: fc.constant({ IDX: [3, 4, 5, 6, 2] }),
});

function ruleArb(ids: string[]): fc.Arbitrary<PrincipalRule> {
  const leaf = fc.constantFrom(...ids);
  const { tree } = fc.letrec<{ tree: PrincipalRule }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.record({ sequential: fc.array(tie('tree'), { minLength: 1, maxLength: 4 }) }),
      fc.record({ proRata: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }) }),
      fc.tuple(fc.integer({ min: 0, max: 100 }), tie('tree'), tie('tree')).map(([p, a, b]) => ({
        split: [
          { pct: p, to: a },
          { pct: 100 - p, to: b },
        ],
      })),
      fc.record({ lockout: tie('tree'), throughPeriod: fc.integer({ min: 0, max: 48 }) }),
      fc.record({
        if: fc.constant({ trigger: 'cl' }),
        then: tie('tree'),
        else: tie('tree'),
      }),
    ),
  }));
  return tree;
}

const dealArb = fc
  .tuple(
    fc.array(loanArb, { minLength: 1, maxLength: 5 }),
    fc.integer({ min: 1, max: 6 }),
    fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 6, maxLength: 6 }),
    fc.integer({ min: 80, max: 105 }),
    fc.array(
      fc.oneof(
        fc.integer({ min: 0, max: 1000 }).map((x) => x / 100),
        fc.constant(-1),
      ),
      {
        minLength: 6,
        maxLength: 6,
      },
    ),
    fc.boolean(),
    fc.boolean(),
    fc.boolean(),
  )
  .chain(([loans, k, weights, sizePct, coupons, withFees, withReserve, withZ]) => {
    const ids = Array.from({ length: k }, (_, i) => `C${i + 1}`);
    return fc
      .tuple(
        ruleArb(ids),
        ruleArb(ids),
        fc.shuffledSubarray(ids, { minLength: 0, maxLength: k }),
        scenarioArb,
      )
      .map(([principal, accretionTo, writedowns, scenario]) => {
        const poolCents = loans.reduce((s, l) => s + Math.round(l.balance * 100), 0);
        const notesCents = Math.floor((poolCents * sizePct) / 100);
        const wsum = weights.slice(0, k).reduce((s, x) => s + x, 0);
        let given = 0;
        const zId = withZ && k > 1 ? ids[k - 1] : undefined;
        const classes = ids.map((id, i) => {
          const cents =
            i === k - 1 ? notesCents - given : Math.floor((notesCents * (weights[i] ?? 1)) / wsum);
          given += cents;
          const c = coupons[i] ?? 5;
          return {
            id,
            balance: formatMinor(BigInt(Math.max(cents, 0))),
            coupon: c < 0 ? { netWac: {} } : c,
            ...(id === zId ? { accrual: true } : {}),
            ...(i === 0 && withReserve ? { netWacCap: { spreadPct: -0.25 } } : {}),
          };
        });
        // An interest-only class on the first class when there are fees (exercises notional classes).
        const io = withFees
          ? [{ id: 'IO', coupon: 0.75, notional: { classes: [ids[0] ?? 'C1'], pct: 50 } }]
          : [];
        const others = [...ids.filter((id) => id !== zId), ...io.map((c) => c.id)];
        const waterfall: unknown[] = [];
        if (withFees) waterfall.push({ payFees: ['trustee', 'admin'] });
        waterfall.push({
          payInterest: others,
          mode: 'proRata',
          from: withReserve ? ['interest', 'reserve'] : ['interest'],
        });
        if (zId) waterfall.push({ accrete: [zId], to: accretionTo });
        if (withReserve) waterfall.push({ deposit: 'reserve' });
        waterfall.push({
          if: { trigger: 'cl' },
          then: [{ payPrincipal: principal }],
          else: [{ payPrincipal: principal, from: ['principal', 'interest'] }],
        });
        if (withReserve) {
          waterfall.push(
            { payCapCarryover: [ids[0] ?? 'C1'] },
            { reimburseWritedowns: ids },
            { release: 'reserve' },
          );
        }
        return {
          loans,
          scenario,
          rules: {
            name: 'random',
            classes: [...classes, ...io, { id: 'R', residual: true }],
            fees: withFees
              ? [
                  { id: 'trustee', annualPct: 0.02 },
                  { id: 'admin', fixed: 150 },
                ]
              : [],
            accounts: withReserve
              ? [{ id: 'reserve', initial: 1000, target: { pct: 1, of: 'poolBalance' } }]
              : [],
            triggers: [{ id: 'cl', type: 'cumulativeLoss', thresholdPct: 1 }],
            waterfall,
            ...(writedowns.length > 0 ? { losses: { writedownOrder: writedowns } } : {}),
          },
        };
      });
  });

describe('conservation over random pools, speeds and rule sets', () => {
  it('balances every period to the cent and keeps balances non-negative', () => {
    fc.assert(
      fc.property(dealArb, ({ loans, scenario, rules }) => {
        const r = projectDeal({ collateral: { loans }, rules: parseWaterfallRules(rules), scenario });
        const accountsBefore = new Map<string, bigint>([['reserve', 100_000n]]);
        r.periods.forEach((p, i) => {
          const pool = p.pool;
          expect(pool.poolBalanceEnd).toBeGreaterThanOrEqual(0n);
          expect(
            pool.poolBalanceBegin -
              pool.scheduledPrincipal -
              pool.prepayments -
              pool.recoveries -
              pool.realizedLosses,
          ).toBe(pool.poolBalanceEnd);
          const cashIn = pool.interest + pool.scheduledPrincipal + pool.prepayments + pool.recoveries;
          let cashOut = 0n;
          for (const c of r.classes) {
            const row = c.rows[i];
            if (!row) throw new Error('missing row');
            expect(row.endBalance).toBeGreaterThanOrEqual(0n);
            expect(row.principalPaid).toBeGreaterThanOrEqual(0n);
            expect(row.interestPaid).toBeGreaterThanOrEqual(0n);
            if (c.classId === 'IO')
              expect(row.principalPaid).toBe(0n); // notional: follows C1, never paid principal
            else
              expect(row.beginBalance + row.accreted - row.principalPaid - row.writedown).toBe(
                row.endBalance,
              );
            cashOut += row.interestPaid + row.principalPaid + row.writedownReimbursed;
          }
          for (const v of Object.values(p.feesPaid)) cashOut += v;
          for (const [id, v] of Object.entries(p.accounts)) {
            expect(v).toBeGreaterThanOrEqual(0n);
            cashOut += v - (accountsBefore.get(id) ?? 0n);
            accountsBefore.set(id, v);
          }
          expect(cashOut).toBe(cashIn);
        });
      }),
      { numRuns: 120, seed: 20261121 },
    );
  });
});
