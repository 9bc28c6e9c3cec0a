import { z } from 'zod';

import { CollateralSchema } from './collateral.js';
import { RuleDocumentSchema } from './rules.js';
import { ScenarioSchema } from './scenario.js';

/**
 * JSON Schema (draft 2020-12) of the rule document, for editors and the back office's structurer
 * forms. Structural only: references, cycles and percentage sums are checked by
 * `parseWaterfallRules`.
 */
export function ruleDocumentJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(RuleDocumentSchema, { io: 'input', unrepresentable: 'any' });
}

/** JSON Schema of a projection scenario. */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' });
}

/** JSON Schema of collateral (loan-level rows or rep lines). */
export function collateralJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(CollateralSchema, { io: 'input', unrepresentable: 'any' });
}
