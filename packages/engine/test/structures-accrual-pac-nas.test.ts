import { describe, expect, it } from 'vitest';

import { passThrough, wal, type PassThrough } from './reference.js';
import {
  FJF,
  NEW,
  classOf,
  expectClose,
  fjfCollateral,
  load,
  newCollateral,
  principalOf,
  run,
} from './structures-fixtures.js';

describe('accrual (Z) class with accretion-directed classes', () => {
  it.each([100, 165, 400])('matches a hand-rolled Z-accrual allocation at %i PSA', (psa) => {
    const pt = passThrough({ ...FJF, psa });
    // Each month Z accrues 7.5%/12 on its balance; the accrual is added to Z and the same cash
    // pays principal, with the collateral principal, to A, then B, then C, then Z.
    const bal = [194.5e6, 36e6, 96.5e6, 73e6];
    const paid: number[][] = [[0], [0], [0], [0]];
    const zReduction: number[] = [0];
    for (let n = 1; n <= pt.months; n++) {
      const z0 = bal[3] ?? 0;
      const accrual = (z0 * 0.075) / 12;
      bal[3] = z0 + accrual;
      let left = (pt.principal[n] ?? 0) + accrual;
      bal.forEach((b, i) => {
        const x = Math.min(b, left);
        bal[i] = b - x;
        left -= x;
        paid[i]?.push(x);
      });
      zReduction.push(Math.max(0, z0 - (bal[3] ?? 0)));
    }
    const r = run(load('z-accrual.json'), fjfCollateral, psa);
    ['A', 'B', 'C'].forEach((id, i) => {
      expectClose(principalOf(r, id), paid[i] ?? [], 25);
      expect(classOf(r, id).wal).toBeCloseTo(wal(paid[i] ?? []), 5);
    });
    // Z's WAL weights the net reductions of its balance (prospectus convention).
    expect(classOf(r, 'Z').wal).toBeCloseTo(wal(zReduction), 4);
    expect(classOf(r, 'Z').finalBalance).toBe(0n);
    // Z accretes at first and takes no cash interest until C is retired.
    const z1 = classOf(r, 'Z').rows[0];
    expect(z1?.accreted).toBe((730_000_000n * 75n) / 1200n);
    expect(z1?.interestPaid).toBe(0n);
  });
});

describe('PAC/support pair with a schedule from a 90-300 PSA collar', () => {
  const rules = load('pac-support.json');
  const low = passThrough({ ...FJF, psa: 90 });
  const high = passThrough({ ...FJF, psa: 300 });
  // Schedule: each month the smaller of the collateral principal at the two collar speeds,
  // cumulated against the PAC's $243.8mm.
  const schedule: number[] = [243.8e6];
  let cum = 0;
  for (let n = 1; n <= 357; n++) {
    cum += Math.min(low.principal[n] ?? 0, high.principal[n] ?? 0);
    schedule.push(Math.max(0, 243.8e6 - cum));
  }
  const scheduleWal = wal(schedule.map((b, n) => (n === 0 ? 0 : (schedule[n - 1] ?? 0) - b)));

  function reference(pt: PassThrough): { pac: number[]; sup: number[] } {
    let p = 243.8e6;
    let s = 156.2e6;
    const pac = [0];
    const sup = [0];
    for (let n = 1; n <= pt.months; n++) {
      let left = pt.principal[n] ?? 0;
      const toSchedule = Math.min(left, Math.max(0, p - (schedule[n] ?? 0)));
      left -= toSchedule;
      const toSupport = Math.min(left, s);
      left -= toSupport;
      const extra = Math.min(left, p - toSchedule);
      p -= toSchedule + extra;
      s -= toSupport;
      pac.push(toSchedule + extra);
      sup.push(toSupport);
    }
    return { pac, sup };
  }

  it.each([90, 165, 250, 300])('pays the PAC exactly on schedule inside the collar (%i PSA)', (psa) => {
    const r = run(rules, fjfCollateral, psa);
    const p = classOf(r, 'P');
    p.rows.forEach((row, i) => {
      const target = schedule[i + 1] ?? 0;
      expect(Math.abs(Number(row.endBalance) / 100 - target)).toBeLessThan(0.05);
    });
    expect(p.wal).toBeCloseTo(scheduleWal, 6);
    const ref = reference(passThrough({ ...FJF, psa }));
    expect(classOf(r, 'S').wal).toBeCloseTo(wal(ref.sup), 5);
  });

  it.each([50, 500])('breaks the schedule outside the collar (%i PSA) as the hand allocation does', (psa) => {
    const r = run(rules, fjfCollateral, psa);
    const ref = reference(passThrough({ ...FJF, psa }));
    expectClose(principalOf(r, 'P'), ref.pac, 5);
    expectClose(principalOf(r, 'S'), ref.sup, 5);
    expect(classOf(r, 'P').wal).toBeCloseTo(wal(ref.pac), 5);
    if (psa < 90) expect(classOf(r, 'P').wal ?? 0).toBeGreaterThan(scheduleWal + 0.01);
    else expect(classOf(r, 'P').wal ?? 0).toBeLessThan(scheduleWal - 0.01);
  });
});

describe('non-accelerating senior (NAS) class', () => {
  it('takes no principal during its lock-out, then its shifted pro-rata share', () => {
    const psa = 200;
    const pt = passThrough({ ...NEW, psa });
    const shift = (n: number): number => (n <= 36 ? 0 : n <= 60 ? 0.45 : n <= 72 ? 0.8 : n <= 84 ? 1 : 3);
    const bal: Record<string, number> = { A1: 40e6, A2: 25e6, A3: 15e6, AN: 20e6 };
    const paid: Record<string, number[]> = { A1: [0], A2: [0], A3: [0], AN: [0] };
    for (let n = 1; n <= pt.months; n++) {
      const total = (bal.A1 ?? 0) + (bal.A2 ?? 0) + (bal.A3 ?? 0) + (bal.AN ?? 0);
      let left = pt.principal[n] ?? 0;
      const nas = total > 0 ? Math.min(bal.AN ?? 0, (left * shift(n) * (bal.AN ?? 0)) / total, left) : 0;
      bal.AN = (bal.AN ?? 0) - nas;
      left -= nas;
      const row: Record<string, number> = { A1: 0, A2: 0, A3: 0, AN: nas };
      for (const k of ['A1', 'A2', 'A3', 'AN']) {
        const x = Math.min(bal[k] ?? 0, left);
        bal[k] = (bal[k] ?? 0) - x;
        left -= x;
        row[k] = (row[k] ?? 0) + x;
      }
      for (const k of Object.keys(row)) (paid[k] ?? []).push(row[k] ?? 0);
    }
    const r = run(load('nas.json'), newCollateral, psa);
    for (const id of ['A1', 'A2', 'A3', 'AN']) {
      expectClose(principalOf(r, id), paid[id] ?? [], 25);
      expect(classOf(r, id).wal).toBeCloseTo(wal(paid[id] ?? []), 5);
    }
    expect(classOf(r, 'AN').principalWindow?.first).toBe(37);
  });
});
