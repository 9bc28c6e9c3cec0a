// Registering an issued deal in the shared DealRegistry: the deal with its tranche tokens, and its
// documents' SHA-256. Every call is one keyed step of a Deployment, so a resumed issuance never
// registers twice.
import { DealRegistry__factory } from './contracts.js';
import type { Deployment } from './deployment.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX32 = /^(0x)?[0-9a-f]{64}$/i;

/** A platform deal's id in DealRegistry: its UUID's 16 bytes, left-padded to bytes32. */
export function onChainDealId(dealUuid: string): string {
  if (!UUID.test(dealUuid)) throw new Error(`onChainDealId: not a UUID: ${dealUuid}`);
  return `0x${dealUuid.replace(/-/g, '').toLowerCase().padStart(64, '0')}`;
}

/** A SHA-256 hex digest (with or without 0x) as bytes32. */
export function sha256Bytes32(hex: string): string {
  if (!HEX32.test(hex)) throw new Error(`not a SHA-256 hex digest: ${hex}`);
  return `0x${hex.replace(/^0x/, '').toLowerCase()}`;
}

/**
 * Step `registry:deal`: registers the deal (its metadata hash: the SHA-256 of the approved terms)
 * and its tranche tokens. The sender needs ARRANGER_ROLE; returns the transaction's hash and block.
 */
export async function registerDealInRegistry(
  d: Deployment,
  registry: string,
  deal: { dealUuid: string; metadataSha256: string; trancheTokens: string[] },
): Promise<{ txHash: string; blockNumber: number }> {
  const r = DealRegistry__factory.connect(registry);
  const receipt = await d.call(
    'registry:deal',
    r.registerDeal.populateTransaction(
      onChainDealId(deal.dealUuid),
      sha256Bytes32(deal.metadataSha256),
      deal.trancheTokens,
    ),
  );
  return { txHash: receipt.hash, blockNumber: receipt.blockNumber };
}

/**
 * Step `registry:document:<documentId>`: registers one document's SHA-256 and URI for the deal
 * (ARRANGER_ROLE). Keyed by the platform's document id, so each document is registered once.
 */
export async function registerDealDocument(
  d: Deployment,
  registry: string,
  dealUuid: string,
  document: { id: string; sha256: string; uri: string },
): Promise<{ txHash: string; blockNumber: number }> {
  const r = DealRegistry__factory.connect(registry);
  const receipt = await d.call(
    `registry:document:${document.id}`,
    r.registerDocument.populateTransaction(
      onChainDealId(dealUuid),
      sha256Bytes32(document.sha256),
      document.uri,
    ),
  );
  return { txHash: receipt.hash, blockNumber: receipt.blockNumber };
}

/**
 * Step `registry:dataset:<tapeId>`: anchors a loan tape in DealRegistry — the file's SHA-256 and the
 * Poseidon root of its salted loans (the circuits' commitment) for the deal and the tape's period
 * (YYYYMM of its cut-off date). The sender needs SERVICER_ROLE; one dataset per deal and period.
 */
export async function anchorDealDataset(
  d: Deployment,
  registry: string,
  dataset: { tapeId: string; dealUuid: string; period: number; fileSha256: string; poseidonRoot: bigint },
): Promise<{ txHash: string; blockNumber: number }> {
  const r = DealRegistry__factory.connect(registry);
  const receipt = await d.call(
    `registry:dataset:${dataset.tapeId}`,
    r.anchorDataset.populateTransaction(
      onChainDealId(dataset.dealUuid),
      dataset.period,
      sha256Bytes32(dataset.fileSha256),
      dataset.poseidonRoot,
    ),
  );
  return { txHash: receipt.hash, blockNumber: receipt.blockNumber };
}
