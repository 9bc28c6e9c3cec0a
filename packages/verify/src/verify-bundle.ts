// The verifier of audit bundles: everything an auditor needs to check a bundle without trusting
// the platform's servers, only the chain (any JSON-RPC endpoint of their choosing). The same code
// runs in the auditor's browser (the back office's verification page) and in
// `npm run audit:verify-bundle`; it reads no database and calls no platform service.
import { ledgerIdOf, payoutRoot } from '@tranche/chain/browser';
import {
  decodePublicSignals,
  dealIdFromUuid,
  dealIdToBytes32,
  releaseCurve,
  verifyPoolAttestation,
  type CovenantThresholds,
  type DecodedPublicSignals,
  type VerificationKey,
} from '@tranche/circuits/browser';
import { getAddress, getBytes, isAddress, isHexString, verifyMessage } from 'ethers';
import { readTarGz, sha256Hex, textOf } from './bytes.js';
import {
  BUNDLE_FILES,
  BUNDLE_FORMAT,
  concernsDeal,
  HASHED_FILES,
  manifestDigest,
  SIGNATURE_SCHEME,
  type BundleAnchor,
  type BundleEvent,
  type BundleLink,
  type BundleProof,
  type SignedManifest,
} from './format.js';
import {
  ATTESTATION_VERIFIED,
  DISTRIBUTION_RECONCILED,
  MAX_EVIDENCE_LEAVES,
  type AttestationEvidence,
  type DistributionEvidence,
} from './evidence.js';
import { genesisHash, ledgerHash } from './ledger.js';
import { ledgerProofChecker } from './merkle.js';

/** PASS and FAIL decide; WARN tells what a pass does not cover; SKIP marks a check not run. */
export type CheckStatus = 'PASS' | 'FAIL' | 'WARN' | 'SKIP';

/** The part of the evidence a check belongs to (the page groups its lines by it). */
export type CheckSection = 'bundle' | 'audit chain' | 'anchors' | 'attestations' | 'distributions';

/** One line of the verifier's report. */
export interface BundleCheck {
  status: CheckStatus;
  section: CheckSection;
  /** What was checked (e.g. `event 12 hash`, `anchor #0 on-chain`). */
  name: string;
  detail: string;
}

export interface BundleReport {
  /** True when no check failed. */
  ok: boolean;
  checks: BundleCheck[];
  manifest: SignedManifest | null;
  /** Milliseconds spent per part (chain reads included), for the page and the benchmark. */
  timings: Partial<Record<CheckSection, number>>;
  /** How many events were recomputed and proven, and how many proofs verified. */
  counts: { events: number; proofs: number; attestations: number; distributions: number };
}

/** An anchor as AuditAnchor holds it. */
export interface AnchorOnChain {
  merkleRoot: string;
  firstSeq: number;
  lastSeq: number;
}

/** A `RangeAnchored` log of a transaction. */
export interface RangeAnchoredLog {
  contract: string;
  ledgerId: string;
  index: number;
  root: string;
  firstSeq: number;
  lastSeq: number;
}

/** A mined transaction, as far as the anchor checks need it. */
export interface AnchorTransaction {
  blockNumber: number;
  succeeded: boolean;
  logs: RangeAnchoredLog[];
}

/** What the verifier reads from the chain (an RPC endpoint in the command, a fake in tests). */
export interface BundleChainReader {
  chainId(): Promise<number>;
  /** The ledger's anchor at `index` in the AuditAnchor at `contract`; null when it has none. */
  anchorAt(contract: string, ledgerId: string, index: number): Promise<AnchorOnChain | null>;
  /** The transaction's receipt; null when the chain does not know it. */
  transaction(txHash: string): Promise<AnchorTransaction | null>;
  /** Whether `account` holds OPERATOR_ROLE on the AuditAnchor at `contract`. */
  isOperator(contract: string, account: string): Promise<boolean>;
  /** The Poseidon root DealRegistry holds for the deal (bytes32) and period; null when none. */
  datasetRoot?(registry: string, dealId: string, period: number): Promise<bigint | null>;
  /** The attestation PoolAttestationVerifier recorded for the deal and period; null when none. */
  attestationAt?(verifier: string, dealId: string, period: number): Promise<AttestationOnChain | null>;
  /** A distribution as DistributionManager holds it; null when it has none with that id. */
  distributionAt?(manager: string, distributionId: string): Promise<DistributionOnChain | null>;
  /** The distribution's `PayoutClaimed` logs from `fromBlock`. */
  claims?(manager: string, distributionId: string, fromBlock: number): Promise<ClaimLog[]>;
}

/** An attestation as PoolAttestationVerifier records it. */
export interface AttestationOnChain {
  poolRoot: bigint;
  thresholds: CovenantThresholds;
  capacity: number;
}

/** A distribution as DistributionManager records it (amounts in stablecoin minor units). */
export interface DistributionOnChain {
  token: string;
  merkleRoot: string;
  total: bigint;
  funded: bigint;
  claimed: bigint;
  swept: boolean;
}

/** One `PayoutClaimed` log. */
export interface ClaimLog {
  index: number;
  account: string;
  amount: bigint;
}

