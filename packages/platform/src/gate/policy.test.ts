import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { approvalsSatisfied, DEFAULT_POLICY, parsePolicy, riskOf, type ApprovalVote } from './policy.js';

const { HIGH, CRITICAL, LOW } = DEFAULT_POLICY.levels;

describe('risk routing', () => {
  it('gives a level from the type and the amount, and none to drafting', () => {
    expect(riskOf(DEFAULT_POLICY, 'deal.create')).toBeNull();
    expect(riskOf(DEFAULT_POLICY, 'distribution.execute', 999_999_999n)?.level).toBe('MEDIUM');
    expect(riskOf(DEFAULT_POLICY, 'distribution.execute', 1_000_000_000n)?.level).toBe('HIGH');
    expect(riskOf(DEFAULT_POLICY, 'distribution.execute', 10n ** 11n)?.level).toBe('CRITICAL');
    expect(riskOf(DEFAULT_POLICY, 'governance.policy')?.level).toBe('CRITICAL');
  });

  it('validates a policy document, naming each bad path, and keeps the critical routes', () => {
    const bad = structuredClone(DEFAULT_POLICY) as unknown as Record<string, Record<string, unknown>>;
    (bad.levels as Record<string, { approvals: number }>).HIGH = { approvals: 0 };
    (bad.changeTypes as Record<string, unknown>)['governance.policy'] = { level: 'LOW' };
    (bad.changeTypes as Record<string, unknown>)['deal.teleport'] = { level: 'LOW' };
    try {
      parsePolicy(JSON.stringify(bad));
      expect.unreachable('the policy is invalid');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect(Object.keys((err as ValidationError).fields).sort()).toEqual([
        'policy.changeTypes.deal.teleport',
        'policy.changeTypes.governance.policy',
        'policy.levels.HIGH.approvals',
      ]);
    }
    expect(() => parsePolicy('{ not json')).toThrow(ValidationError);
    expect(parsePolicy(JSON.stringify(DEFAULT_POLICY))).toEqual(DEFAULT_POLICY);
  });
});

describe('four-eyes', () => {
  it("never counts the requester's own approval", () => {
    const r = approvalsSatisfied(LOW, [{ actor: 'user:a', roles: ['ADMIN'] }], 'user:a');
    expect(r).toMatchObject({ satisfied: false, counted: 0 });
  });

  it('counts one person once however often they approve', () => {
    const votes = [
      { actor: 'user:b', roles: ['COMPLIANCE' as const] },
      { actor: 'user:b', roles: ['ADMIN' as const] },
    ];
    expect(approvalsSatisfied(HIGH, votes, 'user:a')).toMatchObject({ satisfied: false, counted: 1 });
  });

  it('needs HIGH approvals from two different people in COMPLIANCE and ADMIN', () => {
    const twoCompliance = [
      { actor: 'user:b', roles: ['COMPLIANCE' as const] },
      { actor: 'user:c', roles: ['COMPLIANCE' as const] },
    ];
    expect(approvalsSatisfied(HIGH, twoCompliance, 'user:a').satisfied).toBe(false);
    const both = [twoCompliance[0]!, { actor: 'user:d', roles: ['ADMIN' as const] }];
    expect(approvalsSatisfied(HIGH, both, 'user:a').satisfied).toBe(true);
  });

  it('needs CRITICAL approvals from three people including an ADMIN, and ignores non-approver roles', () => {
    const votes: ApprovalVote[] = [
      { actor: 'user:b', roles: ['COMPLIANCE'] },
      { actor: 'user:c', roles: ['COMPLIANCE'] },
      { actor: 'user:d', roles: ['ARRANGER'] },
    ];
    expect(approvalsSatisfied(CRITICAL, votes, 'user:a')).toMatchObject({ satisfied: false, counted: 2 });
    votes.push({ actor: 'user:e', roles: ['COMPLIANCE' as const] });
    expect(approvalsSatisfied(CRITICAL, votes, 'user:a').missing).toBe('an approval by ADMIN');
    votes.push({ actor: 'user:f', roles: ['ADMIN' as const] });
    expect(approvalsSatisfied(CRITICAL, votes, 'user:a').satisfied).toBe(true);
  });
});
