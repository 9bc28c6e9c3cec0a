import { gatedService, serviceFor, type SubgraphContext } from '@tranche/platform';
import {
  Arg,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { Investor } from '../investor/investor.entity.js';
import { INVESTOR_READERS } from '../investor/investor.service.js';
import { KycInquiry } from './kyc-inquiry.entity.js';
import { AccreditationInput, ExpiringCredentialType, InvestorProfileInput } from './kyc.input.js';
import { KycService, kycProviderFromConfig } from './kyc.service.js';

@Resolver(() => KycInquiry)
export class KycResolver {
  @Mutation(() => KycInquiry, {
    description:
      'Opens a KYC inquiry with the provider for the investor and returns the one-time link to its hosted page (COMPLIANCE, ADMIN; gated by investor.onboard). The provider’s decision arrives by webhook and becomes the investor’s KYC status.',
  })
  async startKycInquiry(
    @Ctx() ctx: SubgraphContext,
    @Arg('investorId', () => ID) investorId: string,
  ): Promise<KycInquiry> {
    const { service } = await gatedService(KycService, ctx, { capability: 'investor.onboard' });
    return service.open(investorId, kycProviderFromConfig(ctx.config));
  }

  @Mutation(() => Investor, {
    description:
      'Records accreditation evidence for the investor (COMPLIANCE, ADMIN; gated by investor.onboard).',
  })
  async recordAccreditation(
    @Ctx() ctx: SubgraphContext,
    @Arg('investorId', () => ID) investorId: string,
    @Arg('input', () => AccreditationInput) input: AccreditationInput,
  ): Promise<Investor> {
    const { service } = await gatedService(KycService, ctx, { capability: 'investor.onboard' });
    return service.recordAccreditation(investorId, input);
  }

  @Mutation(() => Investor, {
    description:
      'Updates the investor’s state, tax residencies and portal user (COMPLIANCE, ADMIN; gated by investor.onboard).',
  })
  async updateInvestorProfile(
    @Ctx() ctx: SubgraphContext,
    @Arg('investorId', () => ID) investorId: string,
    @Arg('input', () => InvestorProfileInput) input: InvestorProfileInput,
  ): Promise<Investor> {
    const { service } = await gatedService(KycService, ctx, { capability: 'investor.onboard' });
    return service.updateProfile(investorId, input);
  }

  @Query(() => [ExpiringCredentialType], {
    description:
      'Verified KYC and accreditation expiring within `days` (default CREDENTIAL_EXPIRY_NOTICE_DAYS) or expired, soonest first (staff).',
  })
  expiringCredentials(
    @Ctx() ctx: SubgraphContext,
    @Arg('days', () => Int, { nullable: true }) days?: number | null,
  ) {
    const within = Math.min(Math.max(days ?? ctx.config.CREDENTIAL_EXPIRY_NOTICE_DAYS, 0), 365);
    return serviceFor(KycService, ctx, INVESTOR_READERS).expiring(within);
  }
}

@ObjectType({ description: 'The investor’s ONCHAINID on one chain.' })
export class OnchainIdentity {
  @Field(() => Int)
  chainId!: number;

  @Field()
  address!: string;
}

@Resolver(() => Investor)
export class InvestorKycResolver {
  @FieldResolver(() => [OnchainIdentity], {
    description: 'The investor’s ONCHAINID on each chain, holding every deal’s claims (staff).',
  })
  onchainIdentities(@Root() investor: Investor): OnchainIdentity[] {
    return Object.entries(investor.onchainIdentities ?? {}).map(([chainId, address]) => ({
      chainId: Number(chainId),
      address,
    }));
  }

  @FieldResolver(() => [KycInquiry], { description: 'The investor’s KYC inquiries, newest first (staff).' })
  kycInquiries(@Root() investor: Investor, @Ctx() ctx: SubgraphContext): Promise<KycInquiry[]> {
    return serviceFor(KycService, ctx, INVESTOR_READERS).inquiries(investor.id);
  }
}
