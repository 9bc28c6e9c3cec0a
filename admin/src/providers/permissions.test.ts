import { describe, expect, it } from 'vitest';
import { canAccess } from './permissions';

describe('canAccess', () => {
  it('lets arrangers and admins write deals, and every staff role read them', () => {
    expect(canAccess(['ARRANGER'], 'deals', 'create')).toBe(true);
    expect(canAccess(['ADMIN'], 'deals', 'edit')).toBe(true);
    expect(canAccess(['SERVICER'], 'deals', 'edit')).toBe(false);
    for (const role of ['SERVICER', 'COMPLIANCE', 'AUDITOR'] as const) {
      expect(canAccess([role], 'deals', 'list')).toBe(true);
      expect(canAccess([role], 'deals', 'show')).toBe(true);
    }
    expect(canAccess(['INVESTOR'], 'deals', 'list')).toBe(false);
  });

  it('shows audit events to auditors, admins and compliance only, read-only', () => {
    expect(canAccess(['AUDITOR'], 'auditEvents', 'list')).toBe(true);
    expect(canAccess(['COMPLIANCE'], 'auditEvents', 'list')).toBe(true);
    expect(canAccess(['ARRANGER'], 'auditEvents', 'list')).toBe(false);
    expect(canAccess(['ADMIN'], 'auditEvents', 'edit')).toBe(false);
  });

  it('lets staff read investors, compliance and admins act on them, and only investors see a portfolio', () => {
    for (const role of ['ARRANGER', 'SERVICER', 'COMPLIANCE', 'AUDITOR', 'ADMIN'] as const) {
      expect(canAccess([role], 'investors', 'show')).toBe(true);
      expect(canAccess([role], 'portfolio', 'list')).toBe(false);
    }
    expect(canAccess(['COMPLIANCE'], 'investors', 'edit')).toBe(true);
    expect(canAccess(['ADMIN'], 'investorReview', 'list')).toBe(true);
    expect(canAccess(['ARRANGER'], 'investors', 'create')).toBe(false);
    expect(canAccess(['AUDITOR'], 'investorReview', 'list')).toBe(false);
    expect(canAccess(['INVESTOR'], 'investors', 'list')).toBe(false);
    expect(canAccess(['INVESTOR'], 'portfolio', 'list')).toBe(true);
  });

  it('lets staff read distributions, servicers and admins move them, and reconcilers reconcile', () => {
    for (const role of ['ARRANGER', 'SERVICER', 'COMPLIANCE', 'AUDITOR', 'ADMIN'] as const)
      expect(canAccess([role], 'distributions', 'show')).toBe(true);
    expect(canAccess(['SERVICER'], 'distributions', 'create')).toBe(true);
    expect(canAccess(['COMPLIANCE'], 'distributions', 'create')).toBe(false);
    expect(canAccess(['AUDITOR'], 'distributions', 'reconcile')).toBe(true);
    expect(canAccess(['ARRANGER'], 'distributions', 'reconcile')).toBe(false);
    expect(canAccess(['INVESTOR'], 'distributions', 'list')).toBe(false);
  });

  it('never allows deletes and knows no other resources', () => {
    expect(canAccess(['ADMIN'], 'deals', 'delete')).toBe(false);
    expect(canAccess(['ADMIN'], 'users', 'list')).toBe(false);
  });
});
