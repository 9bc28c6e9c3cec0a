import type { Role } from '../auth.js';

/**
 * Every kind of side effect the platform performs, and the roles that may perform it: the gate's
 * role policy (step 3 of its order). A capability is also a change-request type when the tenant's
 * governance policy routes it to an approval, and the target of a CAPABILITY kill switch.
 */
export const CAPABILITY_ROLES = {
  'deal.create': ['ARRANGER', 'ADMIN'],
  'deal.update': ['ARRANGER', 'ADMIN'],
  'deal.structure': ['ARRANGER', 'ADMIN'],
  'deal.tape': ['SERVICER', 'ARRANGER', 'ADMIN'],
  'deal.issue': ['ARRANGER', 'ADMIN'],
  'deal.terminate': ['ARRANGER', 'ADMIN'],
  'token.mint': ['ARRANGER', 'ADMIN'],
  'token.transfer': ['COMPLIANCE', 'ADMIN'],
  'investor.onboard': ['COMPLIANCE', 'ADMIN'],
  'distribution.create': ['SERVICER', 'ADMIN'],
  'distribution.execute': ['SERVICER', 'ADMIN'],
  'attestation.submit': ['ARRANGER', 'SERVICER', 'ADMIN'],
  'audit.anchor': ['ADMIN'],
  'audit.report': ['AUDITOR'],
  'killswitch.deactivate': ['ADMIN', 'COMPLIANCE'],
  'killswitch.deactivate.global': ['ADMIN', 'COMPLIANCE'],
  'governance.policy': ['ADMIN'],
} as const satisfies Record<string, readonly Role[]>;

/** A kind of side effect (see {@link CAPABILITY_ROLES}). */
export type Capability = keyof typeof CAPABILITY_ROLES;

/** Every capability, in declaration order. */
export const CAPABILITIES = Object.keys(CAPABILITY_ROLES) as Capability[];

/** Whether `name` is a capability of the platform. */
export function isCapability(name: string): name is Capability {
  return Object.hasOwn(CAPABILITY_ROLES, name);
}

/** The roles that may perform `capability`. */
export function rolesFor(capability: Capability): readonly Role[] {
  return CAPABILITY_ROLES[capability];
}
