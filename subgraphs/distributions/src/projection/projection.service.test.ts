import { readFileSync } from 'node:fs';
import { ValidationError } from '@tranche/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { closeProjectionPool } from './projection.pool.js';
import { PrepaymentModel, type ScenarioInput } from './projection.input.js';
import { toDealProjection, toEngineScenario } from './projection.mapper.js';
import { MAX_GRID, projectStructure } from './projection.service.js';

const demoDocument = (name: string) =>
  readFileSync(new URL(`../../../../packages/devstack/src/demo/${name}`, import.meta.url), 'utf8');
const STRUCTURE = {
  waterfallRules: demoDocument('acme-rules.json'),
  collateral: demoDocument('acme-collateral.json'),
};
const psa = (rate: number): ScenarioInput =>
  ({ prepayment: { model: PrepaymentModel.PSA, rate } }) as ScenarioInput;

afterAll(closeProjectionPool);

describe('projectStructure', () => {
  it('projects the demo deal: every class repaid, WALs in priority order, faster prepayments shorter', async () => {
    const [slow, fast] = (await projectStructure(STRUCTURE, [psa(100), psa(300)], toEngineScenario)).map(
      (r) => toDealProjection(r),
    );
    const wal = (p: typeof slow, id: string) => p?.classes.find((c) => c.classId === id)?.wal ?? NaN;
    for (const id of ['A', 'M', 'B']) {
      expect(slow?.classes.find((c) => c.classId === id)?.finalBalance).toBe(0n);
      expect(wal(fast, id)).toBeLessThan(wal(slow, id));
    }
    expect(wal(slow, 'A')).toBeLessThan(wal(slow, 'M'));
    expect(wal(slow, 'M')).toBeLessThan(wal(slow, 'B'));
  });

  it("projects at a percentage of the deal's own curve (PPC): 100% of a flat 6% curve is 6% CPR", async () => {
    const ppc = {
      prepayment: { model: PrepaymentModel.PPC, rate: 100, ppcFixed: [{ month: 1, cprPct: 6 }] },
    } as ScenarioInput;
    const cpr = { prepayment: { model: PrepaymentModel.CPR, rate: 6 } } as ScenarioInput;
    const [onCurve, flat] = await projectStructure(STRUCTURE, [ppc, cpr], toEngineScenario);
    expect(onCurve?.classes.map((c) => c.wal)).toEqual(flat?.classes.map((c) => c.wal));
  });

  it('refuses a PPC scenario without its curve, and a curve on another model', async () => {
    const bad = [
      { prepayment: { model: PrepaymentModel.PPC, rate: 100 } },
      { prepayment: { model: PrepaymentModel.CPR, rate: 6, ppcFixed: [{ month: 1, cprPct: 6 }] } },
    ] as ScenarioInput[];
    const err = await projectStructure(STRUCTURE, bad, toEngineScenario).catch((e: unknown) => e);
    expect((err as ValidationError).fields).toEqual({
      'scenarios.0.prepayment.ppcFixed': 'PPC needs its 100% curve for fixed-rate loans',
    });
    const err2 = await projectStructure(STRUCTURE, [bad[1] as ScenarioInput], toEngineScenario).catch(
      (e: unknown) => e,
    );
    expect((err2 as ValidationError).fields).toEqual({
      'scenario.prepayment.ppcFixed': 'only PPC takes a prepayment curve',
    });
  });

  it('refuses a deal without a structure before looking at the scenarios', async () => {
    const error = await projectStructure(
      { waterfallRules: null, collateral: null },
      [psa(Number.NaN)],
      toEngineScenario,
    ).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys((error as ValidationError).fields)).toEqual(['dealId']);
  });

  it('refuses an empty grid and one larger than the limit', async () => {
    await expect(projectStructure(STRUCTURE, [], toEngineScenario)).rejects.toThrow(ValidationError);
    const grid = Array.from({ length: MAX_GRID + 1 }, () => psa(100));
    await expect(projectStructure(STRUCTURE, grid, toEngineScenario)).rejects.toThrow(/between 1 and 25/);
  });

  it("names a bad scenario's field by its position in the grid", async () => {
    const bad = { prepayment: { model: PrepaymentModel.PSA } } as ScenarioInput;
    try {
      await projectStructure(STRUCTURE, [psa(100), bad], toEngineScenario);
      expect.unreachable('a PSA scenario without a multiple is refused');
    } catch (err) {
      expect((err as ValidationError).fields).toEqual({
        'scenarios.1.prepayment.rate': 'PSA needs a multiple, e.g. 150',
      });
    }
  });
});
