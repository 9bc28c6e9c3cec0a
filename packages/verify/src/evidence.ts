// The evidence that audit events carry for auditors, beyond the chain of hashes: the pool
// attestation's proof (on `attestation.verified`) and a distribution's reconciliation (on
// `distribution.reconciled` / `distribution.executed_with_differences`). The subgraphs that record
// those events build their payloads with these types, and the verifier checks them, so what the
// auditor checks is itself hash-chained and anchored on-chain like every other event.
import type { Groth16Proof } from '@tranche/circuits/browser';

/** The action of the event that carries a verified pool attestation. */
export const ATTESTATION_VERIFIED = 'attestation.verified';

/** The actions of the events that carry a distribution's reconciliation. */
export const DISTRIBUTION_RECONCILED = [
  'distribution.reconciled',
  'distribution.executed_with_differences',
  'distribution.reconciliation_differs',
];

/** Leaves of a tranche's payout carried in its evidence, at most (above it only the totals are). */
export const MAX_EVIDENCE_LEAVES = 2_000;

/** The payload of `attestation.verified`. */
export interface AttestationEvidence {
  attestationId: string;
  tapeVersion: number;
  /** The reporting period (YYYYMM) the tape was anchored for and the proof was made for. */
  period: number;
  chainId: number;
  /** The circuit instance, e.g. `pool16` (its verification key checks the proof). */
  circuit: string;
  /** The anchored Poseidon root, decimal. */
  poolRoot: string;
  /** PoolAttestationVerifier's address, and DealRegistry's (where the root is anchored). */
  verifier: string;
  registry: string;
  /** The transaction that recorded it (null when found recorded without one, e.g. after a restore). */
  txHash: string | null;
  blockNumber: number | null;
  proof: Groth16Proof;
  publicSignals: string[];
}

/** One tranche's payout in a distribution's evidence; amounts in stablecoin minor units, decimal. */
export interface TranchePayoutEvidence {
  trancheId: string;
  classId: string;
  /** The tranche token. */
  token: string;
  /** The distribution's id on DistributionManager (bytes32). */
  distributionId: string;
  merkleRoot: string;
  /** The class's cash from the engine's run of the period. */
  engineCash: string;
  /** What the leaves entitle holders to in total (engine cash less rounding and ineligible shares). */
  entitled: string;
  recipients: number;
  funded: string;
  paid: string;
  remainder: string;
  /** Holders paid other than their entitlement, as the platform's reconciliation found. */
  differences: number;
  /** The block the distribution's claims are searched from. */
  fromBlock: number;
  /** The leaves `(index, account, amount)` when at most MAX_EVIDENCE_LEAVES, else null. */
  leaves: [number, string, string][] | null;
}

/** The payload of the DISTRIBUTION_RECONCILED events. */
export interface DistributionEvidence {
  dealId: string;
  period: number;
  chainId: number;
  /** DistributionManager's address. */
  manager: string;
  tranches: TranchePayoutEvidence[];
}
