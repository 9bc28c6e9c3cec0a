import { readFileSync } from 'node:fs';
import { EngineInputError, prepareDeal, projectPrepared } from '@tranche/engine';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectionPool } from './projection.pool.js';
import { toDealProjection } from './projection.result.js';

const demoDocument = (name: string) =>
  readFileSync(new URL(`../../../../packages/devstack/src/demo/${name}`, import.meta.url), 'utf8');
const rules = demoDocument('acme-rules.json');
const collateral = demoDocument('acme-collateral.json');
const psa = (speed: number) => ({ prepayment: { type: 'PSA' as const, speed } });

const pool = new ProjectionPool(2);
afterAll(() => pool.close());

describe('ProjectionPool', () => {
  it('returns what the engine computes on the main thread, in the order asked', async () => {
    const speeds = [50, 100, 200, 300, 400];
    const results = await Promise.all(speeds.map((s) => pool.run({ rules, collateral, scenario: psa(s) })));
    const prepared = prepareDeal(JSON.parse(collateral) as never, rules);
    speeds.forEach((s, i) => expect(results[i]).toEqual(projectPrepared(prepared, psa(s))));
  });

  it('answers in the API shape built on the thread, with only the per-period lists asked for', async () => {
    const prepared = prepareDeal(JSON.parse(collateral) as never, rules);
    const full = toDealProjection(projectPrepared(prepared, psa(150)));
    expect(full.pool.length).toBeGreaterThan(0);
    expect(
      await pool.project({ rules, collateral, scenario: psa(150) }, { pool: true, cashFlows: true }),
    ).toEqual(full);
    const walsOnly = await pool.project(
      { rules, collateral, scenario: psa(150) },
      { pool: false, cashFlows: false },
    );
    expect(walsOnly).toEqual({
      ...full,
      pool: [],
      classes: full.classes.map((c) => ({ ...c, cashFlows: [] })),
    });
  });

  it('keeps the event loop turning while a grid runs on the threads: no pause near the grid’s length', async () => {
    // the demo's three loans, each split into 500 equal ones: the same pool, enough work to see
    const loans = (JSON.parse(collateral) as { loans: { balance: number }[] }).loans.flatMap((loan) =>
      Array.from({ length: 500 }, () => ({ ...loan, balance: loan.balance / 500 })),
    );
    const large = JSON.stringify({ loans });
    let ticks = 0;
    let worstGapMs = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      worstGapMs = Math.max(worstGapMs, now - last);
      last = now;
      ticks++;
    }, 5);
    const grid = Array.from({ length: 25 }, (_, i) => psa(50 + i * 25));
    const started = performance.now();
    await Promise.all(grid.map((scenario) => pool.run({ rules, collateral: large, scenario })));
    const elapsed = performance.now() - started;
    clearInterval(timer);
    // on the event loop the grid would be one pause as long as the grid itself
    expect(worstGapMs).toBeLessThan(elapsed / 3);
    expect(ticks).toBeGreaterThan(elapsed / 5 / 4);
  });

  it('sends a thread the documents once per structure, and still answers for each', async () => {
    const one = new ProjectionPool(1);
    try {
      const posted: unknown[] = [];
      const grid = [psa(100), psa(200), psa(300)];
      const first = one.run({ rules, collateral, scenario: grid[0]! });
      const worker = (one as unknown as { threads: { worker: { postMessage: (m: unknown) => void } }[] })
        .threads[0]!.worker;
      const post = worker.postMessage.bind(worker);
      worker.postMessage = (m: unknown) => {
        posted.push(m);
        post(m);
      };
      const rest = grid.slice(1).map((scenario) => one.run({ rules, collateral, scenario }));
      const other = one.run({ rules: rules.replace('"', ' "'), collateral, scenario: psa(100) });
      const results = await Promise.all([first, ...rest, other]);
      expect(posted.map((m) => 'collateral' in (m as object))).toEqual([false, false, true]);
      const prepared = prepareDeal(JSON.parse(collateral) as never, rules);
      grid.forEach((s, i) => expect(results[i]).toEqual(projectPrepared(prepared, s)));
      expect(results[3]).toEqual(projectPrepared(prepared, psa(100)));
      // A structure the engine refuses is refused again for its next scenario, not forgotten.
      const bad = { rules: '{"not":"rules"}', collateral };
      const errors = await Promise.all(
        [psa(100), psa(200)].map((scenario) => one.run({ ...bad, scenario }).catch((e: unknown) => e)),
      );
      for (const err of errors) expect(err).toBeInstanceOf(EngineInputError);
    } finally {
      await one.close();
    }
  });

  it("rejects with the engine's input issues for a scenario it refuses", async () => {
    const err = await pool.run({ rules, collateral, scenario: psa(-5) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineInputError);
    expect((err as EngineInputError).issues[0]?.path).toMatch(/prepayment/);
  });

  it('refuses work once closed', async () => {
    const closing = new ProjectionPool(1);
    await closing.run({ rules, collateral, scenario: psa(100) });
    await closing.close();
    await expect(closing.run({ rules, collateral, scenario: psa(100) })).rejects.toThrow(/closed/);
  });
});
