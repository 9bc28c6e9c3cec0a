import { gatedService, serviceFor, type Config, type SubgraphContext } from '@tranche/platform';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Investor } from '../investor/investor.entity.js';
import { INVESTOR_READERS } from '../investor/investor.service.js';
import { SanctionsScreening } from './sanctions-screening.entity.js';
import { SanctionsService } from './sanctions.service.js';
import { WalletChallenge } from './wallet-challenge.entity.js';
import { WalletProofService, type WalletProofConfig } from './wallet-proof.service.js';

/** The chain the messages name: the first configured chain (the local node's by default). */
export function walletProofConfig(config: Config): WalletProofConfig {
  return {
    SIWE_DOMAIN: config.SIWE_DOMAIN,
    SIWE_URI: config.SIWE_URI,
    SIWE_TTL_SECONDS: config.SIWE_TTL_SECONDS,
    chainId: config.CHAINS?.[0]?.chainId ?? 31337,
  };
}

@Resolver(() => WalletChallenge)
export class WalletProofResolver {
  @Mutation(() => WalletChallenge, {
    description:
      'Issues a Sign-In with Ethereum (EIP-4361) message proving the investor controls `address` (COMPLIANCE, ADMIN; gated by investor.onboard). Single-use, expires after SIWE_TTL_SECONDS.',
  })
  async walletChallenge(
    @Ctx() ctx: SubgraphContext,
    @Arg('investorId', () => ID) investorId: string,
    @Arg('address') address: string,
  ): Promise<WalletChallenge> {
    const { service } = await gatedService(WalletProofService, ctx, { capability: 'investor.onboard' });
    return service.challenge(investorId, address, walletProofConfig(ctx.config));
  }

  @Mutation(() => Investor, {
    description:
      'Links the wallet of a signed wallet-proof message (gated by investor.onboard): refused when the message is not the one issued, for another domain, expired, already used, or signed by another key.',
  })
  async proveWallet(
    @Ctx() ctx: SubgraphContext,
    @Arg('message') message: string,
    @Arg('signature') signature: string,
  ): Promise<Investor> {
    const { service } = await gatedService(WalletProofService, ctx, { capability: 'investor.onboard' });
    return service.prove(message, signature, walletProofConfig(ctx.config));
  }
}

@Resolver(() => SanctionsScreening)
export class SanctionsResolver {
  @Mutation(() => SanctionsScreening, {
    description:
      'Screens the investor’s legal name against the OFAC SDN list (aliases included, fuzzy); a potential match BLOCKS the investor pending review (COMPLIANCE, ADMIN; gated by investor.onboard).',
  })
  async screenInvestor(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID) id: string,
  ): Promise<SanctionsScreening> {
    const { service } = await gatedService(SanctionsService, ctx, { capability: 'investor.onboard' });
    return service.screen(id, ctx.config);
  }

  @Mutation(() => Investor, {
    description:
      'Compliance’s review of a BLOCKED investor’s potential match: falsePositive CLEARS them, otherwise they stay BLOCKED; the comment is audited (COMPLIANCE, ADMIN; gated by investor.onboard).',
  })
  async reviewSanctionsHit(
    @Ctx() ctx: SubgraphContext,
    @Arg('investorId', () => ID) investorId: string,
    @Arg('falsePositive') falsePositive: boolean,
    @Arg('comment') comment: string,
  ): Promise<Investor> {
    const { service } = await gatedService(SanctionsService, ctx, { capability: 'investor.onboard' });
    return service.review(investorId, falsePositive, comment);
  }

  @Query(() => [SanctionsScreening], {
    description: 'The investor’s sanctions screenings, newest first (staff).',
  })
  sanctionsScreenings(@Ctx() ctx: SubgraphContext, @Arg('investorId', () => ID) investorId: string) {
    return serviceFor(SanctionsService, ctx, INVESTOR_READERS).history(investorId);
  }
}
