import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { formatMinor, runActualPeriod, type ServicerReportInput } from '../src/index.js';

const rules = readFileSync(join(import.meta.dirname, '..', 'examples', 'oc-turbo-reserve.json'), 'utf8');

const report1: ServicerReportInput = {
  period: 1,
  poolBalanceBegin: '300000000.00',
  interestCollected: '2000000.00',
  scheduledPrincipal: '250000.00',
  prepayments: '1000000.00',
  delinquent60Plus: '1000000.00',
  poolBalanceEnd: '298750000.00',
  indexRates: { SOFR: '4.31' },
};

describe('actual-period mode (exact minor units)', () => {
  it('pays period 1 of the OC deal to the cent, as worked by hand', () => {
    const r = runActualPeriod({ rules, report: report1 });
    const row = (id: string) => r.classes.find((c) => c.classId === id);
    // Fees: trustee 0.01%/12 x $300mm = $2,500.00; admin fixed $2,500.00.
    expect(r.summary.feesPaid).toEqual({ trustee: 250_000n, admin: 250_000n });
    // A: (SOFR 4.31% + 0.35%) x 26/360 (ACT/360, closing Jan 30 -> first payment Feb 25) x $240mm
    //   = $807,733.333... -> $807,733.33.
    expect(row('A')?.interestPaid).toBe(80_773_333n);
    expect(row('A')?.couponPct).toBeCloseTo(4.66, 10);
    // M1, M2, B: 30/360 monthly coupons.
    expect(row('M1')?.interestPaid).toBe(12_000_000n);
    expect(row('M2')?.interestPaid).toBe(8_125_000n);
    expect(row('B')?.interestPaid).toBe(7_000_000n);
    // Principal distribution amount: collections $1,250,000 (no OC release: OC after paying them
    // is $9.0mm, below the $13.5mm target = 4.5% of the original pool). Turbo from excess spread:
    // the $4.5mm OC deficiency is larger than the interest left,
    // 2,000,000 - 5,000 - 807,733.33 - 120,000 - 81,250 - 70,000 = $916,016.67, so all of it pays A.
    expect(row('A')?.principalPaid).toBe(125_000_000n + 91_601_667n);
    expect(formatMinor(row('A')?.endBalance ?? 0n)).toBe('237833983.33');
    expect(r.summary.residual).toBe(0n);
    expect(r.summary.accounts).toEqual({ reserve: 150_000_000n });
    expect(r.summary.triggers).toEqual({
      cumLoss: false,
      dlq60: false,
      ocA: false,
      icAll: false,
      stepdownFail: false,
    });
    expect(r.summary.cashIn).toBe(r.summary.cashOut);
    expect(r.summary.paymentDate).toBe('2025-02-25');
    expect(r.nextJson.classes.A).toEqual({ balance: '237833983.33', interestShortfall: '0.00' });
    expect(r.classesJson.find((c) => c.classId === 'A')?.interestPaid).toBe('807733.33');
    expect(r.summaryJson.feesPaid).toEqual({ trustee: '2500.00', admin: '2500.00' });
  });

  it('continues from the stored JSON state, drawing on the reserve for a senior shortfall', () => {
    const first = runActualPeriod({ rules, report: report1 });
    // Period 2 collects almost no interest: A's interest comes partly from the reserve account, the
    // junior classes carry shortfalls, and the reserve is not refilled.
    const second = runActualPeriod({
      rules,
      state: JSON.parse(JSON.stringify(first.nextJson)) as never,
      report: {
        period: 2,
        poolBalanceBegin: '298750000.00',
        interestCollected: '500000.00',
        scheduledPrincipal: '250000.00',
        prepayments: '0',
        delinquent60Plus: '20000000.00',
        poolBalanceEnd: '298500000.00',
        indexRates: { SOFR: '4.31' },
      },
    });
    const row = (id: string) => second.classes.find((c) => c.classId === id);
    // A accrues Feb 25 -> Mar 25 (28 days) at 4.66% on $237,833,983.33 = $862,016.0596 -> $862,016.06;
    // fees: 0.01%/12 x $298.75mm = $2,489.58 + $2,500.
    const fees = 248_958n + 250_000n;
    expect(second.summary.feesPaid.trustee).toBe(248_958n);
    const aDue = 86_201_606n;
    expect(row('A')?.interestDue).toBe(aDue);
    expect(row('A')?.interestPaid).toBe(aDue);
    const fromReserve = aDue - (50_000_000n - fees);
    expect(second.summary.accounts.reserve).toBe(150_000_000n - fromReserve);
    expect(row('M1')?.interestShortfall).toBe(12_000_000n);
    // 60+ delinquency averages the available months: (1/298.75 + 20/298.5)/2 = 3.52% < 5%.
    expect(second.summary.triggers.dlq60).toBe(false);
    expect(second.summary.cashIn).toBe(second.summary.cashOut);
    expect(second.next.period).toBe(2);
  });

  it('rejects a report whose balances do not roll forward, naming the field', () => {
    expect(() => runActualPeriod({ rules, report: { ...report1, poolBalanceEnd: '298750000.01' } })).toThrow(
      'report.poolBalanceEnd: begin - scheduled - prepayments - recoveries - losses = 298750000.00, report says 298750000.01',
    );
    expect(() => runActualPeriod({ rules, report: { ...report1, period: 2 } })).toThrow(
      'report.period: expected period 1 (state is after period 0)',
    );
    expect(() => runActualPeriod({ rules, report: { ...report1, prepayments: '1,000' } })).toThrow(
      /^report\.prepayments: /,
    );
  });
});

