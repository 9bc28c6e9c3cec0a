import { describe, expect, it } from 'vitest';
import { reviewQueueOf } from './reviewQueue';

describe('reviewQueueOf', () => {
  it('queues blocked investors for review and unverified KYC, refused and lapsed before pending', () => {
    const investors = [
      { id: 'a', kycStatus: 'VERIFIED', sanctionsStatus: 'CLEAR' },
      { id: 'b', kycStatus: 'PENDING', sanctionsStatus: 'NOT_SCREENED' },
      { id: 'c', kycStatus: 'VERIFIED', sanctionsStatus: 'BLOCKED' },
      { id: 'd', kycStatus: 'EXPIRED', sanctionsStatus: 'CLEAR' },
      { id: 'e', kycStatus: 'REJECTED', sanctionsStatus: 'BLOCKED' },
      { id: 'f', kycStatus: 'PENDING', sanctionsStatus: 'CLEAR' },
    ];
    const queue = reviewQueueOf(investors);
    expect(queue.sanctionsHits.map((i) => i.id)).toEqual(['c', 'e']);
    expect(queue.kyc.map((i) => i.id)).toEqual(['e', 'd', 'b', 'f']);
  });

  it('is empty when every investor is verified and clear', () => {
    expect(reviewQueueOf([{ id: 'a', kycStatus: 'VERIFIED', sanctionsStatus: 'CLEAR' }])).toEqual({
      sanctionsHits: [],
      kyc: [],
    });
  });
});
