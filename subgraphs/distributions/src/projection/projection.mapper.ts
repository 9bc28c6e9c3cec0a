import type { ScenarioInput as EngineScenario } from '@tranche/engine';
import { ValidationError } from '@tranche/platform';
import { Advancing, PrepaymentModel, WalFrom, type ScenarioInput } from './projection.input.js';

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
    if (p.model !== PrepaymentModel.PPC && (p.ppcFixed || p.ppcAdjustable)) {
      fields[`${path}.prepayment.ppcFixed`] = 'only PPC takes a prepayment curve';
    }
    if (p.model === PrepaymentModel.PPC) {
      if (p.vector)
        fields[`${path}.prepayment.vector`] = 'PPC takes a percentage of its curve (rate), not a vector';
      if (p.rate == null) fields[`${path}.prepayment.rate`] = 'PPC needs a percentage of its curve, e.g. 100';
      if (!p.ppcFixed?.length) {
        fields[`${path}.prepayment.ppcFixed`] = 'PPC needs its 100% curve for fixed-rate loans';
      }
      const points = (curve: { month: number; cprPct: number }[]) =>
        curve.map(({ month, cprPct }) => ({ month, cprPct }));
      scenario.prepayment = {
        type: 'PPC',
        speed: p.rate ?? 0,
        fixed: points(p.ppcFixed ?? []),
        ...(p.ppcAdjustable?.length ? { adjustable: points(p.ppcAdjustable) } : {}),
      };
    } else if (p.model === PrepaymentModel.PSA) {
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
  if (input.cleanUpCallPct != null) scenario.cleanUpCallPct = input.cleanUpCallPct;
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

export { toDealProjection } from './projection.result.js';
