import { describe, expect, it } from 'vitest';

import { passThrough, wal } from './reference.js';
import { NEW, classOf, expectClose, load, newCollateral, principalOf, run } from './structures-fixtures.js';

describe('pro-rata classes', () => {
  it('keep their 60/40 share of principal and the pool average life', () => {
    const pt = passThrough({ ...NEW, psa: 200 });
    const r = run(load('pro-rata.json'), newCollateral, 200);
    const p1 = principalOf(r, 'P1');
    const p2 = principalOf(r, 'P2');
    expectClose(
      p1,
      pt.principal.map((x) => 0.6 * x),
      2,
    );
    expectClose(
      p2,
      pt.principal.map((x) => 0.4 * x),
      2,
    );
    expect(classOf(r, 'P1').wal).toBeCloseTo(wal(pt.principal), 6);
    expect(classOf(r, 'P2').wal).toBeCloseTo(wal(pt.principal), 6);
  });
});

describe('concurrent fixed-percentage groups', () => {
  it('split principal 70/30 between a sequential group and a pro-rata group', () => {
    const pt = passThrough({ ...NEW, psa: 250 });
    // Reference: 70% of each month's principal to A1 then A2, 30% to B1/B2 pro rata by balance;
    // what a retired group cannot take goes to the other.
    const bal = { A1: 40e6, A2: 30e6, B1: 20e6, B2: 10e6 };
    const paid: Record<string, number[]> = { A1: [0], A2: [0], B1: [0], B2: [0] };
    for (let n = 1; n <= pt.months; n++) {
      const p = pt.principal[n] ?? 0;
      const g1 = (amt: number): number => {
        const a1 = Math.min(bal.A1, amt);
        const a2 = Math.min(bal.A2, amt - a1);
        bal.A1 -= a1;
        bal.A2 -= a2;
        (paid.A1 ?? []).push(a1);
        (paid.A2 ?? []).push(a2);
        return amt - a1 - a2;
      };
      const g2 = (amt: number): number => {
        const tot = bal.B1 + bal.B2;
        const x = Math.min(amt, tot);
        const b1 = tot > 0 ? (x * bal.B1) / tot : 0;
        const b2 = x - b1;
        bal.B1 -= b1;
        bal.B2 -= b2;
        (paid.B1 ?? []).push(b1);
        (paid.B2 ?? []).push(b2);
        return amt - x;
      };
      const left1 = g1(0.7 * p);
      const left2 = g2(0.3 * p);
      // Spill-over: add to this month's entries.
      const extraToB = left1;
      const extraToA = left2;
      if (extraToB > 0) {
        const tot = bal.B1 + bal.B2;
        const x = Math.min(extraToB, tot);
        const b1 = tot > 0 ? (x * bal.B1) / tot : 0;
        bal.B1 -= b1;
        bal.B2 -= x - b1;
        (paid.B1 ?? [])[n] = ((paid.B1 ?? [])[n] ?? 0) + b1;
        (paid.B2 ?? [])[n] = ((paid.B2 ?? [])[n] ?? 0) + x - b1;
      }
      if (extraToA > 0) {
        const a1 = Math.min(bal.A1, extraToA);
        const a2 = Math.min(bal.A2, extraToA - a1);
        bal.A1 -= a1;
        bal.A2 -= a2;
        (paid.A1 ?? [])[n] = ((paid.A1 ?? [])[n] ?? 0) + a1;
        (paid.A2 ?? [])[n] = ((paid.A2 ?? [])[n] ?? 0) + a2;
      }
    }
    const r = run(load('concurrent-split.json'), newCollateral, 250);
    for (const id of ['A1', 'A2', 'B1', 'B2']) {
      expectClose(principalOf(r, id), paid[id] ?? [], 25);
      expect(classOf(r, id).wal).toBeCloseTo(wal(paid[id] ?? []), 6);
    }
  });
});
