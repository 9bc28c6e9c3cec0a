import { describe, expect, it } from 'vitest';

import { projectDeal } from '../src/index.js';
import { passThrough } from './reference.js';
import { NEW, classOf, load } from './structures-fixtures.js';

describe('floater / inverse floater pair and a notional IO class', () => {
  const rules = load('floater-inverse-io.json');
  const collateral = {
    loans: [{ balance: 100e6, couponPct: 8, servicingFeePct: 0.5, originalTerm: 360, remainingTerm: 360 }],
  };
  it('pays F, S and IO the coupons worked from the index, summing to the collateral interest', () => {
    // SOFR path 4.3% then 8%: F = min(8%, max(0.5%, SOFR + 0.5%)) = 4.8% then 8%;
    // S = max(0%, 22.5% - 3 x SOFR) = 9.6% then 0%; IO 1.5% on F + S.
    const sofr = [4.3, 4.3, 8, 8];
    const r = projectDeal({
      collateral,
      rules: rules as never,
      scenario: { prepayment: { type: 'PSA', speed: 150 }, indexCurves: { SOFR: sofr } },
    });
    const pt = passThrough({ ...NEW, wac: 0.08, net: 0.075, psa: 150 });
    for (const n of [1, 2, 3, 4]) {
      const f = classOf(r, 'F').rows[n - 1];
      const s = classOf(r, 'S').rows[n - 1];
      const io = classOf(r, 'IO').rows[n - 1];
      expect(f?.couponPct).toBeCloseTo(n <= 2 ? 4.8 : 8, 9);
      expect(s?.couponPct).toBeCloseTo(n <= 2 ? 9.6 : 0, 9);
      expect(io?.beginBalance).toBe((f?.beginBalance ?? 0n) + (s?.beginBalance ?? 0n));
      // Interest on the balances, 30/360: F + S + IO = 7.5% of the pool balance while F is uncapped.
      const pool = pt.begin[n] ?? 0;
      const fInt = Number(f?.interestPaid ?? 0n) / 100;
      const sInt = Number(s?.interestPaid ?? 0n) / 100;
      const ioInt = Number(io?.interestPaid ?? 0n) / 100;
      expect(fInt).toBeCloseTo((0.75 * pool * (n <= 2 ? 0.048 : 0.08)) / 12, 1);
      expect(sInt).toBeCloseTo((0.25 * pool * (n <= 2 ? 0.096 : 0)) / 12, 1);
      expect(ioInt).toBeCloseTo((pool * 0.015) / 12, 1);
      if (n <= 2) expect(fInt + sInt + ioInt).toBeCloseTo((pool * 0.075) / 12, 1);
    }
    // The IO's notional amortizes with F + S, so all three have the pool's average life.
    for (const id of ['F', 'S', 'IO']) expect(classOf(r, id).wal).toBeCloseTo(r.poolWal ?? 0, 6);
    expect(classOf(r, 'IO').totalPrincipal).toBe(0n);
  });
  it('rejects paying principal to the notional class', () => {
    const doc = structuredClone(rules) as { waterfall: unknown[] };
    doc.waterfall[1] = { payPrincipal: { sequential: ['F', 'IO'] } };
    expect(() => projectDeal({ collateral, rules: doc as never, scenario: {} })).toThrow(
      'rules.waterfall[1].payPrincipal.sequential[1]: the notional class "IO" is never paid principal',
    );
  });
});
