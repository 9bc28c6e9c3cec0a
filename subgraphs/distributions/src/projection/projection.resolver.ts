import { requireRole, type SubgraphContext } from '@tranche/platform';
import { Arg, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { Deal } from '../deal/deal.entity.js';
import { ScenarioInput } from './projection.input.js';
import { toDealProjection, toEngineScenario } from './projection.mapper.js';
import { PROJECTION_READERS, projectStructure } from './projection.service.js';
import { DealProjection } from './projection.types.js';

/** The projections this subgraph adds to the deals subgraph's Deal (from its @requires'd structure). */
@Resolver(() => Deal)
export class DealProjectionResolver {
  @Directive('@requires(fields: "waterfallRules collateral")')
  @FieldResolver(() => DealProjection, {
    nullable: true,
    description:
      "Projected cash flows, WALs and principal windows under one scenario (the deal's rules and collateral).",
  })
  projection(
    @Root() deal: Deal,
    @Ctx() ctx: SubgraphContext,
    @Arg('scenario', () => ScenarioInput) scenario: ScenarioInput,
  ): DealProjection {
    requireRole(ctx, ...PROJECTION_READERS);
    const [result] = projectStructure(deal, [scenario], toEngineScenario);
    if (!result) throw new Error('projection produced no result');
    return toDealProjection(result);
  }

  @Directive('@requires(fields: "waterfallRules collateral")')
  @FieldResolver(() => [DealProjection], {
    nullable: true,
    description: 'The same projection under several scenarios at once (e.g. a PSA grid), at most 25.',
  })
  projectionGrid(
    @Root() deal: Deal,
    @Ctx() ctx: SubgraphContext,
    @Arg('scenarios', () => [ScenarioInput]) scenarios: ScenarioInput[],
  ): DealProjection[] {
    requireRole(ctx, ...PROJECTION_READERS);
    return projectStructure(deal, scenarios, toEngineScenario).map(toDealProjection);
  }
}
