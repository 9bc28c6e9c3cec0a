import { requireRole, STAFF_ROLES, type SubgraphContext } from '@tranche/platform';
import { Arg, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { Deal } from '../deal/deal.entity.js';
import { ScenarioInput } from './projection.input.js';
import { projectStructure } from './projection.service.js';
import { DealProjection } from './projection.types.js';

const READERS = [...STAFF_ROLES, 'INVESTOR' as const];

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
    requireRole(ctx, ...READERS);
    const [result] = projectStructure(deal, [scenario]);
    if (!result) throw new Error('projection produced no result');
    return result;
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
    requireRole(ctx, ...READERS);
    return projectStructure(deal, scenarios);
  }
}

export const dealReferences = {
  // The deal is resolved and tenant-checked by the deals subgraph; the representation carries
  // the structure documents this subgraph @requires.
  Deal: (
    ref: { id: string; waterfallRules?: string | null; collateral?: string | null },
    ctx: SubgraphContext,
  ) => {
    requireRole(ctx);
    return Object.assign(new Deal(), {
      id: ref.id,
      waterfallRules: ref.waterfallRules,
      collateral: ref.collateral,
    });
  },
};
