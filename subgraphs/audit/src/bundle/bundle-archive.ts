// Writing a bundle archive from its parts: the files, the manifest over them and its signature by
// the platform key, packed deterministically. Pure (no database), so the job and the verifier's
// tests build archives the same way.
import { ledgerIdOf } from '@tranche/chain';
import { getAddress, getBytes } from 'ethers';
import {
  BUNDLE_FILES,
  BUNDLE_FORMAT,
  DEAL_SELECTION,
  jsonLines,
  manifestDigest,
  sha256Hex,
  SIGNATURE_SCHEME,
  type BundleAnchor,
  type BundleEvent,
  type BundleLink,
  type BundleManifest,
  type BundleProof,
  type SignedManifest,
} from './bundle-format.js';
import { writeTarGz } from './tar.js';

/** What signs a bundle's manifest: the platform key (an ethers Wallet). */
export interface BundleSigner {
  getAddress(): Promise<string>;
  signMessage(message: Uint8Array): Promise<string>;
}

/** Everything a bundle holds, gathered by the job (or a test). */
export interface BundleParts {
  bundleId: string;
  tenantId: string;
  dealId: string;
  range: { from: Date; to: Date };
  createdAt: Date;
  createdBy: string;
  /** The deal's events, in chain order. */
  events: BundleEvent[];
  /** The tenant's chain from the first event to the last. */
  links: BundleLink[];
  /** The proof of each anchored event, by seq; events without one are unanchored. */
  proofs: ReadonlyMap<number, { anchorIndex: number; proof: string[] }>;
  /** The anchors the proofs name. */
  anchors: BundleAnchor[];
  /** The AuditAnchor deployment the anchors are on; null without a chain. */
  chain: { chainId: number; auditAnchor: string } | null;
}

/** A written bundle: the archive, its SHA-256 (hex) and the signed manifest inside it. */
export interface WrittenBundle {
  archive: Buffer;
  sha256: string;
  manifest: SignedManifest;
}

/** The archive's files and manifest for `files` (name → content), signed by `signer`. */
export async function sealBundle(
  manifest: Omit<BundleManifest, 'files'>,
  files: Readonly<Record<string, Buffer>>,
  signer: BundleSigner,
): Promise<WrittenBundle> {
  const unsigned: BundleManifest = {
    ...manifest,
    files: Object.fromEntries(
      Object.entries(files).map(([name, content]) => [
        name,
        { sha256: sha256Hex(content), bytes: content.length },
      ]),
    ),
  };
  const digest = manifestDigest(unsigned);
  const signed: SignedManifest = {
    ...unsigned,
    signature: {
      scheme: SIGNATURE_SCHEME,
      signer: getAddress(await signer.getAddress()),
      digest,
      value: await signer.signMessage(getBytes(digest)),
    },
  };
  const archive = writeTarGz(
    [
      { name: BUNDLE_FILES.manifest, content: Buffer.from(`${JSON.stringify(signed, null, 2)}\n`, 'utf8') },
      ...Object.entries(files).map(([name, content]) => ({ name, content })),
    ],
    new Date(manifest.createdAt),
  );
  return { archive, sha256: sha256Hex(archive), manifest: signed };
}

/**
 * Writes the bundle archive of `parts`: `events.jsonl`, `links.jsonl`, `proofs.jsonl` (an empty
 * proof for each unanchored event), `anchors.json` and `manifest.json` (the files' SHA-256,
 * counts, the unanchored events) signed by `signer`, as a gzip'd tar dated `createdAt`, so the
 * same parts always give the same bytes.
 */
export async function writeBundleArchive(parts: BundleParts, signer: BundleSigner): Promise<WrittenBundle> {
  const proofLines: BundleProof[] = parts.events.map((e) => {
    const found = parts.proofs.get(e.seq);
    return {
      seq: e.seq,
      hash: `0x${e.hash}`,
      anchorIndex: found?.anchorIndex ?? null,
      proof: found?.proof ?? [],
    };
  });
  const unanchoredSeqs = proofLines.filter((p) => p.anchorIndex === null).map((p) => p.seq);
  const first = parts.events[0];
  const last = parts.events[parts.events.length - 1];
  const files = {
    [BUNDLE_FILES.events]: jsonLines(parts.events),
    [BUNDLE_FILES.links]: jsonLines(parts.links),
    [BUNDLE_FILES.proofs]: jsonLines(proofLines),
    [BUNDLE_FILES.anchors]: Buffer.from(`${JSON.stringify(parts.anchors, null, 2)}\n`, 'utf8'),
  };
  return sealBundle(
    {
      format: BUNDLE_FORMAT,
      bundleId: parts.bundleId,
      tenantId: parts.tenantId,
      dealId: parts.dealId,
      ledgerId: ledgerIdOf(parts.tenantId),
      range: { from: parts.range.from.toISOString(), to: parts.range.to.toISOString() },
      selection: DEAL_SELECTION,
      span: first && last ? { firstSeq: first.seq, lastSeq: last.seq } : null,
      counts: {
        events: parts.events.length,
        anchored: parts.events.length - unanchoredSeqs.length,
        unanchored: unanchoredSeqs.length,
        links: parts.links.length,
        anchors: parts.anchors.length,
      },
      unanchoredSeqs,
      chain: parts.chain,
      createdAt: parts.createdAt.toISOString(),
      createdBy: parts.createdBy,
    },
    files,
    signer,
  );
}
