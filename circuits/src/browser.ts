// SPDX-License-Identifier: GPL-3.0-or-later
// Browser entry (`@tranche/circuits/browser`): verification and calldata only, no Node built-ins.
export {
  verifyPoolAttestation,
  toVerifierCalldata,
  releaseCurve,
  type Groth16Proof,
  type VerificationKey,
  type VerifierCalldata,
  type VerifyOptions,
} from './verify.js';
export { decodePublicSignals, dealIdFromUuid, dealIdToBytes32 } from './signals.js';
export type { CovenantThresholds, AttestationIds, DecodedPublicSignals } from './signals.js';
export * from './instances.js';
