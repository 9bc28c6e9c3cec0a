import { requireRole, type SubgraphContext } from '@tranche/platform';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Directive, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import { Deal } from '../deal/deal.entity.js';
import { ScenarioInput } from './projection.input.js';
import { toEngineScenario } from './projection.mapper.js';
import type { ProjectionShape } from './projection.result.js';
import { selectedShape } from './projection.selection.js';
import { projectionPool } from './projection.pool.js';
import { engineErrors, MAX_GRID, PROJECTION_READERS, tasksOf } from './projection.service.js';
import { DealProjection } from './projection.types.js';

/**
 * Query-cost price of one projected scenario, in field units (a plain field costs 1): the engine
 * runs every loan of the deal (a demo tape has 1,000) through every period, so a scenario is
 * hundreds of ordinary fields' worth of work, and a grid costs scenarios × this.
 */
const PROJECTION_COST = 250;

/**
 * Projects the deal's structure under `scenarios` on the pool's threads, each answered in the
 * API's shape with only the per-period lists the query selected (built on the thread, so the
 * event loop receives no more than it serializes).
 */
function projectShaped(deal: Deal, scenarios: ScenarioInput[], shape: ProjectionShape) {
  const tasks = tasksOf(deal, scenarios, toEngineScenario);
  const pool = projectionPool();
  return engineErrors(() => Promise.all(tasks.map((task) => pool.project(task, shape))));
}

/** The projections this subgraph adds to the deals subgraph's Deal (from its @requires'd structure). */
@Resolver(() => Deal)
export class DealProjectionResolver {
  // One scenario runs the engine over every loan of the deal for every period: priced like
  // PROJECTION_COST fields, so 200 aliased projections are refused while one grid is not.
  @Directive(`@cost(weight: ${PROJECTION_COST})`)
  @Directive('@requires(fields: "waterfallRules collateral")')
  @FieldResolver(() => DealProjection, {
    nullable: true,
    description:
      "Projected cash flows, WALs and principal windows under one scenario (the deal's rules and collateral).",
  })
  async projection(
    @Root() deal: Deal,
    @Ctx() ctx: SubgraphContext,
    @Arg('scenario', () => ScenarioInput) scenario: ScenarioInput,
    @Info() info: GraphQLResolveInfo,
  ): Promise<DealProjection> {
    requireRole(ctx, ...PROJECTION_READERS);
    const [result] = await projectShaped(deal, [scenario], selectedShape(info));
    if (!result) throw new Error('projection produced no result');
    return result;
  }

  // scenarios × the per-scenario price; a grid holds at most MAX_GRID
  @Directive(`@cost(weight: ${PROJECTION_COST})`)
  @Directive(`@listSize(assumedSize: ${MAX_GRID})`)
  @Directive('@requires(fields: "waterfallRules collateral")')
  @FieldResolver(() => [DealProjection], {
    nullable: true,
    description: 'The same projection under several scenarios at once (e.g. a PSA grid), at most 25.',
  })
  async projectionGrid(
    @Root() deal: Deal,
    @Ctx() ctx: SubgraphContext,
    @Arg('scenarios', () => [ScenarioInput]) scenarios: ScenarioInput[],
    @Info() info: GraphQLResolveInfo,
  ): Promise<DealProjection[]> {
    requireRole(ctx, ...PROJECTION_READERS);
    return projectShaped(deal, scenarios, selectedShape(info));
  }
}
