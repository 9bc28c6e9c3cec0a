import { LockMode } from '@mikro-orm/core';
import { createHash } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import {
  canonicalJson,
  recordAudit,
  type Config,
  type Gate,
  type JobHandler,
  type JobSet,
  type Logger,
  type Principal,
} from '@tranche/platform';
import { Investor, KycStatus } from '../investor/investor.entity.js';
import { restrictInvestorOnChain } from '../tokenops/restrict.js';
import { KycInquiry, KycInquiryStatus, KycWebhookEvent } from './kyc-inquiry.entity.js';
import { kycProviderFromConfig } from './kyc.service.js';
import type { KycProvider, ProviderInquiry } from './provider.js';

/** Applies an accepted provider webhook event (once; see kyc.routes.ts). */
export const KYC_EVENT_TASK = 'investors:kyc-event';
/** Daily: marks expired KYC verifications and restricts their holders on-chain. */
export const CREDENTIAL_EXPIRY_TASK = 'investors:credential-expiry';

const KYC_SYSTEM = { subject: 'kyc-provider', clientId: 'kyc-provider', roles: new Set<never>() };
const EXPIRY_SYSTEM = {
  subject: 'credential-expiry',
  clientId: 'credential-expiry',
  roles: new Set<never>(),
};

/** The inquiry status we keep for the provider's. */
function inquiryStatusOf(status: ProviderInquiry['status']): KycInquiryStatus {
  switch (status) {
    case 'approved':
      return KycInquiryStatus.APPROVED;
    case 'declined':
    case 'failed':
      return KycInquiryStatus.DECLINED;
    case 'expired':
      return KycInquiryStatus.EXPIRED;
    case 'completed':
    case 'needs_review':
      return KycInquiryStatus.COMPLETED;
    default:
      return KycInquiryStatus.OPEN;
  }
}

/** SHA-256 of what the provider checked (its document and verification ids), in canonical form. */
export function evidenceSha256(inquiry: ProviderInquiry): string {
  return createHash('sha256')
    .update(canonicalJson({ inquiryId: inquiry.id, ...inquiry.evidence }))
    .digest('hex');
}

/**
 * Applies the inquiry as the provider holds it now to our records: the inquiry's status, and — when
 * it is the investor's latest inquiry and decided — the investor's KYC: VERIFIED (provider, decision
 * date, expiry after KYC_VALIDITY_DAYS, evidence hash) or REJECTED. Returns whether the investor
 * changed.
 */
