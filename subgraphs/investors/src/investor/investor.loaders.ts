import { perRequest, serviceFor, type SubgraphContext } from '@tranche/platform';
import type { Investor } from './investor.entity.js';
import { INVESTOR_COUNT_READERS, INVESTOR_READERS, InvestorService } from './investor.service.js';

/**
 * The request's batched, tenant-scoped loaders of the investor domain. Each loader authorizes
 * the caller for what it reads when first asked for.
 */
export const investorLoaders = {
  investor: perRequest((ctx: SubgraphContext) => {
    const service = serviceFor(InvestorService, ctx, INVESTOR_READERS);
    return ctx.loaders.get<string, Investor | null>('investor', (ids) => service.getMany(ids));
  }),
  investorCountOfDeal: perRequest((ctx: SubgraphContext) => {
    const service = serviceFor(InvestorService, ctx, INVESTOR_COUNT_READERS);
    return ctx.loaders.get<string, number>('investorCountOfDeal', (ids) => service.countByDeal(ids));
  }),
};
