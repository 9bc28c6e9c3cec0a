// The audit bundle's file format, shared by the job that writes bundles (subgraphs/audit) and
// every verifier that reads them (the command and the auditor's browser): the file names, the
// shape of each line, which events concern a deal, and the digest the platform key signs. Treat a
// change here like a migration: bump BUNDLE_FORMAT.
import { canonicalJson } from '@tranche/platform/canonical-json';
import { sha256Hex } from './bytes.js';

/** The format id every manifest carries; the verifier refuses any other. */
export const BUNDLE_FORMAT = 'tranche.audit-bundle/1';

/** The files of a bundle archive (a gzip'd ustar file), in the order they are written. */
export const BUNDLE_FILES = {
  manifest: 'manifest.json',
  events: 'events.jsonl',
  links: 'links.jsonl',
  proofs: 'proofs.jsonl',
  anchors: 'anchors.json',
} as const;

/** The files the manifest lists with their SHA-256 (all but the manifest itself). */
export const HASHED_FILES = [
  BUNDLE_FILES.events,
  BUNDLE_FILES.links,
  BUNDLE_FILES.proofs,
  BUNDLE_FILES.anchors,
];

/**
 * How the manifest is signed: EIP-191 `personal_sign` of the 32 bytes of the manifest digest
 * ({@link manifestDigest}) with the platform's operator key, the key that holds OPERATOR_ROLE on
 * AuditAnchor, so a verifier can ask the chain whether the signer is the platform's.
 */
export const SIGNATURE_SCHEME = 'eip191-personal-sign:sha256-canonical-json';

/** The rule deciding which events of the tenant's ledger concern a deal, as the manifest states it. */
export const DEAL_SELECTION =
  'aggregateId = deal, or payload.dealId = deal, or payload.dealIds contains deal, or a DEAL kill switch (aggregateType KillSwitch, payload.scope DEAL) whose payload.target = deal; occurredAt within [from, to]';

/** One line of `events.jsonl`: an event's full hashed content and its link (enough to recompute its hash). */
export interface BundleEvent {
  id: string;
  seq: number;
  tenantId: string;
  source: string;
  sourceEventId: string;
  actor: string;
  action: string;
  aggregateType: string;
  aggregateId: string;
  /** The event details as the ledger hashed them (canonical JSON text). */
  payload: string;
  requestId: string | null;
  /** ISO 8601 with milliseconds, as hashed. */
  occurredAt: string;
  prevHash: string;
  hash: string;
}

/**
 * One line of `links.jsonl`: a link of the tenant's chain over the bundle's span (from its first
 * to its last event), including the events of the span that do not concern the deal, whose
 * content stays out of the bundle: the chain is checked unbroken across the span.
 */
export interface BundleLink {
  seq: number;
  prevHash: string;
  hash: string;
}

/** One line of `proofs.jsonl`: an event's Merkle inclusion proof, or none when it is not anchored yet. */
export interface BundleProof {
  seq: number;
  /** The leaf's event hash, `0x`-prefixed as AuditAnchor takes it. */
  hash: string;
  /** The index (per ledger) of the anchor covering the event; null when not anchored yet. */
  anchorIndex: number | null;
  /** Sibling hashes from the leaf to the anchor's root. */
  proof: string[];
}

/** One entry of `anchors.json`: an anchored range as the platform recorded its transaction. */
export interface BundleAnchor {
  chainId: number;
  /** The AuditAnchor contract. */
  contract: string;
  ledgerId: string;
  anchorIndex: number;
  firstSeq: number;
  lastSeq: number;
  root: string;
  txHash: string;
  blockNumber: number;
}

/** `manifest.json` without its signature: what the digest covers. */
export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  bundleId: string;
  tenantId: string;
  dealId: string;
  /** The tenant's ledger id on AuditAnchor (`ledgerIdOf(tenantId)`). */
  ledgerId: string;
  /** The requested period, ISO 8601; `to` is capped at the time of the request. */
  range: { from: string; to: string };
  selection: string;
  /** The seq span of the chain the links cover; null when no event concerns the deal. */
  span: { firstSeq: number; lastSeq: number } | null;
  counts: { events: number; anchored: number; unanchored: number; links: number; anchors: number };
  /** Events of the bundle not anchored yet (their proof lines are empty). */
  unanchoredSeqs: number[];
  /** The chain and AuditAnchor deployment the anchors are on; null when none is configured. */
  chain: { chainId: number; auditAnchor: string } | null;
  files: Record<string, { sha256: string; bytes: number }>;
  createdAt: string;
  createdBy: string;
}

/** The manifest's signature by the platform key. */
export interface ManifestSignature {
  scheme: typeof SIGNATURE_SCHEME;
  /** The signer's address (checksummed). */
  signer: string;
  /** The signed digest, `0x` + 64 hex digits (see {@link manifestDigest}). */
  digest: string;
  /** The 65-byte EIP-191 signature, hex. */
  value: string;
}

/** `manifest.json` as written: the manifest and its signature. */
export interface SignedManifest extends BundleManifest {
  signature: ManifestSignature;
}

/**
 * The digest the platform key signs: `0x` + SHA-256 of the canonical JSON of the manifest
 * without its `signature` member, so the manifest file's formatting does not matter and every
 * member (the files' hashes included) is covered.
 */
export function manifestDigest(manifest: BundleManifest | SignedManifest): string {
  const { signature: _signature, ...unsigned } = manifest as SignedManifest;
  return `0x${sha256Hex(canonicalJson(unsigned))}`;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether an event concerns deal `dealId` under {@link DEAL_SELECTION} (the period aside). The
 * bundle job selects with the same rule in SQL; the verifier re-checks each event with this.
 */
export function concernsDeal(
  event: Pick<BundleEvent, 'aggregateType' | 'aggregateId' | 'payload'>,
  dealId: string,
): boolean {
  if (event.aggregateId === dealId) return true;
  let body: unknown;
  try {
    body = JSON.parse(event.payload);
  } catch {
    return false;
  }
  if (!isObject(body)) return false;
  if (body.dealId === dealId) return true;
  if (Array.isArray(body.dealIds) && body.dealIds.includes(dealId)) return true;
  return event.aggregateType === 'KillSwitch' && body.scope === 'DEAL' && body.target === dealId;
}
