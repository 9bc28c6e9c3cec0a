import { LockMode } from '@mikro-orm/core';
import {
  actorOf,
  NotFoundError,
  ServiceUnavailableError,
  TenantService,
  ValidationError,
  type Config,
} from '@tranche/platform';
import countries from 'i18n-iso-countries';
import { AccreditationType, Investor, InvestorKind } from '../investor/investor.entity.js';
import { KycInquiry } from './kyc-inquiry.entity.js';
import { HttpKycProvider, KycProviderError, type KycProvider } from './provider.js';

/** The configured provider, or null when no API key is configured (no inquiry can be opened). */
export function kycProviderFromConfig(config: Config): KycProvider | null {
  if (!config.KYC_API_KEY) return null;
  return new HttpKycProvider({
    name: config.KYC_PROVIDER_NAME,
    baseUrl: config.KYC_PROVIDER_URL,
    apiKey: config.KYC_API_KEY,
    templateId: config.KYC_TEMPLATE_ID,
  });
}

/** Evidence of accreditation to record. */
export interface NewAccreditation {
  type: AccreditationType;
  expiresAt: Date;
  /** SHA-256 (hex) of the evidence (a CPA letter, a broker-dealer verification, …). */
  proofSha256: string;
}

/** Profile fields of an investor that compliance maintains. */
export interface InvestorProfile {
  state?: string | null;
  taxResidencies?: string[] | null;
  portalSubject?: string | null;
}

/** One credential that expires soon or has expired. */
export interface ExpiringCredential {
  investor: Investor;
  credential: 'KYC' | 'ACCREDITATION';
  expiresAt: Date;
}

const SHA256 = /^[0-9a-f]{64}$/;
const MAX_ACCREDITATION_YEARS = 5;
const INDIVIDUAL_GROUNDS = [
  AccreditationType.INCOME,
  AccreditationType.NET_WORTH,
  AccreditationType.PROFESSIONAL,
];
const ENTITY_GROUNDS = [AccreditationType.ENTITY, AccreditationType.PROFESSIONAL];

/**
 * An investor's credentials: KYC inquiries with the provider (the decision arrives by webhook and
 * is applied by a job, see kyc.jobs.ts), accreditation evidence, and the profile compliance keeps.
 */
export class KycService extends TenantService {
  private async investor(id: string): Promise<Investor> {
    const investor = await this.findOwned(Investor, id);
    if (!investor) throw new NotFoundError('Investor', id);
    return investor;
  }

  /**
   * Opens a KYC inquiry with the provider for the investor and returns it with the one-time link
   * to the provider's hosted page. The latest inquiry's decision becomes the investor's KYC status.
   *
   * @throws NotFoundError; ServiceUnavailableError when no provider is configured or it fails.
   */
  async open(investorId: string, provider: KycProvider | null): Promise<KycInquiry> {
    const investor = await this.investor(investorId);
    if (!provider)
      throw new ServiceUnavailableError('no KYC provider is configured (KYC_API_KEY)', {
        reason: 'kyc provider',
      });
    let inquiry;
    try {
      inquiry = await provider.createInquiry(investor.id, {
        'legal-name': investor.legalName,
        'address-country-code': investor.jurisdiction,
      });
    } catch (err) {
      if (err instanceof KycProviderError)
        throw new ServiceUnavailableError(err.message, { reason: 'kyc provider' });
      throw err;
    }
    return this.em.transactional(async (tx) => {
      const row = tx.create(KycInquiry, {
        tenantId: this.tenantId,
        investorId: investor.id,
        provider: provider.name,
        providerInquiryId: inquiry.id,
        hostedUrl: inquiry.hostedUrl!,
        openedBy: actorOf(this.principal),
      });
      await this.audit(tx, {
        action: 'investor.kyc_inquiry_opened',
        aggregateType: 'Investor',
        aggregateId: investor.id,
        payload: { provider: provider.name, inquiryId: inquiry.id },
      });
      return row;
    });
  }

  /** The investor's inquiries, newest first. */
  inquiries(investorId: string): Promise<KycInquiry[]> {
    return this.em.find(
      KycInquiry,
      { investorId, tenantId: this.tenantId },
      { orderBy: { createdAt: 'desc' } },
    );
  }

