/**
 * The platform's capabilities (packages/platform/src/gate/capabilities.ts): the change-request
 * types, the targets of a CAPABILITY kill switch, and what a break-glass grant unlocks.
 */
export const CAPABILITY_IDS = [
  'deal.create',
  'deal.update',
  'deal.structure',
  'deal.tape',
  'deal.issue',
  'deal.terminate',
  'token.mint',
  'token.transfer',
  'investor.onboard',
  'distribution.create',
  'distribution.execute',
  'attestation.submit',
  'audit.anchor',
  'audit.report',
  'killswitch.deactivate',
  'killswitch.deactivate.global',
  'governance.policy',
] as const;

export const CAPABILITIES = CAPABILITY_IDS.map((id) => ({ id, name: id }));

/** A change request may authorize any capability. */
export const CHANGE_TYPES = CAPABILITIES;

/** What a CAPABILITY kill switch can stop: every capability but lifting switches (that would lock them on). */
export const SWITCHABLE_CAPABILITIES = CAPABILITIES.filter(({ id }) => !id.startsWith('killswitch.'));

export const CHANGE_STATUSES = [
  'PENDING',
  'APPROVED',
  'REJECTED',
  'CANCELLED',
  'EXPIRED',
  'EXECUTED',
  'FAILED',
].map((id) => ({ id, name: `tranche.governance.status.${id}` }));

export const RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].map((id) => ({
  id,
  name: `tranche.governance.risk.${id}`,
}));
