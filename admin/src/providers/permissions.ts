/**
 * What each role may do in the back office. This mirrors the API's rules so the UI hides what the
 * server would refuse anyway; the server remains the authority.
 */
import type { Role } from './session';

const STAFF: readonly Role[] = ['ARRANGER', 'SERVICER', 'COMPLIANCE', 'AUDITOR', 'ADMIN'];
const DEAL_WRITERS: readonly Role[] = ['ARRANGER', 'ADMIN'];
const AUDIT_READERS: readonly Role[] = ['AUDITOR', 'ADMIN', 'COMPLIANCE'];

const SWITCH_PULLERS: readonly Role[] = ['ADMIN', 'COMPLIANCE'];
const BREAK_GLASS_REVIEWERS: readonly Role[] = ['ADMIN', 'COMPLIANCE'];
const INVESTOR_ONBOARDERS: readonly Role[] = ['COMPLIANCE', 'ADMIN'];

const READ_ACTIONS = new Set(['list', 'show', 'read', 'export']);

const RULES: Readonly<Record<string, Readonly<Record<string, readonly Role[]>>>> = {
  deals: { read: STAFF, create: DEAL_WRITERS, edit: DEAL_WRITERS },
  // Tape versions and stratifications for staff; uploads by the gate's `deal.tape` roles.
  loanTapes: { read: STAFF, create: ['SERVICER', 'ARRANGER', 'ADMIN'] },
  auditEvents: { list: AUDIT_READERS, read: AUDIT_READERS, export: AUDIT_READERS },
  // Anchors, event proofs and audit bundles (export and download): the audit readers.
  auditAnchors: { read: AUDIT_READERS },
  verify: { list: AUDIT_READERS },
  auditEventProofs: { read: AUDIT_READERS },
  auditBundles: { read: AUDIT_READERS, create: AUDIT_READERS },
  // Anyone on staff may propose and decide; the API applies four-eyes and the approver roles.
  changeRequests: { read: STAFF, create: STAFF, edit: STAFF },
  killSwitches: { read: STAFF, create: SWITCH_PULLERS },
  // Anyone on staff may grant to themselves (ADMIN to anyone); a second person reviews self-grants.
  breakGlassGrants: { read: STAFF, create: STAFF, edit: BREAK_GLASS_REVIEWERS },
  // Staff read investors, their credentials and cap tables; compliance and admins onboard and act.
  investors: { read: STAFF, create: INVESTOR_ONBOARDERS, edit: INVESTOR_ONBOARDERS },
  investorReview: { read: INVESTOR_ONBOARDERS },
  // The signed-in investor's own positions; staff have no portfolio.
  portfolio: { read: ['INVESTOR'] },
  // Servicer reports and their distributions: staff read; the gate's distribution roles submit,
  // preview and execute; reconciling again is also for compliance and auditors.
  distributions: {
    read: STAFF,
    create: ['SERVICER', 'ADMIN'],
    reconcile: ['SERVICER', 'COMPLIANCE', 'AUDITOR', 'ADMIN'],
    // each holder's wallet and payout: not arrangers
    holders: ['SERVICER', 'COMPLIANCE', 'AUDITOR', 'ADMIN'],
  },
};

/**
 * True when one of `roles` may perform react-admin `action` on `resource`. Read actions (list, show,
 * read, export) share the `read` rule unless the resource names the action itself; anything unlisted,
 * including every delete, is refused.
 */
export const canAccess = (roles: readonly Role[], resource: string, action: string): boolean => {
  const rules = RULES[resource.split('.')[0] ?? ''];
  if (rules === undefined) return false;
  const allowed = rules[action] ?? (READ_ACTIONS.has(action) ? rules.read : undefined);
  return allowed !== undefined && roles.some((role) => allowed.includes(role));
};
