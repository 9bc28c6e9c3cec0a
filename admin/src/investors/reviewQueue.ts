/**
 * What compliance has to act on among the tenant's investors: potential sanctions matches to review
 * (BLOCKED) and KYC that is not verified (PENDING, REJECTED, EXPIRED). Expiring credentials come from
 * the API's own query (expiringCredentials).
 */
import type { RaRecord } from 'react-admin';

/** KYC statuses compliance follows up: not started or awaiting the provider, refused, lapsed. */
export const KYC_TO_REVIEW: readonly string[] = ['PENDING', 'REJECTED', 'EXPIRED'];

/** Most investors the queue reads (the API pages by 100; the data provider splits the read). */
export const REVIEW_QUEUE_CAP = 1000;

export interface ReviewQueue {
  /** BLOCKED investors: a potential sanctions match awaits review. */
  sanctionsHits: RaRecord[];
  /** Investors whose KYC is not verified, refused and lapsed first, then pending. */
  kyc: RaRecord[];
}

const KYC_ORDER: Readonly<Record<string, number>> = { REJECTED: 0, EXPIRED: 1, PENDING: 2 };

/**
 * Splits `investors` into the queue's sections. An investor may be in both (blocked and unverified).
 * Order within a section is the input's, except KYC, which puts REJECTED and EXPIRED before PENDING.
 */
export const reviewQueueOf = (investors: readonly RaRecord[]): ReviewQueue => ({
  sanctionsHits: investors.filter((i) => i.sanctionsStatus === 'BLOCKED'),
  kyc: investors
    .filter((i) => KYC_TO_REVIEW.includes(String(i.kycStatus)))
    .map((investor, index) => ({ investor, index }))
    .sort(
      (a, b) =>
        (KYC_ORDER[String(a.investor.kycStatus)] ?? 9) - (KYC_ORDER[String(b.investor.kycStatus)] ?? 9) ||
        a.index - b.index,
    )
    .map(({ investor }) => investor),
});