export async function applyInquiry(
  orm: MikroORM,
  config: Pick<Config, 'KYC_VALIDITY_DAYS'>,
  provider: KycProvider,
  row: KycInquiry,
  inquiry: ProviderInquiry,
): Promise<boolean> {
  return orm.em.fork().transactional(async (tx) => {
    const current = await tx.findOneOrFail(
      KycInquiry,
      { id: row.id },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    const status = inquiryStatusOf(inquiry.status);
    const decided = status === KycInquiryStatus.APPROVED || status === KycInquiryStatus.DECLINED;
    current.status = status;
    current.updatedAt = new Date();
    if (decided) current.decidedAt = inquiry.decidedAt ?? new Date();
    if (!decided) return false;
    const latest = await tx.findOne(
      KycInquiry,
      { tenantId: current.tenantId, investorId: current.investorId },
      { orderBy: { createdAt: 'desc' } },
    );
    if (latest?.id !== current.id) return false; // a newer inquiry governs
    const investor = await tx.findOneOrFail(
      Investor,
      { id: current.investorId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    const principal: Principal = { ...KYC_SYSTEM, tenantId: current.tenantId };
    const evidence = evidenceSha256(inquiry);
    if (status === KycInquiryStatus.APPROVED) {
      if (investor.kycStatus === KycStatus.VERIFIED && investor.kycDocumentSha256 === evidence) return false;
      const verifiedAt = current.decidedAt!;
      investor.kycStatus = KycStatus.VERIFIED;
      investor.kycProvider = provider.name;
      investor.kycVerifiedAt = verifiedAt;
      investor.kycExpiresAt = new Date(verifiedAt.getTime() + config.KYC_VALIDITY_DAYS * 86_400_000);
      investor.kycDocumentSha256 = evidence;
    } else {
      if (investor.kycStatus === KycStatus.REJECTED) return false;
      investor.kycStatus = KycStatus.REJECTED;
    }
    await recordAudit(tx, 'investors', principal, {
      action: status === KycInquiryStatus.APPROVED ? 'investor.kyc_verified' : 'investor.kyc_rejected',
      aggregateType: 'Investor',
      aggregateId: investor.id,
      payload: {
        provider: provider.name,
        inquiryId: inquiry.id,
        evidenceSha256: evidence,
        expiresAt: investor.kycExpiresAt?.toISOString() ?? null,
      },
    });
    return true;
  });
}

/**
 * The KYC domain's queue tasks.
 *
 * - `investors:kyc-event`: an accepted webhook event. The event only says something happened; the
 *   job reads the inquiry back from the provider's API (the record we act on) and applies it. A kill
 *   switch on `investor.onboard` holds it (it runs again); it is marked processed once applied.
 * - `investors:credential-expiry` (daily at 02:00): verified KYC past its expiry becomes EXPIRED in
 *   the same transaction that restricts the investor on-chain (wallets frozen, claims removed).
 *   Accreditation past its expiry refuses subscriptions to accredited-only deals (its date is read
 *   at each check). What expires within CREDENTIAL_EXPIRY_NOTICE_DAYS is listed by
 *   `expiringCredentials`.
 */
export function kycJobs(orm: MikroORM, config: Config, logger: Logger, gate: Gate): JobSet {
  const provider = kycProviderFromConfig(config);

  const onEvent: JobHandler = async (payload) => {
    const { eventId } = payload as { eventId: string };
    const em = orm.em.fork();
    const event = await em.findOne(KycWebhookEvent, { eventId });
    if (!event || event.processedAt) return;
    gate.checkJob(event.tenantId, { capability: 'investor.onboard' });
    if (!provider) throw new Error('no KYC provider is configured (KYC_API_KEY)');
    const row = await em.findOne(KycInquiry, { providerInquiryId: event.providerInquiryId });
    if (row) {
      const inquiry = await provider.retrieveInquiry(event.providerInquiryId);
      if (inquiry.referenceId !== row.investorId)
        throw new Error(`inquiry ${inquiry.id} names another reference than investor ${row.investorId}`);
      const changed = await applyInquiry(orm, config, provider, row, inquiry);
      logger.info(
        { eventId, event: event.name, inquiry: inquiry.id, status: inquiry.status, changed },
        'kyc event applied',
      );
    }
    await em.nativeUpdate(KycWebhookEvent, { eventId }, { processedAt: new Date() });
  };

  const expire: JobHandler = async () => {
    const now = new Date();
    const em = orm.em.fork();
    const due = await em.find(
      Investor,
      { kycStatus: KycStatus.VERIFIED, kycExpiresAt: { $lte: now } },
      { fields: ['id', 'tenantId'], limit: 10_000 },
    );
    let expired = 0;
    for (const { id, tenantId } of due) {
      try {
        gate.checkJob(tenantId, { capability: 'investor.onboard' });
      } catch (err) {
        logger.warn({ err, tenantId }, 'credential expiry held by a kill switch');
        continue;
      }
      const principal: Principal = { ...EXPIRY_SYSTEM, tenantId };
      await orm.em.fork().transactional(async (tx) => {
        const investor = await tx.findOneOrFail(Investor, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        if (
          investor.kycStatus !== KycStatus.VERIFIED ||
          !investor.kycExpiresAt ||
          investor.kycExpiresAt > now
        )
          return;
        investor.kycStatus = KycStatus.EXPIRED;
        await recordAudit(tx, 'investors', principal, {
          action: 'investor.kyc_expired',
          aggregateType: 'Investor',
          aggregateId: investor.id,
          payload: { expiredAt: investor.kycExpiresAt.toISOString() },
        });
        await restrictInvestorOnChain(tx, principal, investor.id, 'KYC_EXPIRED');
        expired++;
      });
    }
    logger.info({ expired, due: due.length }, 'credential expiry run');
  };

  return {
    handlers: { [KYC_EVENT_TASK]: onEvent, [CREDENTIAL_EXPIRY_TASK]: expire },
    crontab: `0 2 * * * ${CREDENTIAL_EXPIRY_TASK}`,
  };
}
