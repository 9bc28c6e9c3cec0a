import { describe, expect, it } from 'vitest';
import { parseClasses, parseReconciliation, parseSummary } from './engineOutput';

const CLASSES = JSON.stringify([
  {
    classId: 'A',
    period: 1,
    beginBalance: '400000000.00',
    interestDue: '1583333.33',
    interestPaid: '1583333.33',
    interestShortfall: '0.00',
    capCarryoverPaid: '0.00',
    capCarryover: '0.00',
    writedownReimbursed: '0.00',
    unpaidWritedown: '0.00',
    accreted: '0.00',
    principalPaid: '2000000.00',
    writedown: '0.00',
    endBalance: '398000000.00',
    couponPct: 4.75,
  },
  { classId: 'B', period: 1, interestPaid: '200000.00' },
  'not a class',
]);

describe('reading a report’s engine output', () => {
  it('reads classes in the waterfall’s order, missing amounts as empty', () => {
    const rows = parseClasses(CLASSES);
    expect(rows.map((r) => r.classId)).toEqual(['A', 'B']);
    expect(rows[0]).toMatchObject({
      period: 1,
      couponPct: '4.75',
      interestPaid: '1583333.33',
      principalPaid: '2000000.00',
      endBalance: '398000000.00',
    });
    expect(rows[1]).toMatchObject({ interestPaid: '200000.00', principalPaid: '', couponPct: '' });
    expect(parseClasses('{"classId":"A"}')).toEqual([]);
    expect(parseClasses('not json')).toEqual([]);
    expect(parseClasses(undefined)).toEqual([]);
  });

  it('reads the summary’s pool lines, fees and cash', () => {
    const summary = parseSummary(
      JSON.stringify({
        period: 1,
        pool: {
          poolBalanceBegin: '500000000.00',
          interest: '2100000.00',
          prepayments: '1400000.00',
          indexRates: {},
        },
        feesPaid: { trustee: '4166.67' },
        cashIn: '4100000.00',
        cashOut: '4100000.00',
        residual: '0.00',
      }),
    );
    expect(summary).toEqual({
      pool: { poolBalanceBegin: '500000000.00', interest: '2100000.00', prepayments: '1400000.00' },
      feesPaid: [['trustee', '4166.67']],
      cashIn: '4100000.00',
      cashOut: '4100000.00',
      residual: '0.00',
    });
    expect(parseSummary('[]')).toBeUndefined();
  });

  it('reads a reconciliation: ties only when it says so, each tranche’s differences with the escrow as -1', () => {
    const differs = parseReconciliation(
      JSON.stringify({
        ties: false,
        tranches: [
          {
            trancheId: 't-a',
            distributionId: '0xd1',
            entitled: '3583333330000',
            funded: '3583333330000',
            paid: '3583333329999',
            remainder: '1',
            differences: [
              { index: 0, account: '0xAa', entitled: '2687499997500', paid: '2687499997499' },
              { index: -1, account: 'escrow', entitled: '0', paid: '1' },
            ],
          },
        ],
      }),
    );
    expect(differs?.ties).toBe(false);
    expect(differs?.tranches[0]?.differences.map((d) => [d.index, d.account])).toEqual([
      [0, '0xAa'],
      [-1, 'escrow'],
    ]);
    expect(parseReconciliation('{"tranches":[]}')).toEqual({ ties: false, tranches: [] });
    expect(parseReconciliation(null)).toBeUndefined();
    expect(parseReconciliation('{')).toBeUndefined();
  });
});
