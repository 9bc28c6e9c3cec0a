import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { projectDeal, type ProjectionResult } from '../src/index.js';

/*
 * Shared fixtures of the structure tests (structures-*.test.ts, one file per structure family).
 * Known structures are checked against figures worked independently: each test builds the
 * pass-through's cash flows from the SIFMA formulas (test/reference.ts) and allocates them by the
 * deal's rules by hand, then compares the engine's WALs, windows and per-period principal. The
 * engine rounds each period's collections to cents and pays exact cents; the reference runs in
 * floating point, so per-period amounts may differ by a few cents and WALs by far less than 1e-6.
 */

const examples = join(import.meta.dirname, '..', 'examples');
export const load = (name: string): unknown =>
  JSON.parse(readFileSync(join(examples, name), 'utf8')) as unknown;

/** The textbook seasoned pass-through: $400mm, 8.125% WAC, 7.5% net, 357 months left, 3 months old. */
export const FJF = { balance: 400e6, wac: 0.08125, net: 0.075, wam: 357, wala: 3 };
export const fjfCollateral = {
  loans: [
    { balance: 400e6, couponPct: 8.125, servicingFeePct: 0.625, originalTerm: 360, remainingTerm: 357 },
  ],
};
/** A new 30-year pool: $100mm, 6.5% WAC, 6% net. */
export const NEW = { balance: 100e6, wac: 0.065, net: 0.06, wam: 360, wala: 0 };
export const newCollateral = {
  loans: [{ balance: 100e6, couponPct: 6.5, servicingFeePct: 0.5, originalTerm: 360, remainingTerm: 360 }],
};

export function run(rules: unknown, collateral: unknown, psa: number): ProjectionResult {
  return projectDeal({
    collateral: collateral as never,
    rules: rules as never,
    scenario: { prepayment: { type: 'PSA', speed: psa }, conventions: { walFrom: 'periodIndex' } },
  });
}

export function principalOf(r: ProjectionResult, id: string): number[] {
  const c = r.classes.find((x) => x.classId === id);
  if (!c) throw new Error(`no class ${id}`);
  return [0, ...c.rows.map((row) => Number(row.principalPaid) / 100)];
}

export function classOf(r: ProjectionResult, id: string): ProjectionResult['classes'][number] {
  const c = r.classes.find((x) => x.classId === id);
  if (!c) throw new Error(`no class ${id}`);
  return c;
}

export function expectClose(engine: number[], reference: number[], cents: number): void {
  const n = Math.max(engine.length, reference.length);
  for (let i = 1; i < n; i++) {
    const d = Math.abs((engine[i] ?? 0) - (reference[i] ?? 0));
    if (d > cents / 100) throw new Error(`period ${i}: engine ${engine[i]} vs reference ${reference[i]}`);
  }
}
