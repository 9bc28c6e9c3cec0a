import { KycStatus, type Investor } from '../investor/investor.entity.js';

/**
 * Whether the investor's KYC is cleared for holding tokens. (The credentials — KYC expiry,
 * accreditation — are the compliance domain's; these two reads are the only places subscriptions
 * look at them.)
 */
export function isKycCleared(investor: Investor, now = new Date()): boolean {
  return (
    investor.kycStatus === KycStatus.VERIFIED &&
    (investor.kycExpiresAt === null || investor.kycExpiresAt > now)
  );
}

/** Whether the investor is accredited now (accreditation recorded and not expired). */
export function isAccredited(investor: Investor, now = new Date()): boolean {
  return (
    investor.accreditationType !== null &&
    investor.accreditationExpiresAt !== null &&
    investor.accreditationExpiresAt > now
  );
}
