import { requireRole, type SubgraphContext } from '@tranche/platform';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Distribution } from '../distribution/distribution.entity.js';
import { distributionService, READERS } from '../distribution/distribution.resolver.js';
import type { Distribution as DistributionRow } from '../distribution/distribution.entity.js';
import { Tranche } from './tranche.entity.js';

@Resolver(() => Tranche)
export class TrancheDistributionsResolver {
  @FieldResolver(() => [Distribution], { description: "The tranche's distributions, newest first." })
  async distributions(@Root() tranche: Tranche, @Ctx() ctx: SubgraphContext): Promise<DistributionRow[]> {
    const service = distributionService(ctx, ...READERS);
    return ctx.loaders
      .get<string, DistributionRow[]>('ofTranche', (ids) => service.ofTranches(ids))
      .load(tranche.id);
  }
}

export const references = {
  // The tranche is resolved and tenant-checked by the deals subgraph; here it is a key.
  Tranche: (ref: { id: string }, ctx: SubgraphContext) => {
    requireRole(ctx);
    return Object.assign(new Tranche(), { id: ref.id });
  },
  Distribution: (ref: { id: string }, ctx: SubgraphContext) => {
    const service = distributionService(ctx, ...READERS);
    return ctx.loaders
      .get<string, DistributionRow | null>('distribution', (ids) => service.getMany(ids))
      .load(ref.id);
  },
};
