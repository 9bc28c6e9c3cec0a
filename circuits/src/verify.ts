// SPDX-License-Identifier: GPL-3.0-or-later
// Browser-safe: no Node built-ins. The admin's verification page imports this through
// `@tranche/circuits/browser`.
import { PUBLIC_SIGNALS } from './instances.js';

/** A Groth16 proof as snarkjs emits it (decimal-string coordinates). */
export interface Groth16Proof {
  pi_a: string[];
  pi_b: string[][];
  pi_c: string[];
  protocol: string;
  curve: string;
}

/** A snarkjs Groth16 verification key (the committed `keys/<instance>.vkey.json`). */
export interface VerificationKey {
  protocol: string;
  curve: string;
  nPublic: number;
  [key: string]: unknown;
}

export interface VerifyOptions {
  /**
   * Keep snarkjs' curve (and its worker threads) alive for further verifications. By default the
   * curve is terminated after the call, so a Node process (or a test) can exit.
   */
  readonly keepCurve?: boolean;
}

interface CurveHolder {
  curve_bn128?: { terminate(): Promise<void> } | null;
}

/** Terminates snarkjs' shared bn128 curve and its worker threads, if one is running. */
export async function releaseCurve(): Promise<void> {
  const holder = globalThis as CurveHolder;
  const curve = holder.curve_bn128;
  if (curve) await curve.terminate();
}

/**
 * Verifies a pool-attestation proof against a verification key, off-chain (Node or browser). Returns
 * false for a proof that does not verify, for a wrong number of public signals, and for malformed input;
 * it never throws for bad proofs. The public signals must then be checked against what they should say
 * (`decodePublicSignals`: deal, period, anchored root, registered thresholds): the proof only shows the
 * statement holds for the signals it carries.
 */
export async function verifyPoolAttestation(
  vkey: VerificationKey,
  proof: Groth16Proof,
  publicSignals: readonly string[],
  options: VerifyOptions = {},
): Promise<boolean> {
  if (publicSignals.length !== PUBLIC_SIGNALS.length || vkey.nPublic !== PUBLIC_SIGNALS.length) return false;
  const { groth16 } = await import('snarkjs');
  try {
    return await groth16.verify(vkey, publicSignals, proof, quietLogger);
  } catch {
    return false;
  } finally {
    if (!options.keepCurve) await releaseCurve();
  }
}

const quietLogger = {
  debug: (): void => {},
  info: (): void => {},
  warn: (): void => {},
  error: (): void => {},
};

/** Arguments of the generated Solidity verifier's `verifyProof`, as bigints (ethers/viem-ready). */
export interface VerifierCalldata {
  pA: [bigint, bigint];
  pB: [[bigint, bigint], [bigint, bigint]];
  pC: [bigint, bigint];
  pubSignals: bigint[];
}

/**
 * The calldata for `PoolAttestationVerifier.attest` / the Groth16 verifier's `verifyProof`: snarkjs'
 * affine coordinates, with each G2 coordinate pair reversed (the EVM precompile takes (imaginary, real)).
 * Throws a RangeError on a malformed proof.
 */
export function toVerifierCalldata(proof: Groth16Proof, publicSignals: readonly string[]): VerifierCalldata {
  const n = (v: string | undefined): bigint => {
    if (v === undefined) throw new RangeError('malformed proof: missing coordinate');
    return BigInt(v);
  };
  const b0 = proof.pi_b[0] ?? [];
  const b1 = proof.pi_b[1] ?? [];
  return {
    pA: [n(proof.pi_a[0]), n(proof.pi_a[1])],
    pB: [
      [n(b0[1]), n(b0[0])],
      [n(b1[1]), n(b1[0])],
    ],
    pC: [n(proof.pi_c[0]), n(proof.pi_c[1])],
    pubSignals: publicSignals.map((s) => BigInt(s)),
  };
}
