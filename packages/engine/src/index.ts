/**
 * @tranche/engine: the cash-flow and waterfall engine. Pure TypeScript, no IO, deterministic.
 *
 * Main entry points:
 * - `projectDeal({ collateral, rules, scenario })` / `projectScenarios({ collateral, rules, scenarios })`
 * - `runActualPeriod({ rules, state, report })`
 * - `parseWaterfallRules(json)`, `RuleDocumentSchema`, `ScenarioSchema`, `CollateralSchema`
 */
export {
  projectDeal,
  projectScenarios,
  projectPrepared,
  prepareDeal,
  runDeal,
  collarSchedule,
  type ProjectDealInput,
  type ProjectionResult,
  type ClassProjection,
  type ResolvedConventions,
  type PreparedDeal,
} from './project.js';
export {
  runActualPeriod,
  ServicerReportSchema,
  DealStateSchema,
  serializeDealState,
  parseDealState,
  type ActualPeriodInput,
  type ActualPeriodResult,
  type ServicerReportInput,
  type DealStateJson,
} from './actual.js';
export { parseWaterfallRules } from './rule-validation.js';
export {
  RuleDocumentSchema,
  type RuleDocument,
  type RuleDocumentInput,
  type PrincipalRule,
  type Amount,
  type Condition,
  type Step,
} from './rules.js';
export {
  ScenarioSchema,
  ScenarioGridSchema,
  parseScenario,
  prepaymentTable,
  defaultTable,
  ppcCpr,
  type Scenario,
  type ScenarioInput,
} from './scenario.js';
export {
  CollateralSchema,
  LoanSchema,
  parseCollateral,
  buildLoanBook,
  type Collateral,
  type CollateralInput,
  type LoanInput,
  type LoanBook,
} from './collateral.js';
export { projectCollateral, type PoolFlows } from './collateral-projection.js';
export {
  poolPeriodsFromFlows,
  principalCollections,
  type PoolPeriod,
  type GroupPeriod,
  type PoPortion,
} from './pool.js';
export { projectGroupedPool } from './collateral-groups.js';
export {
  compileDeal,
  initialDealState,
  runPeriod,
  type CompiledDeal,
  type DealState,
  type ClassPeriod,
  type PeriodSummary,
  type PeriodResult,
} from './waterfall.js';
export { EngineInputError, ConservationError, type InputIssue } from './errors.js';
export { toMinor, formatMinor, pctToScaled, PCT_SCALE } from './money.js';
export {
  smmFromCpr,
  cprFromSmm,
  psaCpr,
  sdaCdr,
  mdrFromCdr,
  levelPayment,
  scheduledBalanceFactor,
  scheduledPrincipal,
} from './sifma.js';
export { type DayCount } from './dates.js';
export {
  serializeProjection,
  serializeClassPeriod,
  serializePeriodSummary,
  type ClassPeriodJson,
  type PeriodSummaryJson,
  type DecimalString,
} from './serialize.js';
export { ruleDocumentJsonSchema, scenarioJsonSchema, collateralJsonSchema } from './json-schema.js';
