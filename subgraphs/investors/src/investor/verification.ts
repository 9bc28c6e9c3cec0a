import { chainEndpointsOf, IdentityRegistry__factory, Token__factory } from '@tranche/chain';
import { requireRole, TenantService, TOPOLOGY, type Config, type SubgraphContext } from '@tranche/platform';
import { getAddress, isAddress, JsonRpcProvider } from 'ethers';
import { Field, ID, ObjectType } from 'type-graphql';
import { HoldingService } from '../holding/holding.service.js';
import { Holding } from '../holding/holding.types.js';
import { isAccredited, isKycCleared } from '../subscription/eligibility.js';
import { Investor, SanctionsStatus } from './investor.entity.js';

@ObjectType({ description: 'One check of an investor verification.' })
export class VerificationCheck {
  @Field({ description: 'wallet, kyc, sanctions, accreditation, or onchain:<token>.' })
  name!: string;

  @Field()
  passed!: boolean;

  @Field({
    description: 'Whether holding any token needs it (accreditation only for accredited-only deals).',
  })
  required!: boolean;

  @Field()
  detail!: string;
}

@ObjectType({ description: 'What `verifyInvestor` found for an address.' })
export class InvestorVerification {
  @Field()
  address!: string;

  @Field(() => Investor, { nullable: true })
  investor!: Investor | null;

  @Field({ description: 'Every required check passed.' })
  verified!: boolean;

  @Field(() => [VerificationCheck])
  checks!: VerificationCheck[];

  @Field(() => [String], { description: 'The names of the required checks that failed.' })
  missing!: string[];
}

@ObjectType({ description: 'The signed-in investor’s positions.' })
export class Portfolio {
  @Field(() => ID)
  investorId!: string;

  @Field()
  legalName!: string;

  @Field(() => String, { nullable: true })
  wallet!: string | null;

  @Field(() => [Holding], { description: 'Tranche tokens held, from the chain.' })
  positions!: Holding[];
}

const DEALS = TOPOLOGY.subgraphs.deals.dbSchema;
const providers = new Map<string, JsonRpcProvider>();
function readProvider(rpcUrl: string, chainId: number): JsonRpcProvider {
  let provider = providers.get(rpcUrl);
  if (!provider) {
    provider = new JsonRpcProvider(rpcUrl, chainId, { staticNetwork: true });
    providers.set(rpcUrl, provider);
  }
  return provider;
}

/**
 * `verifyInvestor(address)` — the plan's `POST /web3/investors/{address}/verify` — and the investor's
 * own portfolio.
 */
export class VerificationService extends TenantService {
  /**
   * Runs every check an address must pass to hold the tenant's tranche tokens: a proven wallet of an
   * investor, KYC verified and unexpired, sanctions clear, accreditation (required by accredited-only
   * deals), and, on each deployed tranche token of the tenant, the identity registry's verdict
   * (`isVerified`) and the token's freeze. Reads only; the chain's answers are read as they are now.
   */
  async verify(address: string, config: Config, now = new Date()): Promise<InvestorVerification> {
    const checks: VerificationCheck[] = [];
    const add = (name: string, passed: boolean, detail: string, required = true) =>
      checks.push({ name, passed, detail, required });
    if (!isAddress(address)) {
      add('wallet', false, 'not an Ethereum address');
      return { address, investor: null, verified: false, checks, missing: ['wallet'] };
    }
    const wallet = getAddress(address);
    const investor = await this.em.findOne(Investor, {
      tenantId: this.tenantId,
      walletAddress: wallet,
    });
    add(
      'wallet',
      investor !== null,
      investor ? `proven wallet of ${investor.legalName}` : 'no investor has proven this wallet',
    );
    if (investor) {
      add(
        'kyc',
        isKycCleared(investor, now),
        `KYC ${investor.kycStatus}${investor.kycExpiresAt ? `, expires ${investor.kycExpiresAt.toISOString().slice(0, 10)}` : ''}`,
      );
      add(
        'sanctions',
        investor.sanctionsStatus === SanctionsStatus.CLEAR,
        `sanctions ${investor.sanctionsStatus}`,
      );
      add(
        'accreditation',
        isAccredited(investor, now),
        investor.accreditationType
          ? `${investor.accreditationType}, expires ${investor.accreditationExpiresAt?.toISOString().slice(0, 10)}`
          : 'no accreditation recorded',
        false,
      );
    }
    const tranches = await this.em.execute<
      {
        tranche_id: string;
        name: string;
        token_address: string;
        chain_id: number;
        identity_registry: string | null;
        accredited_only: boolean;
      }[]
    >(
      `select t.tranche_id, t.name, t.token_address, t.chain_id, d.identity_registry, d.accredited_only
         from "${DEALS}".published_tranche t join "${DEALS}".published_deal d on d.deal_id = t.deal_id
        where t.tenant_id = ? and t.token_address is not null and t.token_status = 'DEPLOYED'
        order by t.deal_id, t.seniority limit 50`,
      [this.tenantId],
    );
    if (checks.some((c) => c.name === 'accreditation') && tranches.some((t) => t.accredited_only))
      checks.find((c) => c.name === 'accreditation')!.required = true;
    const endpoints = chainEndpointsOf(config);
    for (const tranche of tranches) {
      const endpoint =
        endpoints.find((e) => e.chainId === tranche.chain_id) ??
        (endpoints.length === 1 ? endpoints[0] : undefined);
      const name = `onchain:${tranche.name}`;
      if (!endpoint || !tranche.identity_registry) {
        add(name, false, `chain ${tranche.chain_id} is not configured here`, false);
        continue;
      }
      try {
        const provider = readProvider(endpoint.rpcUrl, tranche.chain_id);
        const [verified, frozen] = await Promise.all([
          IdentityRegistry__factory.connect(tranche.identity_registry, provider).isVerified(wallet),
          Token__factory.connect(tranche.token_address, provider).isFrozen(wallet),
        ]);
        add(
          name,
          verified && !frozen,
          `${tranche.token_address}: ${verified ? 'verified in the identity registry' : 'not verified in the identity registry'}${frozen ? ', frozen' : ''}`,
          false,
        );
      } catch (err) {
        add(name, false, `the chain could not be read: ${(err as Error).message.slice(0, 120)}`, false);
      }
    }
    const missing = checks.filter((c) => c.required && !c.passed).map((c) => c.name);
    const verified = missing.length === 0;
    await this.em.transactional((tx) =>
      this.audit(tx, {
        action: 'investor.verification_run',
        aggregateType: 'Investor',
        aggregateId: investor?.id ?? wallet,
        payload: { address: wallet, verified, missing },
      }),
    );
    return { address: wallet, investor, verified, checks, missing };
  }
}

/** The signed-in INVESTOR's portfolio: the investor whose portal user they are, and its holdings. */
export async function portfolioOf(ctx: SubgraphContext): Promise<Portfolio | null> {
  const principal = requireRole(ctx, 'INVESTOR');
  const investor = await ctx.em.findOne(Investor, {
    tenantId: principal.tenantId,
    portalSubject: principal.subject,
  });
  if (!investor) return null;
  // the investor's own holdings: read with a staff view of the service, scoped to this investor only
  const [positions] = await new HoldingService(ctx.em, principal).ofInvestors([investor.id]);
  return {
    investorId: investor.id,
    legalName: investor.legalName,
    wallet: investor.walletAddress,
    positions: (positions ?? []).map((h) => Object.assign(new Holding(), h)),
  };
}
