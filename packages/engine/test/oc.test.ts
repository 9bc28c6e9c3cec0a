import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { projectDeal, type ProjectionResult } from '../src/index.js';

/*
 * The overcollateralised deal (examples/oc-turbo-reserve.json): excess spread turbo-pays notes
 * until OC reaches its target; triggers switch principal from pro rata back to sequential; the
 * B class is locked out of principal for 36 periods; losses write down B, then M2, then M1.
 */
const rules = readFileSync(join(import.meta.dirname, '..', 'examples', 'oc-turbo-reserve.json'), 'utf8');
const collateral = {
  loans: [
    { balance: 150e6, couponPct: 8.5, servicingFeePct: 0.5, originalTerm: 360, remainingTerm: 357 },
    { balance: 150e6, couponPct: 8.0, servicingFeePct: 0.5, originalTerm: 360, remainingTerm: 340 },
  ],
};

function oc(r: ProjectionResult, period: number): bigint {
  const p = r.periods[period - 1];
  if (!p) throw new Error('no period');
  const notes = r.classes.reduce((s, c) => s + (c.rows[period - 1]?.endBalance ?? 0n), 0n);
  return p.pool.poolBalanceEnd - notes;
}

describe('overcollateralisation, turbo, triggers and write-downs', () => {
  it('builds OC to 4.5% of the original pool with excess spread, then steps down to pro rata', () => {
    const r = projectDeal({
      collateral,
      rules,
      scenario: { prepayment: { type: 'PSA', speed: 150 }, indexCurves: { SOFR: 4 } },
    });
    const target = 13_500_000_00n; // 4.5% x $300mm, in cents
    // OC starts at $9mm (3%) and grows by the excess spread each month until it hits the target exactly.
    expect(oc(r, 1)).toBeGreaterThan(900_000_000n);
    const reached = r.periods.findIndex((_, i) => oc(r, i + 1) === target) + 1;
    expect(reached).toBeGreaterThan(1);
    for (let n = reached; n <= 36; n++) expect(oc(r, n)).toBe(target);
    // B is locked out of principal through period 36.
    const b = r.classes.find((c) => c.classId === 'B');
    expect(b?.principalWindow?.first).toBe(37);
    // After the step-down (period 37, no trigger) principal is pro rata: each note's share of the
    // period's principal matches its share of the note balances (to a cent).
    const n = 40;
    const rows = r.classes.filter((c) => c.classId !== 'R').map((c) => c.rows[n - 1]);
    const totalBegin = rows.reduce((s, x) => s + (x?.beginBalance ?? 0n), 0n);
    const totalPrin = rows.reduce((s, x) => s + (x?.principalPaid ?? 0n), 0n);
    for (const x of rows) {
      const expected = Number(totalPrin) * (Number(x?.beginBalance ?? 0n) / Number(totalBegin));
      expect(Math.abs(Number(x?.principalPaid ?? 0n) - expected)).toBeLessThanOrEqual(1);
    }
    // After the step-down the OC target is 9% of the current pool (floor 0.5% of original): excess
    // spread builds OC up to it, then OC releases keep it exactly on target as the pool amortizes.
    const onTarget = (k: number): boolean => {
      const pool = r.periods[k - 1]?.pool.poolBalanceEnd ?? 0n;
      return oc(r, k) === (pool * 9n) / 100n;
    };
    const first = r.periods.findIndex((x) => x.period > 37 && onTarget(x.period)) + 1;
    expect(first).toBeGreaterThan(37);
    for (let k = first; k < first + 60; k++) expect(onTarget(k)).toBe(true);
    expect(r.classes.find((c) => c.classId === 'R')?.totalInterest).toBeGreaterThan(0n);
  });

  it('switches to sequential and writes down B first when losses breach the trigger', () => {
    const r = projectDeal({
      collateral,
      rules,
      scenario: {
        prepayment: { type: 'PSA', speed: 150 },
        default: { type: 'CDR', cdr: 12 },
        severityPct: 60,
        recoveryLagMonths: 6,
        advancing: 'interest',
        indexCurves: { SOFR: 4 },
      },
    });
    const breached = r.periods.filter((p) => p.triggers.stepdownFail);
    expect(breached.length).toBeGreaterThan(0);
    // In a breached period after 36, principal is sequential: nothing to M1 while A is outstanding.
    const p = breached.find((x) => x.period > 40);
    expect(p).toBeDefined();
    const m1 = r.classes.find((c) => c.classId === 'M1');
    const a = r.classes.find((c) => c.classId === 'A');
    if (p && (a?.rows[p.period - 1]?.endBalance ?? 0n) > 0n) {
      expect(m1?.rows[p.period - 1]?.principalPaid).toBe(0n);
    }
    const wd = (id: string) =>
      r.classes.find((c) => c.classId === id)?.rows.findIndex((x) => x.writedown > 0n) ?? -1;
    expect(wd('B')).toBeGreaterThanOrEqual(0);
    if (wd('M2') >= 0) expect(wd('M2')).toBeGreaterThanOrEqual(wd('B'));
    expect(r.classes.find((c) => c.classId === 'A')?.totalWritedown).toBe(0n);
    for (const x of r.periods) expect(x.cashIn).toBe(x.cashOut);
  });
});