describe('JSON serialization', () => {
  it('turns a projection into decimal strings that survive JSON', async () => {
    const { projectDeal, serializeProjection } = await import('../src/index.js');
    const r = projectDeal({
      collateral: {
        loans: [
          { balance: 300e6, couponPct: 8.5, servicingFeePct: 0.5, originalTerm: 360, remainingTerm: 357 },
        ],
      },
      rules,
      scenario: { prepayment: { type: 'PSA', speed: 150 }, indexCurves: { SOFR: 4.31 }, horizonMonths: 3 },
    });
    const json = JSON.parse(JSON.stringify(serializeProjection(r))) as ReturnType<typeof serializeProjection>;
    expect(json.classes[0]?.rows[0]?.beginBalance).toBe('240000000.00');
    expect(json.periods[0]?.pool.indexRates).toEqual({ SOFR: '4.31' });
    expect(json.periods[0]?.cashIn).toBe(json.periods[0]?.cashOut);
    expect(serializeProjection(r, { rows: false }).classes[0]?.rows).toEqual([]);
  });
});

describe('projection from a deal state reached in actual-period mode', () => {
  it('continues where the servicer report left off', async () => {
    const { projectDeal, formatMinor: fm } = await import('../src/index.js');
    const seq = readFileSync(
      join(import.meta.dirname, '..', 'examples', 'sequential-four-class.json'),
      'utf8',
    );
    const collateral = {
      loans: [
        { balance: 400e6, couponPct: 8.125, servicingFeePct: 0.625, originalTerm: 360, remainingTerm: 357 },
      ],
    };
    const scenario = { prepayment: { type: 'PSA' as const, speed: 165 } };
    const full = projectDeal({ collateral, rules: seq, scenario });
    // Period 1 happens as projected: feed its collections in as a servicer report.
    const p1 = full.periods[0];
    if (!p1) throw new Error('no period');
    const actual = runActualPeriod({
      rules: seq,
      report: {
        period: 1,
        poolBalanceBegin: fm(p1.pool.poolBalanceBegin),
        interestCollected: fm(p1.pool.interest),
        scheduledPrincipal: fm(p1.pool.scheduledPrincipal),
        prepayments: fm(p1.pool.prepayments),
        poolBalanceEnd: fm(p1.pool.poolBalanceEnd),
      },
    });
    expect(actual.classes.map((c) => c.endBalance)).toEqual(full.classes.map((c) => c.rows[0]?.endBalance));
    // Then project the rest from the stored state with the collateral as it now stands.
    const rest = projectDeal({
      collateral: {
        loans: [
          {
            balance: Number(p1.pool.poolBalanceEnd) / 100,
            couponPct: 8.125,
            servicingFeePct: 0.625,
            originalTerm: 360,
            remainingTerm: 356,
          },
        ],
      },
      rules: seq,
      scenario,
      state: actual.next,
    });
    expect(rest.periods[0]?.period).toBe(2);
    for (const id of ['A', 'B', 'C', 'D']) {
      const a = full.classes.find((c) => c.classId === id);
      const b = rest.classes.find((c) => c.classId === id);
      b?.rows.forEach((row, i) => {
        const ref = a?.rows[i + 1];
        expect(Math.abs(Number((row.principalPaid ?? 0n) - (ref?.principalPaid ?? 0n)))).toBeLessThanOrEqual(
          2,
        );
      });
      expect(b?.principalWindow?.last).toBe(a?.principalWindow?.last);
    }
  });
});

describe('delinquency trigger relative to senior enhancement', () => {
  it('compares 60+ delinquencies with a percentage of the senior enhancement', () => {
    const doc = JSON.parse(rules) as { triggers: unknown[] };
    doc.triggers.push({ id: 'dlqSE', type: 'delinquency', thresholdPct: 40, seniorEnhancementOf: ['A'] });
    // Senior enhancement = (298.75mm - 240mm) / 298.75mm = 19.665%; 40% of it = 7.866%.
    // 23.49mm / 298.75mm = 7.8628% is below it; 23.6mm / 298.75mm = 7.8996% is above.
    const below = runActualPeriod({
      rules: JSON.stringify(doc),
      report: { ...report1, delinquent60Plus: '23490000.00' },
    });
    const above = runActualPeriod({
      rules: JSON.stringify(doc),
      report: { ...report1, delinquent60Plus: '23600000.00' },
    });
    expect(below.summary.triggers.dlqSE).toBe(false);
    expect(above.summary.triggers.dlqSE).toBe(true);
    expect(above.summary.triggers.dlq60).toBe(true); // the absolute trigger: 7.9% > 5%
  });
});

