// Anchoring the platform's audit ledgers in AuditAnchor: one ledger per tenant, each a SHA-256 hash
// chain with its own sequence numbers 1..n, anchored as Merkle roots of contiguous ranges of its
// events. Off-chain trees and proofs (for the anchoring job, evidence bundles and auditors), one
// keyed TxSender operation per anchor, and the on-chain reads and verification.
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { type ContractRunner, getAddress, isError, isHexString, keccak256, toUtf8Bytes } from 'ethers';

import { AuditAnchor__factory } from './contracts.js';
import type { TxSender } from './tx-sender.js';

/**
 * Leaf encoding shared with AuditAnchor: the StandardMerkleTree leaf of `(uint64 seq, bytes32 hash)`,
 * i.e. `keccak256(bytes.concat(keccak256(abi.encode(seq, hash))))`. The ledger id is not in the leaf:
 * it selects the anchor (root) a proof is checked against, and the events' chain hashes already
 * commit to their tenant.
 */
export const LEDGER_LEAF_ENCODING = ['uint64', 'bytes32'] as const;

/** One event of a ledger: its sequence number (1..n in its ledger) and chain hash (32-byte hex). */
export interface LedgerLeaf {
  seq: number;
  /** `0x` + 64 hex digits */
  hash: string;
}

/** The dump of a ledger tree (OpenZeppelin StandardMerkleTree format), to store and reload. */
export type LedgerTreeDump = ReturnType<StandardMerkleTree<[number, string]>['dump']>;

/** The Merkle tree of a contiguous range of one ledger's events. */
export interface LedgerTree {
  /** the root to anchor (`0x` + 64 hex digits) */
  root: string;
  firstSeq: number;
  lastSeq: number;
  /** the inclusion proof of event `seq` (sibling hashes, leaf to root); throws if `seq` is not in the range */
  proofFor(seq: number): string[];
  /** the OpenZeppelin tree dump (`StandardMerkleTree.load` reads it back) */
  dump(): LedgerTreeDump;
}

/** An anchored range as AuditAnchor holds it. */
export interface LedgerAnchor {
  /** the anchor's index within its ledger (0-based) */
  index: number;
  merkleRoot: string;
  firstSeq: number;
  lastSeq: number;
  /** block timestamp of the anchor, in seconds */
  anchoredAt: number;
}

/** What `anchorLedgerRange` anchors: range [firstSeq, lastSeq] of ledger `ledgerId` with its root. */
export interface LedgerRange {
  ledgerId: string;
  root: string;
  firstSeq: number;
  lastSeq: number;
}

/** The transaction that anchored a range, and the anchor's index within its ledger. */
export interface AnchorLedgerRangeResult {
  txHash: string;
  blockNumber: number;
  index: number;
  /** false when the key had already been sent and this call only read its transaction back */
  sentNow: boolean;
}

const LEDGER_ID_DOMAIN = 'tranche.audit-ledger:';

/**
 * The AuditAnchor ledger id of a tenant's audit chain: `keccak256(utf8("tranche.audit-ledger:" +
 * tenantId))`, bytes32 hex. The tenant id is taken byte for byte (no case or Unicode normalisation),
 * so pass it exactly as the ledger stores it. The contract treats the id as opaque; the prefix keeps
 * it apart from other keccak256 values of the same string.
 */
export function ledgerIdOf(tenantId: string): string {
  if (tenantId.length === 0) throw new Error('ledgerIdOf: empty tenant id');
  return keccak256(toUtf8Bytes(LEDGER_ID_DOMAIN + tenantId));
}

function isSeq(seq: unknown): seq is number {
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 1;
}

function isBytes32(value: unknown): value is string {
  return typeof value === 'string' && isHexString(value, 32);
}

