import { describe, expect, it } from 'vitest';

import { projectDeal } from '../src/index.js';
import { passThrough, sequential, wal, window } from './reference.js';
import { FJF, classOf, expectClose, fjfCollateral, load, principalOf, run } from './structures-fixtures.js';

describe('four-class sequential-pay CMO over a seasoned pass-through', () => {
  const rules = load('sequential-four-class.json');
  const sizes = [194.5e6, 36e6, 96.5e6, 73e6];
  it.each([50, 100, 165, 300, 500])('matches a hand-rolled sequential allocation at %i PSA', (psa) => {
    const pt = passThrough({ ...FJF, psa });
    const expected = sequential(sizes, pt.principal);
    const r = run(rules, fjfCollateral, psa);
    ['A', 'B', 'C', 'D'].forEach((id, i) => {
      const ref = expected[i] ?? [];
      const got = principalOf(r, id);
      expectClose(got, ref, 3);
      expect(classOf(r, id).wal).toBeCloseTo(wal(ref), 6);
      expect(classOf(r, id).principalWindow).toMatchObject(window(ref));
      // Interest: 7.5%/12 on the class's beginning balance each month.
      let bal = sizes[i] ?? 0;
      let interest = 0;
      for (let n = 1; n < ref.length; n++) {
        interest += (bal * 0.075) / 12;
        bal -= ref[n] ?? 0;
      }
      expect(Number(classOf(r, id).totalInterest) / 100).toBeCloseTo(interest, -1);
    });
    expect(r.poolWal).toBeCloseTo(wal(pt.principal), 6);
  });
  it('counts WAL from settlement to each distribution date under the default conventions', () => {
    const psa = 165;
    const base = run(rules, fjfCollateral, psa);
    const dated = projectDeal({
      collateral: fjfCollateral,
      rules: rules as never,
      scenario: { prepayment: { type: 'PSA', speed: psa } },
    });
    // Default calendar: cutoff = settlement on the 1st, stated delay 55 days -> payments on the
    // 25th, so t_n = (n - 1)/12 + 54/360 = n/12 + 24/360 under 30/360.
    for (const id of ['A', 'B', 'C', 'D']) {
      expect(classOf(dated, id).wal).toBeCloseTo((classOf(base, id).wal ?? 0) + 24 / 360, 9);
    }
    const settled = projectDeal({
      collateral: fjfCollateral,
      rules: {
        ...(rules as object),
        dates: { cutoffDate: '2024-01-01', closingDate: '2024-01-30' },
      } as never,
      scenario: { prepayment: { type: 'PSA', speed: psa } },
    });
    // Settlement on Jan 30, first payment Feb 25: 25 days (30/360) to the first distribution.
    expect(classOf(settled, 'A').wal).toBeCloseTo((classOf(base, 'A').wal ?? 0) - 1 / 12 + 25 / 360, 9);
    expect(settled.conventions.firstPaymentDate).toBe('2024-02-25');
  });
});

describe('clean-up call ("to call" average lives)', () => {
  it('buys the remaining collateral at par once the pool is at 10% of its original balance', () => {
    const psa = 165;
    const pt = passThrough({ ...FJF, psa });
    // Reference: the first month whose ending balance is <= $40mm pays the whole remaining balance.
    let bal = FJF.balance;
    let call = 0;
    const principal = [0];
    for (let n = 1; n <= pt.months; n++) {
      bal -= pt.principal[n] ?? 0;
      if (bal <= 0.1 * FJF.balance) {
        principal.push((pt.principal[n] ?? 0) + bal);
        call = n;
        break;
      }
      principal.push(pt.principal[n] ?? 0);
    }
    const expected = sequential([194.5e6, 36e6, 96.5e6, 73e6], principal);
    const r = projectDeal({
      collateral: fjfCollateral,
      rules: load('sequential-four-class.json') as never,
      scenario: {
        prepayment: { type: 'PSA', speed: psa },
        cleanUpCallPct: 10,
        conventions: { walFrom: 'periodIndex' },
      },
    });
    expect(r.periods.length).toBe(call);
    expect(classOf(r, 'D').principalWindow?.last).toBe(call);
    expect(classOf(r, 'D').finalBalance).toBe(0n);
    ['A', 'B', 'C', 'D'].forEach((id, i) =>
      expect(classOf(r, id).wal).toBeCloseTo(wal(expected[i] ?? []), 6),
    );
  });
});

describe('decrement tables', () => {
  it('report the percent of original balance outstanding each year, as the hand allocation gives', () => {
    const psa = 165;
    const pt = passThrough({ ...FJF, psa });
    const expected = sequential([194.5e6, 36e6, 96.5e6, 73e6], pt.principal);
    const r = run(load('sequential-four-class.json'), fjfCollateral, psa);
    const a = classOf(r, 'A');
    const paidA = expected[0] ?? [];
    for (const row of a.decrement.slice(0, 8)) {
      const paid = paidA.slice(1, row.period + 1).reduce((s, x) => s + x, 0);
      expect(row.pctOutstanding).toBeCloseTo((100 * (194.5e6 - paid)) / 194.5e6, 5);
    }
    expect(a.decrement[0]?.period).toBe(12);
    expect(classOf(r, 'D').decrement[0]?.pctOutstanding).toBe(100);
  });
});
