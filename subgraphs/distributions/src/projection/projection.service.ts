import {
  EngineInputError,
  prepareDeal,
  projectPrepared,
  type PreparedDeal,
  type ProjectionResult,
  type ScenarioInput as EngineScenario,
} from '@tranche/engine';
import { ValidationError } from '@tranche/platform';
import { Advancing, MAX_GRID, PrepaymentModel, WalFrom, type ScenarioInput } from './projection.input.js';
import type { DealProjection } from './projection.types.js';

const ADVANCING = {
  [Advancing.NONE]: 'none',
  [Advancing.INTEREST]: 'interest',
  [Advancing.PRINCIPAL_AND_INTEREST]: 'principalAndInterest',
} as const;
const WAL_FROM = {
  [WalFrom.SETTLEMENT]: 'settlement',
  [WalFrom.CUTOFF]: 'cutoff',
  [WalFrom.PERIOD_INDEX]: 'periodIndex',
} as const;

function curve(
  path: string,
  input: { rate?: number | null; vector?: number[] | null },
  fields: Record<string, string>,
): number | number[] {
  if (input.vector && input.rate != null) fields[path] = 'give either rate or vector, not both';
  if (input.vector) return input.vector;
  if (input.rate == null) {
    fields[path] = 'give a rate or a vector';
    return 0;
  }
  return input.rate;
}

/**
 * Translates the API's scenario into the engine's (SIFMA conventions, percent units).
 *
 * @throws ValidationError naming `scenario.<field>` paths.
 */
export function toEngineScenario(input: ScenarioInput, path = 'scenario'): EngineScenario {
  const fields: Record<string, string> = {};
  const scenario: EngineScenario = {};
  if (input.name) scenario.name = input.name;
  if (input.prepayment) {
    const p = input.prepayment;
    if (p.model === PrepaymentModel.PSA) {
      if (p.vector) fields[`${path}.prepayment.vector`] = 'PSA takes a multiple (rate), not a vector';
      if (p.rate == null) fields[`${path}.prepayment.rate`] = 'PSA needs a multiple, e.g. 150';
      scenario.prepayment = { type: 'PSA', speed: p.rate ?? 0 };
    } else if (p.model === PrepaymentModel.CPR) {
      scenario.prepayment = { type: 'CPR', cpr: curve(`${path}.prepayment`, p, fields) };
    } else {
      scenario.prepayment = { type: 'SMM', smm: curve(`${path}.prepayment`, p, fields) };
    }
  }
  if (input.defaults) {
    const d = input.defaults;
    if (d.model === 'SDA') {
      if (d.rate == null) fields[`${path}.defaults.rate`] = 'SDA needs a multiple, e.g. 100';
      scenario.default = { type: 'SDA', speed: d.rate ?? 0 };
    } else {
      scenario.default = { type: 'CDR', cdr: curve(`${path}.defaults`, d, fields) };
    }
  }
  if (input.severityPct != null) scenario.severityPct = input.severityPct;
  if (input.recoveryLagMonths != null) scenario.recoveryLagMonths = input.recoveryLagMonths;
  if (input.advancing) scenario.advancing = ADVANCING[input.advancing];
  if (input.horizonMonths != null) scenario.horizonMonths = input.horizonMonths;
  if (input.indexCurves?.length) {
    scenario.indexCurves = Object.fromEntries(
      input.indexCurves.map((c, i) => [c.index, curve(`${path}.indexCurves.${i}`, c, fields)]),
    );
  }
  if (input.settlementDate || input.walFrom) {
    scenario.conventions = {
      ...(input.settlementDate ? { settlementDate: input.settlementDate } : {}),
      walFrom: WAL_FROM[input.walFrom ?? WalFrom.SETTLEMENT],
    };
  }
  if (Object.keys(fields).length) throw new ValidationError(fields);
  return scenario;
}

function toGraphQL(result: ProjectionResult): DealProjection {
  const dates = new Map(result.periods.map((p) => [p.period, p.paymentDate ?? null]));
  return {
    scenarioName: result.scenario.name ?? null,
    poolWal: result.poolWal,
    periods: result.periods.length,
    classes: result.classes.map((c) => ({
      classId: c.classId,
      originalBalance: c.originalBalance,
      wal: c.wal,
      principalWindowFirst: c.principalWindow?.first ?? null,
      principalWindowLast: c.principalWindow?.last ?? null,
      totalInterest: c.totalInterest,
      totalPrincipal: c.totalPrincipal,
      totalWritedown: c.totalWritedown,
      finalBalance: c.finalBalance,
      cashFlows: c.rows.map((r) => ({ ...r, paymentDate: dates.get(r.period) ?? null })),
    })),
    pool: result.periods.map((p) => ({
      period: p.period,
      paymentDate: p.paymentDate ?? null,
      poolBalanceBegin: p.pool.poolBalanceBegin,
      interest: p.pool.interest,
      scheduledPrincipal: p.pool.scheduledPrincipal,
      prepayments: p.pool.prepayments,
      recoveries: p.pool.recoveries,
      realizedLosses: p.pool.realizedLosses,
      poolBalanceEnd: p.pool.poolBalanceEnd,
      residual: p.residual,
      triggers: Object.entries(p.triggers).map(([trigger, breached]) => ({ trigger, breached })),
    })),
  };
}

function engineErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof EngineInputError) {
      throw new ValidationError(Object.fromEntries(err.issues.map((i) => [i.path, i.message])));
    }
    throw err;
  }
}

/**
 * Projects a deal's stored structure (rule document and collateral, JSON) under one or more
 * scenarios with the waterfall engine. The documents were validated when saved; they are
 * validated again here because they arrive in the entity representation.
 *
 * @throws ValidationError when the deal has no structure yet, for a bad scenario, or when more
 *   than {@link MAX_GRID} scenarios are asked for.
 */
export function projectStructure(
  structure: { waterfallRules?: string | null; collateral?: string | null },
  scenarios: ScenarioInput[],
): DealProjection[] {
  if (!structure.waterfallRules || !structure.collateral) {
    throw new ValidationError({
      dealId: 'the deal has no waterfall rules and collateral yet (setDealStructure)',
    });
  }
  if (scenarios.length === 0 || scenarios.length > MAX_GRID) {
    throw new ValidationError({ scenarios: `give between 1 and ${MAX_GRID} scenarios` });
  }
  const engineScenarios = scenarios.map((s, i) =>
    toEngineScenario(s, scenarios.length > 1 ? `scenarios.${i}` : 'scenario'),
  );
  const prepared: PreparedDeal = engineErrors(() =>
    prepareDeal(JSON.parse(structure.collateral ?? '{}') as never, structure.waterfallRules ?? ''),
  );
  return engineScenarios.map((s) => toGraphQL(engineErrors(() => projectPrepared(prepared, s))));
}
