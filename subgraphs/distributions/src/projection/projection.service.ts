import {
  EngineInputError,
  type ProjectionResult,
  type ScenarioInput as EngineScenario,
} from '@tranche/engine';
import { STAFF_ROLES, ValidationError, type Role } from '@tranche/platform';
import { projectionPool, type ProjectionPool } from './projection.pool.js';

/** Who may project a deal: staff and investors (projections reveal no loan). */
export const PROJECTION_READERS: readonly Role[] = [...STAFF_ROLES, 'INVESTOR'];

/** Most scenarios one grid request may ask for. */
export const MAX_GRID = 25;

/** Runs `run`, turning the engine's input issues into a ValidationError naming their paths. */
export async function engineErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof EngineInputError) {
      throw new ValidationError(Object.fromEntries(err.issues.map((i) => [i.path, i.message])));
    }
    throw err;
  }
}

/**
 * One projection task per scenario over the stored documents, checked first (see
 * {@link projectStructure}).
 */
export function tasksOf<S>(
  structure: { waterfallRules?: string | null; collateral?: string | null },
  scenarios: readonly S[],
  toEngine: (scenario: S, path: string) => EngineScenario,
): { rules: string; collateral: string; scenario: EngineScenario }[] {
  if (!structure.waterfallRules || !structure.collateral) {
    throw new ValidationError({
      dealId: 'the deal has no waterfall rules and collateral yet (setDealStructure)',
    });
  }
  if (scenarios.length === 0 || scenarios.length > MAX_GRID) {
    throw new ValidationError({ scenarios: `give between 1 and ${MAX_GRID} scenarios` });
  }
  const rules = structure.waterfallRules;
  const collateral = structure.collateral;
  return scenarios.map((s, i) => ({
    rules,
    collateral,
    scenario: toEngine(s, scenarios.length > 1 ? `scenarios.${i}` : 'scenario'),
  }));
}

/**
 * Projects a deal's stored structure (rule document and collateral, JSON) under one or more
 * scenarios with the waterfall engine. `toEngine` turns each caller's scenario into the
 * engine's (given its input path for error messages, e.g. `scenarios.2`); it runs only once the
 * structure and the number of scenarios are known to be fine. The documents were validated
 * when saved; they are validated again here because they arrive in the entity representation.
 * The engine runs on `pool`'s worker threads, one scenario per task, so a grid uses every core
 * and the event loop stays free for other requests; results keep the scenarios' order.
 *
 * @throws ValidationError when the deal has no structure yet, when none or more than
 *   {@link MAX_GRID} scenarios are asked for, or for a scenario `toEngine` or the engine refuses.
 */
export async function projectStructure<S>(
  structure: { waterfallRules?: string | null; collateral?: string | null },
  scenarios: readonly S[],
  toEngine: (scenario: S, path: string) => EngineScenario,
  pool: ProjectionPool = projectionPool(),
): Promise<ProjectionResult[]> {
  const tasks = tasksOf(structure, scenarios, toEngine);
  return engineErrors(() => Promise.all(tasks.map((task) => pool.run(task))));
}
