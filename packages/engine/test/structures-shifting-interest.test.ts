import { describe, expect, it } from 'vitest';

import { projectDeal } from '../src/index.js';
import { passThrough, wal, type PassThrough } from './reference.js';
import { NEW, classOf, expectClose, load, principalOf, run } from './structures-fixtures.js';

describe('shifting-interest senior/subordinate deal', () => {
  const collateral = {
    loans: [{ balance: 500e6, couponPct: 6.5, servicingFeePct: 0.25, originalTerm: 360, remainingTerm: 360 }],
  };
  const seniors = ['A1', 'A2', 'A3', 'A4'];
  const subs = ['M1', 'M2', 'B1', 'B2', 'B3'];
  const sizes: Record<string, number> = {
    A1: 200e6,
    A2: 100e6,
    A3: 100e6,
    A4: 65e6,
    M1: 12.5e6,
    M2: 7.5e6,
    B1: 7.5e6,
    B2: 5e6,
    B3: 2.5e6,
  };
  const shift = (n: number): number =>
    n <= 60 ? 1 : n <= 72 ? 0.7 : n <= 84 ? 0.6 : n <= 96 ? 0.4 : n <= 108 ? 0.2 : 0;

  function reference(pt: PassThrough): Record<string, number[]> {
    // Senior % = senior balance / pool balance; senior prepayment % = senior % + shift x (1 - senior %)
    // (100% if the senior % is above its original 93%). Seniors sequential; subordinates pro rata
    // on the rest.
    const bal = { ...sizes };
    const paid: Record<string, number[]> = Object.fromEntries(Object.keys(sizes).map((k) => [k, [0]]));
    const origPct = 465 / 500;
    for (let n = 1; n <= pt.months; n++) {
      const pool = pt.begin[n] ?? 0;
      const s = seniors.reduce((t, k) => t + (bal[k] ?? 0), 0);
      const pct = Math.min(1, s / pool);
      const prepPct = pct > origPct + 1e-12 ? 1 : pct + shift(n) * (1 - pct);
      let senior = Math.min(s, pct * (pt.scheduled[n] ?? 0) + prepPct * (pt.prepaid[n] ?? 0));
      let sub = (pt.principal[n] ?? 0) - senior;
      for (const k of seniors) {
        const x = Math.min(bal[k] ?? 0, senior);
        bal[k] = (bal[k] ?? 0) - x;
        senior -= x;
        (paid[k] ?? []).push(x);
      }
      const subTot = subs.reduce((t, k) => t + (bal[k] ?? 0), 0);
      const subPaid = Math.min(sub, subTot);
      for (const k of subs) {
        const x = subTot > 0 ? (subPaid * (bal[k] ?? 0)) / subTot : 0;
        bal[k] = (bal[k] ?? 0) - x;
        (paid[k] ?? []).push(x);
      }
      sub -= subPaid;
      for (const k of seniors) {
        const x = Math.min(bal[k] ?? 0, sub);
        bal[k] = (bal[k] ?? 0) - x;
        sub -= x;
        const arr = paid[k] ?? [];
        arr[n] = (arr[n] ?? 0) + x;
      }
    }
    return paid;
  }

  it.each([100, 300])('matches a hand-rolled shifting-interest allocation at %i PSA', (psa) => {
    const pt = passThrough({ ...NEW, balance: 500e6, psa });
    const expected = reference(pt);
    const r = run(load('shifting-interest.json'), collateral, psa);
    for (const id of [...seniors, ...subs]) {
      expectClose(principalOf(r, id), expected[id] ?? [], 25);
      expect(classOf(r, id).wal).toBeCloseTo(wal(expected[id] ?? []), 4);
    }
    // Lock-out: for five years the subordinates receive only their percentage of scheduled
    // principal (sub balance / pool balance x scheduled), none of the prepayments.
    for (const n of [12, 60]) {
      const p = r.periods[n - 1];
      if (!p) throw new Error('missing period');
      const subBegin = subs.reduce((t, id) => t + (classOf(r, id).rows[n - 1]?.beginBalance ?? 0n), 0n);
      const subPrin = subs.reduce((t, id) => t + (classOf(r, id).rows[n - 1]?.principalPaid ?? 0n), 0n);
      const expected =
        Number(p.pool.scheduledPrincipal) * (Number(subBegin) / Number(p.pool.poolBalanceBegin));
      expect(Math.abs(Number(subPrin) - expected)).toBeLessThanOrEqual(1);
    }
    expect(r.periods.every((p) => !p.triggers.cumLoss && !p.triggers.dlq60)).toBe(true);
  });

  it('blocks the step-down while the cumulative loss trigger is breached', () => {
    const r = projectDeal({
      collateral,
      rules: load('shifting-interest.json') as never,
      scenario: {
        prepayment: { type: 'PSA', speed: 200 },
        default: { type: 'CDR', cdr: 3 },
        severityPct: 40,
        recoveryLagMonths: 6,
      },
    });
    const breached = r.periods.filter((p) => p.triggers.cumLoss);
    expect(breached.length).toBeGreaterThan(0);
    // In a breached period after year five, seniors still take 100% of prepayments and recoveries.
    const p = breached.find((x) => x.period > 70);
    expect(p).toBeDefined();
    if (!p) return;
    const row = (id: string) => r.classes.find((c) => c.classId === id)?.rows[p.period - 1];
    const seniorPrin = seniors.reduce((t, id) => t + (row(id)?.principalPaid ?? 0n), 0n);
    const seniorBegin = seniors.reduce((t, id) => t + (row(id)?.beginBalance ?? 0n), 0n);
    const expected =
      (p.pool.scheduledPrincipal * seniorBegin) / p.pool.poolBalanceBegin +
      p.pool.prepayments +
      p.pool.recoveries;
    expect(Number(seniorPrin)).toBeCloseTo(Number(expected), -2);
    // Losses are written down on the most junior class first.
    const b3 = r.classes.find((c) => c.classId === 'B3');
    const m1 = r.classes.find((c) => c.classId === 'M1');
    expect(b3?.totalWritedown).toBeGreaterThan(0n);
    const firstB3 = b3?.rows.find((x) => x.writedown > 0n)?.period ?? 0;
    const firstM1 = m1?.rows.find((x) => x.writedown > 0n)?.period ?? Infinity;
    expect(firstB3).toBeLessThan(firstM1);
  });
});
