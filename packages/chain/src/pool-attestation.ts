// Pool attestations on-chain: the deal's covenant thresholds in DealRegistry (what the verifier checks
// a proof against) and the Groth16 proof submitted to PoolAttestationVerifier. Each write is one keyed
// step of a Deployment, so a retried job never sends it twice.
import { isError, type Provider, type TransactionReceipt } from 'ethers';

import { DealRegistry__factory } from './contracts.js';
import type { Deployment } from './deployment.js';
import { onChainDealId } from './deal-registration.js';
import { PoolAttestationVerifier__factory } from './generated/platform/index.js';

/** `IDealRegistry.CovenantThresholds`: bps of pool balance, days, bps, minor units. */
export interface OnChainCovenantThresholds {
  maxDelinquencyBps: number;
  delinquencyDays: number;
  maxWaLtvBps: number;
  minBalance: bigint;
}

/** The Groth16 proof as `attest` takes it (`toVerifierCalldata` of `@tranche/circuits`). */
export interface PoolProofCalldata {
  pA: [bigint, bigint];
  pB: [[bigint, bigint], [bigint, bigint]];
  pC: [bigint, bigint];
}

/** An attestation recorded on-chain, with the transaction that recorded it. */
export interface RecordedPoolAttestation {
  poolRoot: bigint;
  thresholds: OnChainCovenantThresholds;
  capacity: number;
  submitter: string;
  txHash: string | null;
  blockNumber: number | null;
}

const sameThresholds = (a: OnChainCovenantThresholds, b: OnChainCovenantThresholds) =>
  a.maxDelinquencyBps === b.maxDelinquencyBps &&
  a.delinquencyDays === b.delinquencyDays &&
  a.maxWaLtvBps === b.maxWaLtvBps &&
  a.minBalance === b.minBalance;

/** The revert of an estimate, decoded with the registry's or the verifier's errors when it is one. */
export function describePoolAttestationRevert(error: unknown): string | undefined {
  if (!isError(error, 'CALL_EXCEPTION') || !error.data) return undefined;
  for (const iface of [
    PoolAttestationVerifier__factory.createInterface(),
    DealRegistry__factory.createInterface(),
  ]) {
    const parsed = iface.parseError(error.data);
    if (parsed) return `${parsed.name}(${parsed.args.map((a: unknown) => String(a)).join(', ')})`;
  }
  return undefined;
}

/** The thresholds DealRegistry holds for the deal now, or null when none were recorded. */
export async function registeredCovenantThresholds(
  provider: Provider,
  registry: string,
  dealUuid: string,
): Promise<OnChainCovenantThresholds | null> {
  try {
    const t = await DealRegistry__factory.connect(registry, provider).covenantThresholds(
      onChainDealId(dealUuid),
    );
    return {
      maxDelinquencyBps: Number(t.maxDelinquencyBps),
      delinquencyDays: Number(t.delinquencyDays),
      maxWaLtvBps: Number(t.maxWaLtvBps),
      minBalance: t.minBalance,
    };
  } catch (err) {
    if (describePoolAttestationRevert(err)?.startsWith('CovenantsNotSet')) return null;
    throw err;
  }
}

/**
 * Step `registry:covenants`: records `thresholds` as the deal's current covenant thresholds in
 * DealRegistry (ARRANGER_ROLE), unless the registry already holds exactly these. Returns the
 * transaction's receipt, or null when nothing needed sending. Throws naming the registry's error
 * (`InvalidCovenantThresholds`, `DealIsPaused`, …) with nothing sent when the estimate reverts.
 */
export async function ensureCovenantThresholds(
  d: Deployment,
  provider: Provider,
  registry: string,
  dealUuid: string,
  thresholds: OnChainCovenantThresholds,
): Promise<TransactionReceipt | null> {
  const current = await registeredCovenantThresholds(provider, registry, dealUuid);
  if (current && sameThresholds(current, thresholds)) return null;
  try {
    return await d.call(
      'registry:covenants',
      DealRegistry__factory.connect(registry).setCovenantThresholds.populateTransaction(
        onChainDealId(dealUuid),
        thresholds,
      ),
    );
  } catch (error) {
    const reason = describePoolAttestationRevert(error);
    if (reason === undefined) throw error;
    throw new Error(`DealRegistry refused the covenant thresholds: ${reason}`, { cause: error });
  }
}

/**
 * The attestation PoolAttestationVerifier holds for the deal and period (with the transaction of its
 * `PoolAttested` event), or null when there is none.
 */
export async function recordedPoolAttestation(
  provider: Provider,
  verifier: string,
  dealUuid: string,
  period: number,
): Promise<RecordedPoolAttestation | null> {
  const contract = PoolAttestationVerifier__factory.connect(verifier, provider);
  const dealId = onChainDealId(dealUuid);
  if (!(await contract.isAttested(dealId, period))) return null;
  const a = await contract.attestation(dealId, period);
  const [event] = await contract.queryFilter(contract.filters.PoolAttested(dealId, period));
  return {
    poolRoot: a.poolRoot,
    thresholds: {
      maxDelinquencyBps: Number(a.thresholds.maxDelinquencyBps),
      delinquencyDays: Number(a.thresholds.delinquencyDays),
      maxWaLtvBps: Number(a.thresholds.maxWaLtvBps),
      minBalance: a.thresholds.minBalance,
    },
    capacity: Number(a.capacity),
    submitter: a.submitter,
    txHash: event?.transactionHash ?? null,
    blockNumber: event?.blockNumber ?? null,
  };
}

/**
 * Step `attest`: submits a pool-attestation proof for the deal and period to PoolAttestationVerifier
 * (anyone may; the contract rebuilds the public signals from the anchored root and the registered
 * thresholds). Throws before sending anything when the estimate reverts, naming the contract's error
 * (`UnknownCircuitCapacity`, `AttestationAlreadyRecorded`, `InvalidProof`, `DatasetNotAnchored`,
 * `CovenantsNotSet`).
 */
export async function submitPoolAttestation(
  d: Deployment,
  verifier: string,
  attestation: { dealUuid: string; period: number; capacity: number; proof: PoolProofCalldata },
): Promise<TransactionReceipt> {
  const { pA, pB, pC } = attestation.proof;
  try {
    return await d.call(
      'attest',
      PoolAttestationVerifier__factory.connect(verifier).attest.populateTransaction(
        onChainDealId(attestation.dealUuid),
        attestation.period,
        attestation.capacity,
        pA,
        pB,
        pC,
      ),
    );
  } catch (error) {
    const reason = describePoolAttestationRevert(error);
    if (reason === undefined) throw error;
    throw new Error(`PoolAttestationVerifier refused the proof: ${reason}`, { cause: error });
  }
}