  /**
   * Records accreditation evidence: the ground (individuals by income, net worth or as professionals;
   * entities as entities or professionals), an expiry in the future (at most five years out) and the
   * SHA-256 of the evidence, which stays with compliance.
   *
   * @throws NotFoundError; ValidationError naming each bad field.
   */
  async recordAccreditation(
    investorId: string,
    input: NewAccreditation,
    now = new Date(),
  ): Promise<Investor> {
    const found = await this.investor(investorId);
    const fields: Record<string, string> = {};
    const grounds = found.kind === InvestorKind.ENTITY ? ENTITY_GROUNDS : INDIVIDUAL_GROUNDS;
    if (!grounds.includes(input.type))
      fields.type = `an ${found.kind.toLowerCase()} is accredited as ${grounds.join(' or ')}`;
    const latest = new Date(now);
    latest.setUTCFullYear(latest.getUTCFullYear() + MAX_ACCREDITATION_YEARS);
    if (Number.isNaN(input.expiresAt.getTime()) || input.expiresAt <= now)
      fields.expiresAt = 'must be in the future';
    else if (input.expiresAt > latest) fields.expiresAt = `at most ${MAX_ACCREDITATION_YEARS} years from now`;
    const proof = input.proofSha256.trim().toLowerCase();
    if (!SHA256.test(proof)) fields.proofSha256 = 'must be a SHA-256 in hex (64 characters)';
    if (Object.keys(fields).length) throw new ValidationError(fields);
    return this.em.transactional(async (tx) => {
      const investor = await tx.findOneOrFail(
        Investor,
        { id: found.id },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      investor.accreditationType = input.type;
      investor.accreditationExpiresAt = input.expiresAt;
      investor.accreditationProofSha256 = proof;
      await this.audit(tx, {
        action: 'investor.accreditation_recorded',
        aggregateType: 'Investor',
        aggregateId: investor.id,
        payload: { type: input.type, expiresAt: input.expiresAt.toISOString(), proofSha256: proof },
      });
      return investor;
    });
  }

  /**
   * Updates the profile: the ISO 3166-2 subdivision (in the investor's country), the countries of
   * tax residence, and the portal user who is this investor (their OIDC subject; unique per tenant).
   *
   * @throws NotFoundError; ValidationError naming each bad field.
   */
  async updateProfile(investorId: string, input: InvestorProfile): Promise<Investor> {
    const found = await this.investor(investorId);
    const fields: Record<string, string> = {};
    const state = input.state === undefined ? undefined : input.state?.trim().toUpperCase() || null;
    if (state && !new RegExp(`^${found.jurisdiction}-[A-Z0-9]{1,3}$`).test(state))
      fields.state = `an ISO 3166-2 subdivision of ${found.jurisdiction}, e.g. ${found.jurisdiction}-NY`;
    const tax =
      input.taxResidencies === undefined || input.taxResidencies === null
        ? undefined
        : [...new Set(input.taxResidencies.map((c) => c.trim().toUpperCase()))];
    const bad = tax?.filter((c) => !/^[A-Z]{2}$/.test(c) || !countries.isValid(c)) ?? [];
    if (bad.length) fields.taxResidencies = `not ISO 3166-1 alpha-2 countries: ${bad.join(', ')}`;
    if (tax && tax.length > 20) fields.taxResidencies = 'at most 20 countries';
    const subject = input.portalSubject === undefined ? undefined : input.portalSubject?.trim() || null;
    if (subject && subject.length > 200) fields.portalSubject = 'at most 200 characters';
    if (subject) {
      const other = await this.em.findOne(Investor, { tenantId: this.tenantId, portalSubject: subject });
      if (other && other.id !== found.id)
        fields.portalSubject = `already the portal user of investor ${other.id}`;
    }
    if (Object.keys(fields).length) throw new ValidationError(fields);
    return this.em.transactional(async (tx) => {
      const investor = await tx.findOneOrFail(
        Investor,
        { id: found.id },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      const changed: Record<string, unknown> = {};
      if (state !== undefined) changed.state = investor.state = state;
      if (tax !== undefined) changed.taxResidencies = investor.taxResidencies = tax;
      if (subject !== undefined) changed.portalSubject = investor.portalSubject = subject;
      await this.audit(tx, {
        action: 'investor.profile_updated',
        aggregateType: 'Investor',
        aggregateId: investor.id,
        payload: changed,
      });
      return investor;
    });
  }

  /**
   * The tenant's credentials (verified KYC, accreditation) expiring within `days` (or already
   * expired and not yet marked), soonest first.
   */
  async expiring(days: number, now = new Date()): Promise<ExpiringCredential[]> {
    const until = new Date(now.getTime() + days * 86_400_000);
    const investors = await this.em.find(
      Investor,
      {
        tenantId: this.tenantId,
        $or: [
          { kycStatus: 'VERIFIED' as never, kycExpiresAt: { $lte: until } },
          { accreditationExpiresAt: { $lte: until, $gt: new Date(now.getTime() - 365 * 86_400_000) } },
        ],
      },
      { limit: 1000 },
    );
    const out: ExpiringCredential[] = [];
    for (const investor of investors) {
      if (investor.kycStatus === 'VERIFIED' && investor.kycExpiresAt && investor.kycExpiresAt <= until)
        out.push({ investor, credential: 'KYC', expiresAt: investor.kycExpiresAt });
      if (investor.accreditationExpiresAt && investor.accreditationExpiresAt <= until)
        out.push({ investor, credential: 'ACCREDITATION', expiresAt: investor.accreditationExpiresAt });
    }
    return out.sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime());
  }
}