describe('net WAC cap with carryover', () => {
  it('caps a floater at the collateral net WAC and pays the carryover later from excess interest', () => {
    const doc = JSON.parse(rules) as {
      classes: { id: string; netWacCap?: object }[];
      waterfall: unknown[];
    };
    const a = doc.classes.find((c) => c.id === 'A');
    if (a) a.netWacCap = {};
    doc.waterfall.splice(4, 0, { payCapCarryover: ['A'] }); // after the reserve deposit
    const text = JSON.stringify(doc);
    // Period 1: $1mm of net interest on a $300mm pool is a 4% net WAC, so A's interest is capped at
    // $240mm x 4% / 12 = $800,000.00; uncapped it would be $807,733.33 (4.66% x 26/360), so
    // $7,733.33 is carried over. Nothing is left for it: fees 5,000, A 800,000, M1 120,000, and M2
    // gets the last 75,000.
    const first = runActualPeriod({ rules: text, report: { ...report1, interestCollected: '1000000.00' } });
    const a1 = first.classes.find((c) => c.classId === 'A');
    expect(a1?.interestPaid).toBe(80_000_000n);
    expect(a1?.interestShortfall).toBe(0n);
    expect(a1?.capCarryover).toBe(773_333n);
    expect(first.nextJson.classes.A?.capCarryover).toBe('7733.33');
    expect(first.summary.cashIn).toBe(first.summary.cashOut);
    // Period 2: plenty of interest; the carryover is paid in full after the coupons.
    const second = runActualPeriod({
      rules: text,
      state: first.nextJson,
      report: {
        period: 2,
        poolBalanceBegin: first.summary.pool.poolBalanceEnd.toString().replace(/(\d\d)$/, '.$1'),
        interestCollected: '3000000.00',
        scheduledPrincipal: '0',
        prepayments: '0',
        poolBalanceEnd: first.summary.pool.poolBalanceEnd.toString().replace(/(\d\d)$/, '.$1'),
        indexRates: { SOFR: '4.31' },
      },
    });
    const a2 = second.classes.find((c) => c.classId === 'A');
    expect(a2?.capCarryoverPaid).toBe(773_333n);
    expect(a2?.capCarryover).toBe(0n);
    expect(a2?.interestPaid).toBe((a2?.interestDue ?? 0n) + 773_333n);
    expect(second.summary.cashIn).toBe(second.summary.cashOut);
  });
});

describe('write-down reimbursement', () => {
  it('writes down B when losses exceed the OC, then repays the write-down from later interest', () => {
    const doc = JSON.parse(rules) as { waterfall: unknown[] };
    doc.waterfall.splice(3, 0, { reimburseWritedowns: ['M1', 'M2', 'B'] }); // after the coupons
    const text = JSON.stringify(doc);
    // Period 1: a $10mm loss leaves the pool at $288.75mm. A takes the $1.25mm collections and the
    // $916,016.67 of excess interest (as in the first test), so the notes are
    // 291,000,000 - 1,250,000 - 916,016.67 = 288,833,983.33, exceeding the pool by $83,983.33: B
    // is written down by that much.
    const first = runActualPeriod({
      rules: text,
      report: { ...report1, realizedLosses: '10000000.00', poolBalanceEnd: '288750000.00' },
    });
    const b1 = first.classes.find((c) => c.classId === 'B');
    expect(b1?.writedown).toBe(8_398_333n);
    expect(b1?.unpaidWritedown).toBe(8_398_333n);
    expect(first.nextJson.classes.B?.unpaidWritedown).toBe('83983.33');
    // Period 2: enough interest to repay B's write-down in cash (its balance stays written down).
    const second = runActualPeriod({
      rules: text,
      state: first.nextJson,
      report: {
        period: 2,
        poolBalanceBegin: '288750000.00',
        interestCollected: '3000000.00',
        scheduledPrincipal: '0',
        prepayments: '0',
        poolBalanceEnd: '288750000.00',
        indexRates: { SOFR: '4.31' },
      },
    });
    const b2 = second.classes.find((c) => c.classId === 'B');
    expect(b2?.writedownReimbursed).toBe(8_398_333n);
    expect(b2?.unpaidWritedown).toBe(0n);
    expect(b2?.beginBalance).toBe(b2?.endBalance);
    expect(second.summary.cashIn).toBe(second.summary.cashOut);
  });
});
