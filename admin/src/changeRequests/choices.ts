/** The capabilities a change request can authorize (the API's capability list). */
export const CHANGE_TYPES = [
  'deal.issue',
  'token.mint',
  'token.transfer',
  'distribution.execute',
  'attestation.submit',
  'killswitch.deactivate',
  'killswitch.deactivate.global',
  'governance.policy',
].map((id) => ({ id, name: id }));

export const CHANGE_STATUSES = [
  'PENDING',
  'APPROVED',
  'REJECTED',
  'CANCELLED',
  'EXPIRED',
  'EXECUTED',
  'FAILED',
].map((id) => ({ id, name: `tranche.governance.status.${id}` }));

export const RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].map((id) => ({ id, name: id }));

/** The capabilities a CAPABILITY kill switch can stop. */
export const CAPABILITIES = [
  'deal.create',
  'deal.update',
  'deal.structure',
  'deal.issue',
  'token.mint',
  'token.transfer',
  'investor.onboard',
  'distribution.create',
  'distribution.execute',
  'attestation.submit',
  'audit.anchor',
].map((id) => ({ id, name: id }));