export interface VerifyBundleOptions {
  /** The chain to check anchors and the signer's role against; null skips those checks. */
  chain: BundleChainReader | null;
  /** The signer the auditor expects (e.g. the address the platform publishes). */
  expectedSigner?: string | null;
  /** Groth16 verification keys by circuit instance name (`pool16`, …), for attestation proofs. */
  verificationKeys?: Readonly<Record<string, VerificationKey>>;
  /**
   * Keep snarkjs' curve (and its workers) for the next verification, as a page does; by default
   * it is released after the attestations, so a command can exit.
   */
  keepCurve?: boolean;
}

/** FAIL lines of one kind beyond this are summarised in one line. */
const MAX_FAILURES_LISTED = 20;

class Report {
  readonly checks: BundleCheck[] = [];
  section: CheckSection = 'bundle';
  readonly timings: Partial<Record<CheckSection, number>> = {};
  private started = now();
  /** Starts timing `section`; lines added from now on belong to it. */
  enter(section: CheckSection): void {
    const t = now();
    this.timings[this.section] = (this.timings[this.section] ?? 0) + (t - this.started);
    this.started = t;
    this.section = section;
  }
  add(status: CheckStatus, name: string, detail: string): void {
    this.checks.push({ status, section: this.section, name, detail });
  }
  pass(name: string, detail: string): void {
    this.add('PASS', name, detail);
  }
  fail(name: string, detail: string): void {
    this.add('FAIL', name, detail);
  }
  get ok(): boolean {
    return !this.checks.some((c) => c.status === 'FAIL');
  }
}

/** Collects failures of one kind: the first ones listed, the rest counted. */
class Failures {
  private count = 0;
  constructor(
    private readonly report: Report,
    private readonly kind: string,
  ) {}
  add(name: string, detail: string): void {
    this.count += 1;
    if (this.count <= MAX_FAILURES_LISTED) this.report.fail(name, detail);
  }
  get none(): boolean {
    return this.count === 0;
  }
  close(): void {
    if (this.count > MAX_FAILURES_LISTED)
      this.report.fail(this.kind, `${this.count - MAX_FAILURES_LISTED} more failures not listed`);
  }
}

const now = (): number => globalThis.performance.now();

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isSeq = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
const isHex64 = (value: unknown): value is string =>
  typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
const isBytes32 = (value: unknown): value is string => typeof value === 'string' && isHexString(value, 32);
const isText = (value: unknown): value is string => typeof value === 'string';
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

function parseJsonLines(text: string, file: string): unknown[] {
  if (text === '') return [];
  if (!text.endsWith('\n')) throw new Error(`${file}: the last line is not terminated`);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line, i) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new Error(`${file}: line ${i + 1} is not JSON`);
      }
    });
}

function asEvent(value: unknown, line: number): BundleEvent {
  const v = isObject(value) ? value : {};
  const ok =
    isText(v.id) &&
    isSeq(v.seq) &&
    isText(v.tenantId) &&
    isText(v.source) &&
    isText(v.sourceEventId) &&
    isText(v.actor) &&
    isText(v.action) &&
    isText(v.aggregateType) &&
    isText(v.aggregateId) &&
    isText(v.payload) &&
    (v.requestId === null || isText(v.requestId)) &&
    isText(v.occurredAt) &&
    isHex64(v.prevHash) &&
    isHex64(v.hash);
  if (!ok) throw new Error(`${BUNDLE_FILES.events}: line ${line} is not an event`);
  return v as unknown as BundleEvent;
}

function asLink(value: unknown, line: number): BundleLink {
  const v = isObject(value) ? value : {};
  if (!isSeq(v.seq) || !isHex64(v.prevHash) || !isHex64(v.hash))
    throw new Error(`${BUNDLE_FILES.links}: line ${line} is not a link`);
  return v as unknown as BundleLink;
}

function asProof(value: unknown, line: number): BundleProof {
  const v = isObject(value) ? value : {};
  const ok =
    isSeq(v.seq) &&
    isBytes32(v.hash) &&
    (v.anchorIndex === null || (typeof v.anchorIndex === 'number' && Number.isSafeInteger(v.anchorIndex))) &&
    Array.isArray(v.proof) &&
    v.proof.every(isBytes32);
  if (!ok) throw new Error(`${BUNDLE_FILES.proofs}: line ${line} is not a proof`);
  return v as unknown as BundleProof;
}

function asAnchors(value: unknown): BundleAnchor[] {
  if (!Array.isArray(value)) throw new Error(`${BUNDLE_FILES.anchors}: not a list`);
  return value.map((a: unknown, i) => {
    const v = isObject(a) ? a : {};
    const ok =
      typeof v.chainId === 'number' &&
      isText(v.contract) &&
      isAddress(v.contract) &&
      isBytes32(v.ledgerId) &&
      typeof v.anchorIndex === 'number' &&
      Number.isSafeInteger(v.anchorIndex) &&
      isSeq(v.firstSeq) &&
      isSeq(v.lastSeq) &&
      isBytes32(v.root) &&
      isBytes32(v.txHash) &&
      typeof v.blockNumber === 'number';
    if (!ok) throw new Error(`${BUNDLE_FILES.anchors}: entry ${i} is not an anchor`);
    return v as unknown as BundleAnchor;
  });
}

