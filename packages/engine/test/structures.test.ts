import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { projectDeal, type ProjectionResult } from '../src/index.js';
import { passThrough, sequential, wal, window, type PassThrough } from './reference.js';

/*
 * Known structures checked against figures worked independently: each test builds the
 * pass-through's cash flows from the SIFMA formulas (test/reference.ts) and allocates them by the
 * deal's rules by hand, then compares the engine's WALs, windows and per-period principal. The
 * engine rounds each period's collections to cents and pays exact cents; the reference runs in
 * floating point, so per-period amounts may differ by a few cents and WALs by far less than 1e-6.
 */

const examples = join(import.meta.dirname, '..', 'examples');
const load = (name: string): unknown => JSON.parse(readFileSync(join(examples, name), 'utf8')) as unknown;

/** The textbook seasoned pass-through: $400mm, 8.125% WAC, 7.5% net, 357 months left, 3 months old. */
const FJF = { balance: 400e6, wac: 0.08125, net: 0.075, wam: 357, wala: 3 };
const fjfCollateral = {
  loans: [
    { balance: 400e6, couponPct: 8.125, servicingFeePct: 0.625, originalTerm: 360, remainingTerm: 357 },
  ],
};
/** A new 30-year pool: $100mm, 6.5% WAC, 6% net. */
const NEW = { balance: 100e6, wac: 0.065, net: 0.06, wam: 360, wala: 0 };
const newCollateral = {
  loans: [{ balance: 100e6, couponPct: 6.5, servicingFeePct: 0.5, originalTerm: 360, remainingTerm: 360 }],
};

function run(rules: unknown, collateral: unknown, psa: number): ProjectionResult {
  return projectDeal({
    collateral: collateral as never,
    rules: rules as never,
    scenario: { prepayment: { type: 'PSA', speed: psa }, conventions: { walFrom: 'periodIndex' } },
  });
}

function principalOf(r: ProjectionResult, id: string): number[] {
  const c = r.classes.find((x) => x.classId === id);
  if (!c) throw new Error(`no class ${id}`);
  return [0, ...c.rows.map((row) => Number(row.principalPaid) / 100)];
}

function classOf(r: ProjectionResult, id: string): ProjectionResult['classes'][number] {
  const c = r.classes.find((x) => x.classId === id);
  if (!c) throw new Error(`no class ${id}`);
  return c;
}

function expectClose(engine: number[], reference: number[], cents: number): void {
  const n = Math.max(engine.length, reference.length);
  for (let i = 1; i < n; i++) {
    const d = Math.abs((engine[i] ?? 0) - (reference[i] ?? 0));
    if (d > cents / 100) throw new Error(`period ${i}: engine ${engine[i]} vs reference ${reference[i]}`);
  }
}

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
