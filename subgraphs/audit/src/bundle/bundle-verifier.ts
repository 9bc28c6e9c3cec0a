// The offline verifier of audit bundles: everything an auditor needs to check a bundle without
// trusting the platform's servers, only the chain (any JSON-RPC endpoint of their choosing). Used
// by `npm run audit:verify-bundle`; it reads no database and calls no platform service.
import { AuditAnchor__factory, ledgerIdOf, verifyLedgerProof } from '@tranche/chain';
import {
  getAddress,
  getBytes,
  isAddress,
  isHexString,
  JsonRpcProvider,
  Network,
  verifyMessage,
} from 'ethers';
import { genesisHash, ledgerHash } from '../ledger/ledger-hash.js';
import {
  BUNDLE_FILES,
  BUNDLE_FORMAT,
  concernsDeal,
  HASHED_FILES,
  manifestDigest,
  sha256Hex,
  SIGNATURE_SCHEME,
  type BundleAnchor,
  type BundleEvent,
  type BundleLink,
  type BundleProof,
  type SignedManifest,
} from './bundle-format.js';
import { readTarGz } from './tar.js';

/** PASS and FAIL decide; WARN tells what a pass does not cover; SKIP marks a check not run. */
export type CheckStatus = 'PASS' | 'FAIL' | 'WARN' | 'SKIP';

/** One line of the verifier's report. */
export interface BundleCheck {
  status: CheckStatus;
  /** What was checked (e.g. `event 12 hash`, `anchor #0 on-chain`). */
  name: string;
  detail: string;
}

export interface BundleReport {
  /** True when no check failed. */
  ok: boolean;
  checks: BundleCheck[];
  manifest: SignedManifest | null;
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
}

export interface VerifyBundleOptions {
  /** The chain to check anchors and the signer's role against; null skips those checks. */
  chain: BundleChainReader | null;
  /** The signer the auditor expects (e.g. the address the platform publishes). */
  expectedSigner?: string | null;
}

/** FAIL lines of one kind beyond this are summarised in one line. */
const MAX_FAILURES_LISTED = 20;

class Report {
  readonly checks: BundleCheck[] = [];
  add(status: CheckStatus, name: string, detail: string): void {
    this.checks.push({ status, name, detail });
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
export async function verifyBundle(archive: Buffer, options: VerifyBundleOptions): Promise<BundleReport> {
  const report = new Report();
  const done = (manifest: SignedManifest | null): BundleReport => ({
    ok: report.ok,
    checks: report.checks,
    manifest,
  });

  // The archive and its manifest.
  let files: Map<string, Buffer>;
  try {
    files = readTarGz(archive);
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
    manifest = asManifest(JSON.parse(files.get(BUNDLE_FILES.manifest)?.toString('utf8') ?? ''));
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
    const content = files.get(name) ?? Buffer.alloc(0);
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
    events = parseJsonLines(files.get(BUNDLE_FILES.events)?.toString('utf8') ?? '', BUNDLE_FILES.events).map(
      asEvent,
    );
    links = parseJsonLines(files.get(BUNDLE_FILES.links)?.toString('utf8') ?? '', BUNDLE_FILES.links).map(
      asLink,
    );
    proofs = parseJsonLines(files.get(BUNDLE_FILES.proofs)?.toString('utf8') ?? '', BUNDLE_FILES.proofs).map(
      asProof,
    );
    anchors = asAnchors(JSON.parse(files.get(BUNDLE_FILES.anchors)?.toString('utf8') ?? ''));
  } catch (err) {
    report.fail('content', errorText(err));
    return done(manifest);
  }

  // Events: content, hash, tenant, deal, period, order.
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
    if (!verifyLedgerProof(anchor.root, { seq: event.seq, hash: proof.hash }, proof.proof))
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

  // Anchors: bound to the ledger and the manifest's chain, then read from the chain.
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
  if (!options.chain) {
    if (anchors.length)
      report.add('SKIP', 'anchors on-chain', `${anchors.length} anchors not read from the chain (no --rpc)`);
    return done(manifest);
  }
  if (manifest.chain) {
    try {
      const chainId = await options.chain.chainId();
      if (chainId !== manifest.chain.chainId) {
        report.fail(
          'chain',
          `the RPC endpoint serves chain ${chainId}, the bundle's anchors are on ${manifest.chain.chainId}`,
        );
        return done(manifest);
      }
      report.pass('chain', `chain ${chainId}`);
    } catch (err) {
      report.fail('chain', `the RPC endpoint did not answer: ${errorText(err)}`);
      return done(manifest);
    }
  }
  for (const anchor of anchors) {
    const name = `anchor #${anchor.anchorIndex}`;
    try {
      const onChain = await options.chain.anchorAt(anchor.contract, anchor.ledgerId, anchor.anchorIndex);
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
      const tx = await options.chain.transaction(anchor.txHash);
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
  return done(manifest);
}

/** A JSON-RPC chain reader for {@link verifyBundle}; `close()` releases the connection. */
export interface RpcChainReader extends BundleChainReader {
  close(): void;
}

/**
 * Reads AuditAnchor over JSON-RPC at `rpcUrl`. The chain id is asked once up front (with a
 * timeout), so an unreachable endpoint fails at once rather than retrying forever.
 *
 * @throws Error when the endpoint does not answer `eth_chainId`.
 */
export async function rpcChainReader(rpcUrl: string, timeoutMs = 10_000): Promise<RpcChainReader> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json()) as { result?: string };
  if (!body.result) throw new Error(`${rpcUrl} did not answer eth_chainId`);
  const chainId = Number(BigInt(body.result));
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: Network.from(chainId) });
  const iface = AuditAnchor__factory.createInterface();
  return {
    chainId: async () => chainId,
    anchorAt: async (contract, ledgerId, index) => {
      if ((await provider.getCode(contract)) === '0x') return null;
      const count = await AuditAnchor__factory.connect(contract, provider).anchorCount(ledgerId);
      if (BigInt(index) >= count) return null;
      const a = await AuditAnchor__factory.connect(contract, provider).anchorAt(ledgerId, index);
      return { merkleRoot: a.merkleRoot, firstSeq: Number(a.firstSeq), lastSeq: Number(a.lastSeq) };
    },
    transaction: async (txHash) => {
      const receipt = await provider.getTransactionReceipt(txHash);
      if (!receipt) return null;
      const logs: RangeAnchoredLog[] = [];
      for (const log of receipt.logs) {
        const parsed = (() => {
          try {
            return iface.parseLog(log);
          } catch {
            return null;
          }
        })();
        if (parsed?.name !== 'RangeAnchored') continue;
        logs.push({
          contract: log.address,
          ledgerId: String(parsed.args.ledgerId),
          index: Number(parsed.args.index as bigint),
          root: String(parsed.args.merkleRoot),
          firstSeq: Number(parsed.args.firstSeq as bigint),
          lastSeq: Number(parsed.args.lastSeq as bigint),
        });
      }
      return { blockNumber: receipt.blockNumber, succeeded: receipt.status === 1, logs };
    },
    isOperator: async (contract, account) => {
      if ((await provider.getCode(contract)) === '0x') return false;
      const anchor = AuditAnchor__factory.connect(contract, provider);
      return anchor.hasRole(await anchor.OPERATOR_ROLE(), account);
    },
    close: () => provider.destroy(),
  };
}