function asManifest(value: unknown): SignedManifest {
  const v = isObject(value) ? value : {};
  if (v.format !== BUNDLE_FORMAT)
    throw new Error(`not a ${BUNDLE_FORMAT} manifest (format ${String(v.format)})`);
  const range = isObject(v.range) ? v.range : {};
  const counts = isObject(v.counts) ? v.counts : {};
  const signature = isObject(v.signature) ? v.signature : {};
  const files = isObject(v.files) ? v.files : null;
  const ok =
    isText(v.tenantId) &&
    isText(v.dealId) &&
    isBytes32(v.ledgerId) &&
    isText(range.from) &&
    isText(range.to) &&
    ['events', 'anchored', 'unanchored', 'links', 'anchors'].every((k) => typeof counts[k] === 'number') &&
    Array.isArray(v.unanchoredSeqs) &&
    files !== null &&
    (v.span === null || (isObject(v.span) && isSeq(v.span.firstSeq) && isSeq(v.span.lastSeq))) &&
    (v.chain === null ||
      (isObject(v.chain) && typeof v.chain.chainId === 'number' && isText(v.chain.auditAnchor))) &&
    isText(signature.signer) &&
    isText(signature.digest) &&
    isText(signature.value);
  if (!ok) throw new Error('the manifest lacks required members');
  return v as unknown as SignedManifest;
}

/**
 * Verifies an audit bundle archive (`.tar.gz`) and reports one line per check: the archive and
 * its manifest; every file's SHA-256 against the manifest; the manifest's EIP-191 signature and
 * who made it (the expected signer, and OPERATOR_ROLE on the AuditAnchor named in the manifest);
 * the ledger id; every event's hash recomputed from its content and `prevHash`, its tenant, period
 * and deal; the chain links unbroken across the span (from the tenant's genesis when the span
 * starts at 1) and each event's link; every inclusion proof against its anchor's root; and each
 * anchor read from AuditAnchor (root and range) with its transaction (mined, successful, in the
 * stated block, with the matching `RangeAnchored` log). Never throws for a bad bundle: it says
 * which check failed. Without a chain reader the on-chain checks are SKIPped, and the signer must
 * then be the expected one.
 */
