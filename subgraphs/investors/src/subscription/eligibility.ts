import type { Investor } from '../investor/investor.entity.js';

/**
 * Whether the investor's KYC is cleared for holding tokens. (The credentials — KYC expiry,
 * accreditation — are the compliance domain's; these two reads are the only places subscriptions
 * look at them.)
 */
export function isKycCleared(investor: Investor): boolean {
  const status = String(investor.kycStatus);
  return status === 'APPROVED' || status === 'VERIFIED';
}

/** Whether the investor is accredited now (accreditation recorded and not expired). */
export function isAccredited(investor: Investor): boolean {
  const record = investor as unknown as {
    accreditedUntil?: Date | null;
    accreditationExpiresAt?: Date | null;
  };
  const until = record.accreditationExpiresAt ?? record.accreditedUntil ?? null;
  return until !== null && until > new Date();
}