/** The leaf hash of event `seq` with chain hash `hash` (= AuditAnchor's `ledgerLeaf`). */
export function ledgerLeafHash(leaf: LedgerLeaf): string {
  if (!isSeq(leaf.seq)) throw new Error(`ledger leaf: invalid seq ${String(leaf.seq)}`);
  if (!isBytes32(leaf.hash)) throw new Error(`ledger leaf ${leaf.seq}: hash is not 32-byte hex`);
  return StandardMerkleTree.of([[leaf.seq, leaf.hash.toLowerCase()]], [...LEDGER_LEAF_ENCODING]).root;
}

/**
 * Builds the Merkle tree of a contiguous range of one ledger's events (OpenZeppelin
 * StandardMerkleTree, leaves `(uint64 seq, bytes32 hash)` as AuditAnchor verifies them). `events`
 * must be non-empty and in sequence order with no gap or repeat (seq, seq + 1, …), each hash
 * 32-byte hex with `0x`; otherwise this throws. O(n log n).
 */
export function buildLedgerTree(events: readonly LedgerLeaf[]): LedgerTree {
  const first = events[0];
  if (!first) throw new Error('buildLedgerTree: no events');
  const values: [number, string][] = events.map((e, i) => {
    if (!isSeq(e.seq)) throw new Error(`buildLedgerTree: invalid seq ${String(e.seq)}`);
    if (e.seq !== first.seq + i) {
      throw new Error(`buildLedgerTree: expected seq ${first.seq + i}, got ${e.seq} (a gap or out of order)`);
    }
    if (!isBytes32(e.hash)) throw new Error(`buildLedgerTree: the hash of seq ${e.seq} is not 32-byte hex`);
    return [e.seq, e.hash.toLowerCase()];
  });
  const tree = StandardMerkleTree.of(values, [...LEDGER_LEAF_ENCODING]);
  const positions = new Map<number, number>();
  for (const [i, [seq]] of tree.entries()) positions.set(seq, i);
  return {
    root: tree.root,
    firstSeq: first.seq,
    lastSeq: first.seq + values.length - 1,
    proofFor(seq: number): string[] {
      const position = positions.get(seq);
      if (position === undefined) throw new Error(`buildLedgerTree: seq ${seq} is not in this range`);
      return tree.getProof(position);
    },
    dump: () => tree.dump(),
  };
}

/**
 * Verifies off-chain that event `{ seq, hash }` is in the range whose Merkle root is `root` (what
 * AuditAnchor's `verifyEvent` checks against the anchor covering `seq`). False for a malformed input
 * as for a proof that does not match.
 */
export function verifyLedgerProof(root: string, leaf: LedgerLeaf, proof: readonly string[]): boolean {
  if (!isBytes32(root) || !isSeq(leaf.seq) || !isBytes32(leaf.hash) || !proof.every(isBytes32)) return false;
  return StandardMerkleTree.verify(
    root,
    [...LEDGER_LEAF_ENCODING],
    [leaf.seq, leaf.hash.toLowerCase()],
    [...proof],
  );
}

function checkRange(range: LedgerRange): void {
  if (!isBytes32(range.ledgerId)) throw new Error('anchorLedgerRange: ledgerId is not 32-byte hex');
  if (!isBytes32(range.root)) throw new Error('anchorLedgerRange: root is not 32-byte hex');
  if (!isSeq(range.firstSeq) || !isSeq(range.lastSeq) || range.lastSeq < range.firstSeq) {
    throw new Error(`anchorLedgerRange: invalid range [${range.firstSeq}, ${range.lastSeq}]`);
  }
}

/** The revert of the estimate, decoded with AuditAnchor's errors when it is one of them. */
function describeRevert(error: unknown): string | undefined {
  if (!isError(error, 'CALL_EXCEPTION') || !error.data) return undefined;
  const parsed = AuditAnchor__factory.createInterface().parseError(error.data);
  return parsed ? `${parsed.name}(${parsed.args.map((a: unknown) => String(a)).join(', ')})` : undefined;
}