export async function verifyBundle(archive: Uint8Array, options: VerifyBundleOptions): Promise<BundleReport> {
  const report = new Report();
  const counts = { events: 0, proofs: 0, attestations: 0, distributions: 0 };
  const done = (manifest: SignedManifest | null): BundleReport => {
    report.enter(report.section);
    return { ok: report.ok, checks: report.checks, manifest, timings: report.timings, counts };
  };

  // The archive and its manifest.
  let files: Map<string, Uint8Array>;
  try {
    files = await readTarGz(archive);
  } catch (err) {
    report.fail('archive', `not a readable .tar.gz: ${errorText(err)}`);
    return done(null);
  }
  const expected: string[] = [BUNDLE_FILES.manifest, ...HASHED_FILES];
  const missing = expected.filter((name) => !files.has(name));
  const extra = [...files.keys()].filter((name) => !expected.includes(name));
  if (missing.length || extra.length) {
    report.fail(
      'archive',
      [
        missing.length ? `missing ${missing.join(', ')}` : '',
        extra.length ? `unexpected ${extra.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; '),
    );
    if (missing.length) return done(null);
  } else {
    report.pass('archive', `${expected.length} files: ${expected.join(', ')}`);
  }
  let manifest: SignedManifest;
  try {
    manifest = asManifest(JSON.parse(textOf(files.get(BUNDLE_FILES.manifest) ?? new Uint8Array())));
  } catch (err) {
    report.fail('manifest', errorText(err));
    return done(null);
  }
  report.pass(
    'manifest',
    `tenant ${manifest.tenantId}, deal ${manifest.dealId}, ${manifest.range.from} to ${manifest.range.to}`,
  );

  // Files against the manifest.
  for (const name of HASHED_FILES) {
    const content = files.get(name) ?? new Uint8Array();
    const listed = manifest.files[name];
    const actual = sha256Hex(content);
    if (!listed) report.fail(`file ${name}`, 'not listed in the manifest');
    else if (listed.sha256 !== actual || listed.bytes !== content.length)
      report.fail(
        `file ${name}`,
        `SHA-256 ${actual} (${content.length} bytes) differs from the manifest's ${listed.sha256}`,
      );
    else report.pass(`file ${name}`, `SHA-256 ${actual} matches the manifest`);
  }

  // The signature, and who signed.
  const { signature } = manifest;
  const digest = manifestDigest(manifest);
  let recovered: string | null = null;
  if (signature.scheme !== SIGNATURE_SCHEME) {
    report.fail('signature', `unknown scheme ${String(signature.scheme)}`);
  } else if (signature.digest !== digest) {
    report.fail(
      'signature',
      `the manifest's digest is ${digest}, the signature covers ${signature.digest} (the manifest was changed)`,
    );
  } else {
    try {
      recovered = verifyMessage(getBytes(digest), signature.value);
    } catch (err) {
      report.fail('signature', `not a valid signature: ${errorText(err)}`);
    }
    if (recovered && isAddress(signature.signer) && getAddress(signature.signer) === recovered)
      report.pass('signature', `the manifest (digest ${digest}) is signed by ${recovered}`);
    else if (recovered)
      report.fail('signature', `signed by ${recovered}, not by the stated signer ${signature.signer}`);
  }
  if (options.expectedSigner) {
    if (!isAddress(options.expectedSigner))
      report.fail('signer', `--signer ${options.expectedSigner} is not an address`);
    else if (recovered !== getAddress(options.expectedSigner))
      report.fail(
        'signer',
        `signed by ${recovered ?? 'nobody'}, expected ${getAddress(options.expectedSigner)}`,
      );
    else report.pass('signer', `the expected signer ${recovered}`);
  }
  if (options.chain && manifest.chain && recovered) {
    try {
      if (await options.chain.isOperator(manifest.chain.auditAnchor, recovered))
        report.pass(
          'signer role',
          `${recovered} holds OPERATOR_ROLE on AuditAnchor ${manifest.chain.auditAnchor}`,
        );
      else
        report.fail(
          'signer role',
          `${recovered} does not hold OPERATOR_ROLE on AuditAnchor ${manifest.chain.auditAnchor}`,
        );
    } catch (err) {
      report.fail(
        'signer role',
        `could not read AuditAnchor ${manifest.chain.auditAnchor}: ${errorText(err)}`,
      );
    }
  } else if (recovered && !options.expectedSigner) {
    report.fail(
      'signer role',
      options.chain
        ? 'the manifest names no chain: give --signer with the platform key you trust'
        : 'no chain to check the signer against: give --rpc, or --signer with the platform key you trust',
    );
  }

  // The ledger id binds the anchors to the tenant.
  if (manifest.ledgerId === ledgerIdOf(manifest.tenantId))
    report.pass('ledger id', `${manifest.ledgerId} is the ledger of tenant ${manifest.tenantId}`);
  else report.fail('ledger id', `${manifest.ledgerId} is not the ledger of tenant ${manifest.tenantId}`);

  // Parse the content files.
  let events: BundleEvent[];
  let links: BundleLink[];
  let proofs: BundleProof[];
  let anchors: BundleAnchor[];
  try {
    events = parseJsonLines(
      textOf(files.get(BUNDLE_FILES.events) ?? new Uint8Array()),
      BUNDLE_FILES.events,
    ).map(asEvent);
    links = parseJsonLines(textOf(files.get(BUNDLE_FILES.links) ?? new Uint8Array()), BUNDLE_FILES.links).map(
      asLink,
    );
    proofs = parseJsonLines(
      textOf(files.get(BUNDLE_FILES.proofs) ?? new Uint8Array()),
      BUNDLE_FILES.proofs,
    ).map(asProof);
    anchors = asAnchors(JSON.parse(textOf(files.get(BUNDLE_FILES.anchors) ?? new Uint8Array())));
  } catch (err) {
    report.fail('content', errorText(err));
    return done(manifest);
  }

  // Events: content, hash, tenant, deal, period, order.
  report.enter('audit chain');
  counts.events = events.length;
  const from = Date.parse(manifest.range.from);
  const to = Date.parse(manifest.range.to);
  const eventFailures = new Failures(report, 'events');
  let previousSeq = 0;
  events.forEach((event) => {
    const name = `event ${event.seq}`;
    const ordered = event.seq > previousSeq;
    previousSeq = Math.max(previousSeq, event.seq);
    if (!ordered) return eventFailures.add(name, 'out of chain order or repeated');
    const occurred = new Date(event.occurredAt);
    if (Number.isNaN(occurred.getTime()) || occurred.toISOString() !== event.occurredAt)
      return eventFailures.add(name, `occurredAt ${event.occurredAt} is not a canonical ISO time`);
    if (ledgerHash(event.prevHash, { ...event, occurredAt: occurred }) !== event.hash)
      return eventFailures.add(name, 'its content does not match its hash (the event was changed)');
    if (event.tenantId !== manifest.tenantId)
      return eventFailures.add(name, `belongs to tenant ${event.tenantId}`);
    if (!concernsDeal(event, manifest.dealId))
      return eventFailures.add(name, `does not concern deal ${manifest.dealId}`);
    if (occurred.getTime() < from || occurred.getTime() > to)
      return eventFailures.add(name, `occurred at ${event.occurredAt}, outside the period`);
  });
  if (events.length !== manifest.counts.events)
    eventFailures.add('events', `${events.length} events, the manifest says ${manifest.counts.events}`);
  eventFailures.close();
  if (eventFailures.none)
    report.pass(
      'events',
      `${events.length} events recompute to their hashes and concern the deal in the period`,
    );

  // Chain links across the span.
  const linkFailures = new Failures(report, 'chain links');
  const span = manifest.span;
  const firstEvent = events[0];
  const lastEvent = events[events.length - 1];
  if (!span || !firstEvent || !lastEvent) {
    if (span || events.length || links.length)
      linkFailures.add('chain links', 'the span and the events disagree');
  } else {
    if (span.firstSeq !== firstEvent.seq || span.lastSeq !== lastEvent.seq)
      linkFailures.add(
        'chain links',
        `the span ${span.firstSeq}..${span.lastSeq} is not the events' ${firstEvent.seq}..${lastEvent.seq}`,
      );
    if (links.length !== span.lastSeq - span.firstSeq + 1 || links.length !== manifest.counts.links)
      linkFailures.add(
        'chain links',
        `${links.length} links for a span of ${span.lastSeq - span.firstSeq + 1}`,
      );
    let previous: BundleLink | null = null;
    for (const [i, link] of links.entries()) {
      const name = `link ${link.seq}`;
      if (link.seq !== span.firstSeq + i) {
        linkFailures.add(name, `expected seq ${span.firstSeq + i} (a gap or reordering)`);
        break;
      }
      if (previous && link.prevHash !== previous.hash)
        linkFailures.add(name, `does not link to ${previous.seq} (prevHash differs from its hash)`);
      if (!previous && link.seq === 1 && link.prevHash !== genesisHash(manifest.tenantId))
        linkFailures.add(name, "does not link to the tenant's genesis hash");
      previous = link;
    }
    const bySeq = new Map(links.map((l) => [l.seq, l]));
    for (const event of events) {
      const link = bySeq.get(event.seq);
      if (!link || link.hash !== event.hash || link.prevHash !== event.prevHash)
        linkFailures.add(`event ${event.seq} link`, 'differs from the chain link at its position');
    }
  }
  linkFailures.close();
  if (linkFailures.none)
    report.pass(
      'chain links',
      span
        ? `the chain is unbroken from ${span.firstSeq} to ${span.lastSeq} (${links.length - events.length} events of other aggregates withheld)`
        : 'no events: nothing to link',
    );

  // Inclusion proofs against the anchors' roots.
  const proofFailures = new Failures(report, 'proofs');
  const anchorByIndex = new Map(anchors.map((a) => [a.anchorIndex, a]));
  const verifyProof = ledgerProofChecker();
  const unanchored = new Set(manifest.unanchoredSeqs);
  let anchoredCount = 0;
  if (proofs.length !== events.length)
    proofFailures.add('proofs', `${proofs.length} proofs for ${events.length} events`);
  events.forEach((event, i) => {
    const proof = proofs[i];
    const name = `proof ${event.seq}`;
    if (!proof || proof.seq !== event.seq || proof.hash !== `0x${event.hash}`)
      return proofFailures.add(name, "does not name the event's seq and hash");
    if (proof.anchorIndex === null) {
      if (!unanchored.has(event.seq))
        proofFailures.add(name, 'has no anchor but the manifest does not list it as unanchored');
      return;
    }
    if (unanchored.has(event.seq))
      return proofFailures.add(name, 'has an anchor but the manifest lists it as unanchored');
    const anchor = anchorByIndex.get(proof.anchorIndex);
    if (!anchor)
      return proofFailures.add(name, `names anchor #${proof.anchorIndex}, which the bundle does not carry`);
    if (event.seq < anchor.firstSeq || event.seq > anchor.lastSeq)
      return proofFailures.add(
        name,
        `anchor #${anchor.anchorIndex} covers ${anchor.firstSeq}..${anchor.lastSeq}, not ${event.seq}`,
      );
    if (!verifyProof(anchor.root, event.seq, proof.hash, proof.proof))
      return proofFailures.add(name, `does not prove the event against anchor #${anchor.anchorIndex}'s root`);
    anchoredCount += 1;
  });
  if (
    proofFailures.none &&
    (anchoredCount + unanchored.size !== events.length || anchoredCount !== manifest.counts.anchored)
  )
    proofFailures.add(
      'proofs',
      `${anchoredCount} events proven, the manifest says ${manifest.counts.anchored}`,
    );
  proofFailures.close();
  if (proofFailures.none)
    report.pass('proofs', `${anchoredCount} events proven against their anchors' roots`);
  if (unanchored.size)
    report.add(
      'WARN',
      'unanchored',
      `${unanchored.size} events not anchored yet (seq ${[...unanchored].slice(0, 10).join(', ')}${unanchored.size > 10 ? ', …' : ''}): covered by the signature and chain links only`,
    );

  counts.proofs = anchoredCount;

  // Anchors: bound to the ledger and the manifest's chain, then read from the chain.
  report.enter('anchors');
  if (anchors.length !== manifest.counts.anchors)
    report.fail('anchors', `${anchors.length} anchors, the manifest says ${manifest.counts.anchors}`);
  for (const anchor of anchors) {
    const name = `anchor #${anchor.anchorIndex}`;
    if (anchor.ledgerId !== manifest.ledgerId) report.fail(name, `is for ledger ${anchor.ledgerId}`);
    if (
      !manifest.chain ||
      anchor.chainId !== manifest.chain.chainId ||
      getAddress(anchor.contract) !== getAddress(manifest.chain.auditAnchor)
    )
      report.fail(
        name,
        `is on chain ${anchor.chainId} at ${anchor.contract}, not the manifest's AuditAnchor`,
      );
  }
  const chain = options.chain ? await checkChain(report, options.chain, manifest) : null;
  if (!chain) {
    if (anchors.length)
      report.add('SKIP', 'anchors on-chain', `${anchors.length} anchors not read from the chain (no chain)`);
  } else {
    for (const anchor of anchors) await checkAnchorOnChain(report, chain, anchor);
  }

  // The evidence the events carry: pool attestations and distributions.
  report.enter('attestations');
  try {
    counts.attestations = await checkAttestations(
      report,
      events,
      manifest,
      chain,
      options.verificationKeys ?? {},
    );
  } finally {
    if (!options.keepCurve) await releaseCurve();
  }
  report.enter('distributions');
  counts.distributions = await checkDistributions(report, events, manifest, chain);
  return done(manifest);
}

/** Whether `chain` serves the manifest's chain: the reader to use, or null (and a FAIL line). */
async function checkChain(
  report: Report,
  chain: BundleChainReader,
  manifest: SignedManifest,
): Promise<BundleChainReader | null> {
  let chainId: number;
  try {
    chainId = await chain.chainId();
  } catch (err) {
    report.fail('chain', `the RPC endpoint did not answer: ${errorText(err)}`);
    return null;
  }
  if (manifest.chain && chainId !== manifest.chain.chainId) {
    report.fail(
      'chain',
      `the RPC endpoint serves chain ${chainId}, the bundle's anchors are on ${manifest.chain.chainId}`,
    );
    return null;
  }
  report.pass('chain', `chain ${chainId}`);
  return chain;
}

/** One anchor read from AuditAnchor (root and range) and its transaction. */
async function checkAnchorOnChain(
  report: Report,
  chain: BundleChainReader,
  anchor: BundleAnchor,
): Promise<void> {
  const name = `anchor #${anchor.anchorIndex}`;
  try {
    const onChain = await chain.anchorAt(anchor.contract, anchor.ledgerId, anchor.anchorIndex);
    if (!onChain)
      report.fail(
        `${name} on-chain`,
        `AuditAnchor ${anchor.contract} has no anchor #${anchor.anchorIndex} of the ledger`,
      );
    else if (
      onChain.merkleRoot.toLowerCase() !== anchor.root.toLowerCase() ||
      onChain.firstSeq !== anchor.firstSeq ||
      onChain.lastSeq !== anchor.lastSeq
    )
      report.fail(
        `${name} on-chain`,
        `AuditAnchor holds root ${onChain.merkleRoot} for ${onChain.firstSeq}..${onChain.lastSeq}, the bundle ${anchor.root} for ${anchor.firstSeq}..${anchor.lastSeq}`,
      );
    else
      report.pass(
        `${name} on-chain`,
        `root ${anchor.root} for ${anchor.firstSeq}..${anchor.lastSeq} matches AuditAnchor`,
      );
    const tx = await chain.transaction(anchor.txHash);
    const logged = tx?.logs.find(
      (l) =>
        getAddress(l.contract) === getAddress(anchor.contract) &&
        l.ledgerId.toLowerCase() === anchor.ledgerId.toLowerCase() &&
        l.index === anchor.anchorIndex,
    );
    if (!tx) report.fail(`${name} transaction`, `${anchor.txHash} is not on the chain`);
    else if (!tx.succeeded) report.fail(`${name} transaction`, `${anchor.txHash} reverted`);
    else if (tx.blockNumber !== anchor.blockNumber)
      report.fail(
        `${name} transaction`,
        `${anchor.txHash} is in block ${tx.blockNumber}, not ${anchor.blockNumber}`,
      );
    else if (
      !logged ||
      logged.root.toLowerCase() !== anchor.root.toLowerCase() ||
      logged.firstSeq !== anchor.firstSeq ||
      logged.lastSeq !== anchor.lastSeq
    )
      report.fail(`${name} transaction`, `${anchor.txHash} did not anchor this range`);
    else report.pass(`${name} transaction`, `${anchor.txHash} in block ${tx.blockNumber} anchored it`);
  } catch (err) {
    report.fail(`${name} on-chain`, `could not read the chain: ${errorText(err)}`);
  }
}

/** The events carrying evidence of `actions`, with their parsed payload (malformed ones FAIL). */
function evidenceOf<T>(
  report: Report,
  events: readonly BundleEvent[],
  actions: readonly string[],
  valid: (payload: Record<string, unknown>) => boolean,
): { event: BundleEvent; evidence: T }[] {
  const out: { event: BundleEvent; evidence: T }[] = [];
  for (const event of events) {
    if (!actions.includes(event.action)) continue;
    let payload: unknown;
    try {
      payload = JSON.parse(event.payload);
    } catch {
      payload = null;
    }
    if (isObject(payload) && valid(payload)) out.push({ event, evidence: payload as T });
    else
      report.add(
        'WARN',
        `event ${event.seq}`,
        `${event.action} carries no evidence to check (recorded before events carried it)`,
      );
  }
  return out;
}

const isDecimal = (value: unknown): value is string => typeof value === 'string' && /^[0-9]+$/.test(value);

const sameThresholds = (a: CovenantThresholds, b: CovenantThresholds): boolean =>
  a.maxDelinquencyBps === b.maxDelinquencyBps &&
  a.delinquencyDays === b.delinquencyDays &&
  a.maxWaLtvBps === b.maxWaLtvBps &&
  BigInt(a.minBalance) === BigInt(b.minBalance);

/**
 * Each verified pool attestation of the bundle: its Groth16 proof against the circuit's
 * verification key (in this process: the browser's, for the page); its public signals against
 * the deal, period and root the event names; then, on the chain, the root DealRegistry anchored
 * for that deal and period and the attestation PoolAttestationVerifier recorded. Returns how many
 * proofs were checked.
 */
async function checkAttestations(
  report: Report,
  events: readonly BundleEvent[],
  manifest: SignedManifest,
  chain: BundleChainReader | null,
  keys: Readonly<Record<string, VerificationKey>>,
): Promise<number> {
  const found = evidenceOf<AttestationEvidence>(
    report,
    events,
    [ATTESTATION_VERIFIED],
    (p) =>
      isText(p.circuit) &&
      isDecimal(p.poolRoot) &&
      Number.isSafeInteger(p.period) &&
      isText(p.verifier) &&
      isText(p.registry) &&
      isObject(p.proof) &&
      Array.isArray(p.publicSignals) &&
      p.publicSignals.every(isDecimal),
  );
  if (!found.length) {
    report.add('SKIP', 'attestations', 'the bundle holds no verified pool attestation');
    return 0;
  }
  let checked = 0;
  for (const { event, evidence } of found) {
    const name = `attestation ${evidence.period} (event ${event.seq})`;
    checked += 1;
    const key = keys[evidence.circuit];
    if (!key) report.fail(`${name} proof`, `no verification key for circuit ${evidence.circuit}`);
    else if (await verifyPoolAttestation(key, evidence.proof, evidence.publicSignals, { keepCurve: true }))
      report.pass(
        `${name} proof`,
        `the Groth16 proof verifies against ${evidence.circuit}'s verification key`,
      );
    else
      report.fail(
        `${name} proof`,
        `the Groth16 proof does not verify against ${evidence.circuit}'s verification key (the proof or a public signal was changed)`,
      );
    let signals: DecodedPublicSignals;
    try {
      signals = decodePublicSignals(evidence.publicSignals);
    } catch (err) {
      report.fail(`${name} signals`, errorText(err));
      continue;
    }
    const differs: string[] = [];
    if (signals.dealId !== dealIdFromUuid(manifest.dealId))
      differs.push(`deal ${dealIdToBytes32(signals.dealId)}`);
    if (signals.period !== evidence.period) differs.push(`period ${signals.period}, not ${evidence.period}`);
    if (signals.root !== BigInt(evidence.poolRoot))
      differs.push(`root ${signals.root}, not ${evidence.poolRoot}`);
    if (differs.length) report.fail(`${name} signals`, `the proof is about ${differs.join(', ')}`);
    else
      report.pass(
        `${name} signals`,
        `deal ${manifest.dealId}, period ${signals.period}, root ${shortNumber(signals.root)}; delinquency ≤ ${signals.thresholds.maxDelinquencyBps} bps at ${signals.thresholds.delinquencyDays} days, WA LTV ≤ ${signals.thresholds.maxWaLtvBps} bps, balance ≥ ${signals.thresholds.minBalance}`,
      );
    if (!chain?.datasetRoot || !chain.attestationAt) {
      report.add(
        'SKIP',
        `${name} on-chain`,
        'the anchored root and the recorded attestation are not read (no chain)',
      );
      continue;
    }
    const dealBytes = dealIdToBytes32(dealIdFromUuid(manifest.dealId));
    try {
      const anchored = await chain.datasetRoot(evidence.registry, dealBytes, evidence.period);
      if (anchored === null)
        report.fail(
          `${name} root`,
          `DealRegistry ${evidence.registry} anchored no tape for period ${evidence.period}`,
        );
      else if (anchored !== signals.root)
        report.fail(
          `${name} root`,
          `DealRegistry anchored root ${shortNumber(anchored)}, the proof is about ${shortNumber(signals.root)}`,
        );
      else
        report.pass(
          `${name} root`,
          `the proof's root is the one DealRegistry anchored for period ${evidence.period}`,
        );
      const recorded = await chain.attestationAt(evidence.verifier, dealBytes, evidence.period);
      if (!recorded)
        report.fail(
          `${name} on-chain`,
          `PoolAttestationVerifier ${evidence.verifier} recorded no attestation`,
        );
      else if (recorded.poolRoot !== signals.root || !sameThresholds(recorded.thresholds, signals.thresholds))
        report.fail(
          `${name} on-chain`,
          'PoolAttestationVerifier recorded another root or other thresholds than the proof states',
        );
      else
        report.pass(
          `${name} on-chain`,
          `PoolAttestationVerifier recorded it (capacity ${recorded.capacity}, transaction ${evidence.txHash})`,
        );
    } catch (err) {
      report.fail(`${name} on-chain`, `could not read the chain: ${errorText(err)}`);
    }
  }
  return checked;
}

/**
 * Each distribution the bundle reconciles, tranche by tranche: the engine's cash against what the
 * leaves entitle (the rounding remainder stated), the leaves against the published Merkle root,
 * then against the chain: DistributionManager's root, total, funded and claimed amounts, and each
 * holder's `PayoutClaimed` against their leaf. Returns how many tranche payouts were checked.
 */
async function checkDistributions(
  report: Report,
  events: readonly BundleEvent[],
  manifest: SignedManifest,
  chain: BundleChainReader | null,
): Promise<number> {
  const found = evidenceOf<DistributionEvidence>(
    report,
    events,
    DISTRIBUTION_RECONCILED,
    (p) =>
      p.dealId === manifest.dealId &&
      Number.isSafeInteger(p.period) &&
      isText(p.manager) &&
      Array.isArray(p.tranches),
  );
  if (!found.length) {
    report.add('SKIP', 'distributions', 'the bundle holds no reconciled distribution');
    return 0;
  }
  let checked = 0;
  for (const { event, evidence } of found) {
    for (const t of evidence.tranches) {
      checked += 1;
      const name = `distribution ${evidence.period} ${t.classId}`;
      const entitled = BigInt(t.entitled);
      const engineCash = BigInt(t.engineCash);
      if (entitled > engineCash)
        report.fail(
          `${name} engine`,
          `the leaves entitle ${entitled}, more than the engine's ${engineCash} (event ${event.seq})`,
        );
      else
        report.pass(
          `${name} engine`,
          `engine cash ${engineCash}, entitled ${entitled} to ${t.recipients} holders (${engineCash - entitled} rounding and ineligible shares kept)`,
        );
      if (t.leaves) {
        const total = t.leaves.reduce((sum, [, , amount]) => sum + BigInt(amount), 0n);
        const root = t.leaves.length
          ? payoutRoot(t.leaves.map(([, account, amount]) => ({ account, amount: BigInt(amount) }))).root
          : null;
        if (total !== entitled)
          report.fail(`${name} leaves`, `the leaves add up to ${total}, not ${entitled}`);
        else if (root && root.toLowerCase() !== t.merkleRoot.toLowerCase())
          report.fail(
            `${name} leaves`,
            `the leaves' Merkle root is ${root}, not the published ${t.merkleRoot}`,
          );
        else
          report.pass(
            `${name} leaves`,
            `${t.leaves.length} leaves add up to ${entitled} under root ${short(t.merkleRoot)}`,
          );
      } else
        report.add(
          'WARN',
          `${name} leaves`,
          `more than ${MAX_EVIDENCE_LEAVES} holders: only the totals are in the bundle`,
        );
      if (!chain?.distributionAt) {
        report.add('SKIP', `${name} on-chain`, 'DistributionManager is not read (no chain)');
        continue;
      }
      try {
        const onChain = await chain.distributionAt(evidence.manager, t.distributionId);
        if (!onChain) {
          report.fail(
            `${name} on-chain`,
            `DistributionManager ${evidence.manager} has no distribution ${t.distributionId}`,
          );
          continue;
        }
        const differs: string[] = [];
        if (onChain.merkleRoot.toLowerCase() !== t.merkleRoot.toLowerCase())
          differs.push(`root ${onChain.merkleRoot}`);
        if (onChain.total !== entitled) differs.push(`total ${onChain.total}, entitled ${entitled}`);
        if (onChain.funded !== BigInt(t.funded))
          differs.push(`funded ${onChain.funded}, the platform says ${t.funded}`);
        if (onChain.claimed !== BigInt(t.paid))
          differs.push(`paid ${onChain.claimed}, the platform says ${t.paid}`);
        if (differs.length)
          report.fail(`${name} on-chain`, `DistributionManager holds ${differs.join('; ')}`);
        else
          report.pass(
            `${name} on-chain`,
            `funded ${onChain.funded} − paid ${onChain.claimed} = ${onChain.funded - onChain.claimed} remaining${onChain.swept ? ' (swept)' : ''}`,
          );
        if (!t.leaves || !chain.claims) continue;
        const paid = new Map<number, ClaimLog>();
        for (const log of await chain.claims(evidence.manager, t.distributionId, t.fromBlock)) {
          const prior = paid.get(log.index);
          paid.set(log.index, { ...log, amount: (prior?.amount ?? 0n) + log.amount });
        }
        const wrong: string[] = [];
        let unclaimed = 0;
        for (const [index, account, amount] of t.leaves) {
          const log = paid.get(index);
          paid.delete(index);
          if (!log) {
            if (BigInt(amount) > 0n) unclaimed += 1;
          } else if (log.account.toLowerCase() !== account.toLowerCase() || log.amount !== BigInt(amount))
            wrong.push(
              `holder ${index} (${short(account)}) entitled ${amount}, paid ${log.amount} to ${short(log.account)}`,
            );
        }
        for (const extra of paid.values())
          wrong.push(`claim ${extra.index} of ${extra.amount} is not a leaf`);
        if (wrong.length)
          report.fail(`${name} holders`, wrong.slice(0, 5).join('; ') + (wrong.length > 5 ? '; …' : ''));
        else if (unclaimed)
          report.add(
            'WARN',
            `${name} holders`,
            `${t.leaves.length - unclaimed} holders paid exactly, ${unclaimed} not claimed yet`,
          );
        else
          report.pass(
            `${name} holders`,
            `each of ${t.leaves.length} holders was paid exactly their entitlement`,
          );
      } catch (err) {
        report.fail(`${name} on-chain`, `could not read the chain: ${errorText(err)}`);
      }
    }
  }
  return checked;
}

const short = (hex: string): string => (hex.length > 14 ? `${hex.slice(0, 8)}…${hex.slice(-4)}` : hex);
const shortNumber = (n: bigint): string => short(n.toString());