/**
 * Anchors range [firstSeq, lastSeq] of ledger `ledgerId` with Merkle root `root` in the AuditAnchor
 * at `anchorAddress`, as ONE TxSender operation keyed `idempotencyKey` (e.g. `audit:anchor:<id>`):
 * a re-run with the same key (after a crash, a retry) sends nothing and returns the recorded
 * transaction. The sender's key needs OPERATOR_ROLE; the range must start right after the ledger's
 * last anchored seq (1 for its first anchor). The anchor's index within the ledger is read from the
 * receipt's `RangeAnchored` log. If the contract refuses the range (paused, not contiguous, no role),
 * the estimate reverts and this throws with nothing sent, naming the contract's error when it can.
 */
export async function anchorLedgerRange(
  sender: TxSender,
  anchorAddress: string,
  range: LedgerRange,
  idempotencyKey: string,
): Promise<AnchorLedgerRangeResult> {
  checkRange(range);
  const to = getAddress(anchorAddress);
  const iface = AuditAnchor__factory.createInterface();
  const data = iface.encodeFunctionData('anchor', [
    range.ledgerId,
    range.root,
    range.firstSeq,
    range.lastSeq,
  ]);
  let sent;
  try {
    sent = await sender.send({ idempotencyKey, to, data });
  } catch (error) {
    const reason = describeRevert(error);
    if (reason === undefined) throw error;
    throw new Error(
      `anchorLedgerRange ${idempotencyKey}: AuditAnchor refused [${range.firstSeq}, ${range.lastSeq}] of ledger ${range.ledgerId}: ${reason}`,
      { cause: error },
    );
  }
  for (const log of sent.receipt.logs) {
    if (getAddress(log.address) !== to) continue;
    const parsed = iface.parseLog(log);
    if (parsed?.name !== 'RangeAnchored') continue;
    return {
      txHash: sent.txHash,
      blockNumber: sent.receipt.blockNumber,
      index: Number(parsed.args.index as bigint),
      sentNow: sent.sentNow,
    };
  }
  throw new Error(`anchorLedgerRange ${idempotencyKey}: transaction ${sent.txHash} has no RangeAnchored log`);
}

/** Reads every anchor of ledger `ledgerId` from the AuditAnchor at `anchorAddress`, in order. */
export async function readLedgerAnchors(
  runner: ContractRunner,
  anchorAddress: string,
  ledgerId: string,
): Promise<LedgerAnchor[]> {
  const contract = AuditAnchor__factory.connect(anchorAddress, runner);
  const count = Number(await contract.anchorCount(ledgerId));
  const anchors: LedgerAnchor[] = [];
  const batch = 50; // bounded concurrency: a long-lived ledger may have many anchors
  for (let start = 0; start < count; start += batch) {
    const indexes = Array.from({ length: Math.min(batch, count - start) }, (_, i) => start + i);
    const read = await Promise.all(indexes.map((i) => contract.anchorAt(ledgerId, i)));
    read.forEach((a, i) =>
      anchors.push({
        index: start + i,
        merkleRoot: a.merkleRoot,
        firstSeq: Number(a.firstSeq),
        lastSeq: Number(a.lastSeq),
        anchoredAt: Number(a.anchoredAt),
      }),
    );
  }
  return anchors;
}

/**
 * Asks AuditAnchor's `verifyEvent` whether event `{ seq, hash }` of ledger `ledgerId` is proven by
 * `proof` against the ledger's anchor covering `seq`: false when no anchor of that ledger covers it,
 * the proof does not match, or the input is malformed. RPC failures are thrown.
 */
export async function verifyEventOnChain(
  runner: ContractRunner,
  anchorAddress: string,
  ledgerId: string,
  leaf: LedgerLeaf,
  proof: readonly string[],
): Promise<boolean> {
  if (!isBytes32(ledgerId) || !isSeq(leaf.seq) || !isBytes32(leaf.hash) || !proof.every(isBytes32))
    return false;
  return AuditAnchor__factory.connect(anchorAddress, runner).verifyEvent(ledgerId, leaf.seq, leaf.hash, [
    ...proof,
  ]);
}
