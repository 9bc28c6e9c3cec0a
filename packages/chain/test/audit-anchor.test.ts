// Per-tenant audit ledgers anchored in AuditAnchor on a Hardhat node: two ranges of tenant A and one
// of tenant B, each one keyed TxSender operation (a re-run sends nothing); proofs from buildLedgerTree
// verify on-chain and off-chain, and neither under another ledger nor for an edited event.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type JsonRpcProvider, keccak256, sha256, toUtf8Bytes } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  AuditAnchor__factory,
  InMemoryIdempotencyStore,
  LEDGER_LEAF_ENCODING,
  TxSender,
  anchorLedgerRange,
  buildLedgerTree,
  deployPlatform,
  ledgerIdOf,
  ledgerLeafHash,
  pauseAuditAnchor,
  readLedgerAnchors,
  startHardhatNode,
  verifyEventOnChain,
  verifyLedgerProof,
  type AnchorLedgerRangeResult,
  type HardhatNodeHandle,
  type LedgerLeaf,
  type Manifest,
} from '../src/index.js';
import { DEV_KEYS, provider, wallet } from './helpers.js';

let node: HardhatNodeHandle;
let manifestDir: string;
let manifest: Manifest;
let p: JsonRpcProvider;
let anchorAddress: string;
// The platform key (dev account #0): OPERATOR_ROLE and PAUSER_ROLE holder of a default deployment.
const store = new InMemoryIdempotencyStore();
const operator = () => new TxSender(wallet(0, p), { store, pollIntervalMs: 50 });

/** A tenant's chain hashes (32-byte hex), seq 1..n. */
function ledgerEvents(tenant: string, n: number): LedgerLeaf[] {
  return Array.from({ length: n }, (_, i) => ({
    seq: i + 1,
    hash: sha256(toUtf8Bytes(`${tenant}:${i + 1}`)),
  }));
}

const LEDGER_A = ledgerIdOf('tenant-a');
const LEDGER_B = ledgerIdOf('tenant-b');
const eventsA = ledgerEvents('tenant-a', 11);
const eventsB = ledgerEvents('tenant-b', 4);
const treeA1 = buildLedgerTree(eventsA.slice(0, 6)); // [1, 6]
const treeA2 = buildLedgerTree(eventsA.slice(6)); // [7, 11]
const treeB1 = buildLedgerTree(eventsB); // [1, 4]
let anchoredA1: AnchorLedgerRangeResult;

beforeAll(async () => {
  node = await startHardhatNode({ port: 0 });
  manifestDir = await mkdtemp(join(tmpdir(), 'tranche-audit-anchor-'));
  manifest = await deployPlatform({ rpcUrl: node.rpcUrl, signer: DEV_KEYS[0], manifestDir });
  p = provider(node.rpcUrl);
  anchorAddress = manifest.contracts.auditAnchor.address;
});

afterAll(async () => {
  p?.destroy();
  await node?.stop();
  if (manifestDir) await rm(manifestDir, { recursive: true, force: true });
});

describe('ledger ids and trees (off-chain)', () => {
  it('derives a bytes32 ledger id per tenant, with a domain prefix, byte for byte', () => {
    expect(LEDGER_A).toBe(keccak256(toUtf8Bytes('tranche.audit-ledger:tenant-a')));
    expect(LEDGER_A).toMatch(/^0x[0-9a-f]{64}$/);
    expect(LEDGER_A).not.toBe(LEDGER_B);
    expect(ledgerIdOf('Tenant-A')).not.toBe(LEDGER_A);
    expect(() => ledgerIdOf('')).toThrow(/empty/);
  });

  it('builds a tree over a contiguous range and proves each event off-chain', () => {
    expect([treeA2.firstSeq, treeA2.lastSeq]).toEqual([7, 11]);
    for (const e of eventsA.slice(6))
      expect(verifyLedgerProof(treeA2.root, e, treeA2.proofFor(e.seq))).toBe(true);
    const e3 = eventsA[2]!;
    const proof = treeA1.proofFor(3);
    expect(verifyLedgerProof(treeA1.root, e3, proof)).toBe(true);
    expect(
      verifyLedgerProof(treeA1.root, { seq: 3, hash: e3.hash.toUpperCase().replace('0X', '0x') }, proof),
    ).toBe(true);
    expect(verifyLedgerProof(treeA1.root, { seq: 3, hash: sha256(toUtf8Bytes('edited')) }, proof)).toBe(
      false,
    );
    expect(verifyLedgerProof(treeA1.root, { seq: 4, hash: e3.hash }, proof)).toBe(false);
    expect(verifyLedgerProof(treeB1.root, e3, proof)).toBe(false);
    expect(verifyLedgerProof(treeA1.root, { seq: 3, hash: '0x1234' }, proof)).toBe(false);
    expect(verifyLedgerProof('not a root', e3, proof)).toBe(false);
    expect(() => treeA1.proofFor(7)).toThrow(/not in this range/);
  });

  it('uses the StandardMerkleTree leaf of (uint64 seq, bytes32 hash), dumped in its standard format', () => {
    const dump = treeB1.dump();
    expect(dump.format).toBe('standard-v1');
    expect(dump.leafEncoding).toEqual([...LEDGER_LEAF_ENCODING]);
    expect(dump.values.map((v) => v.value[0]).sort()).toEqual([1, 2, 3, 4]);
    const single = buildLedgerTree([eventsB[0]!]);
    expect(single.root).toBe(ledgerLeafHash(eventsB[0]!));
    expect(single.proofFor(1)).toEqual([]);
  });

  it('refuses an empty range, a gap, a repeat, a seq below 1 and a malformed hash', () => {
    expect(() => buildLedgerTree([])).toThrow(/no events/);
    expect(() => buildLedgerTree([eventsA[0]!, eventsA[2]!])).toThrow(/expected seq 2, got 3/);
    expect(() => buildLedgerTree([eventsA[0]!, eventsA[0]!])).toThrow(/expected seq 2, got 1/);
    expect(() => buildLedgerTree([{ seq: 0, hash: eventsA[0]!.hash }])).toThrow(/invalid seq/);
    expect(() => buildLedgerTree([{ seq: 1, hash: 'ab'.repeat(32) }])).toThrow(/not 32-byte hex/);
  });
});

describe('anchoring ledgers on-chain', () => {
  it('anchors two ranges of tenant A and one of tenant B, each with its own index', async () => {
    anchoredA1 = await anchorLedgerRange(
      operator(),
      anchorAddress,
      { ledgerId: LEDGER_A, root: treeA1.root, firstSeq: 1, lastSeq: 6 },
      'audit:anchor:a1',
    );
    const b1 = await anchorLedgerRange(
      operator(),
      anchorAddress,
      { ledgerId: LEDGER_B, root: treeB1.root, firstSeq: 1, lastSeq: 4 },
      'audit:anchor:b1',
    );
    const a2 = await anchorLedgerRange(
      operator(),
      anchorAddress,
      { ledgerId: LEDGER_A, root: treeA2.root, firstSeq: 7, lastSeq: 11 },
      'audit:anchor:a2',
    );
    expect([anchoredA1.index, b1.index, a2.index]).toEqual([0, 0, 1]);
    expect([anchoredA1.sentNow, b1.sentNow, a2.sentNow]).toEqual([true, true, true]);
    const receipt = await p.getTransactionReceipt(a2.txHash);
    expect(receipt?.blockNumber).toBe(a2.blockNumber);

    const anchorsA = await readLedgerAnchors(p, anchorAddress, LEDGER_A);
    expect(anchorsA.map((a) => [a.index, a.merkleRoot, a.firstSeq, a.lastSeq])).toEqual([
      [0, treeA1.root, 1, 6],
      [1, treeA2.root, 7, 11],
    ]);
    expect(anchorsA[0]!.anchoredAt).toBeGreaterThan(0);
    expect((await readLedgerAnchors(p, anchorAddress, LEDGER_B)).map((a) => a.merkleRoot)).toEqual([
      treeB1.root,
    ]);
    expect(await readLedgerAnchors(p, anchorAddress, ledgerIdOf('tenant-c'))).toEqual([]);
  });

  it('re-running an anchor with the same key sends nothing and returns the recorded transaction', async () => {
    const nonce = await wallet(0, p).getNonce();
    const again = await anchorLedgerRange(
      operator(),
      anchorAddress,
      { ledgerId: LEDGER_A, root: treeA1.root, firstSeq: 1, lastSeq: 6 },
      'audit:anchor:a1',
    );
    expect(again).toEqual({ ...anchoredA1, sentNow: false });
    expect(await wallet(0, p).getNonce()).toBe(nonce);
    expect(await AuditAnchor__factory.connect(anchorAddress, p).anchorCount(LEDGER_A)).toBe(2n);
  });

  it('proofs from buildLedgerTree verify on-chain under their own ledger only; an edited hash fails', async () => {
    for (const e of eventsA) {
      const proof = (e.seq <= 6 ? treeA1 : treeA2).proofFor(e.seq);
      expect(await verifyEventOnChain(p, anchorAddress, LEDGER_A, e, proof)).toBe(true);
    }
    for (const e of eventsB) {
      expect(await verifyEventOnChain(p, anchorAddress, LEDGER_B, e, treeB1.proofFor(e.seq))).toBe(true);
    }
    const e2 = eventsA[1]!;
    const proof = treeA1.proofFor(2);
    // A's proof under B's ledger (whose seq 2 is anchored too), or an unanchored ledger: false.
    expect(await verifyEventOnChain(p, anchorAddress, LEDGER_B, e2, proof)).toBe(false);
    expect(await verifyEventOnChain(p, anchorAddress, ledgerIdOf('tenant-c'), e2, proof)).toBe(false);
    const edited = { seq: 2, hash: sha256(toUtf8Bytes('tenant-a:2 edited')) };
    expect(await verifyEventOnChain(p, anchorAddress, LEDGER_A, edited, proof)).toBe(false);
    expect(verifyLedgerProof(treeA1.root, edited, proof)).toBe(false);
    // Rebuilding the tree over the edited range gives a proof of a root that was never anchored.
    const rebuilt = buildLedgerTree(eventsA.slice(0, 6).map((e) => (e.seq === 2 ? edited : e)));
    expect(rebuilt.root).not.toBe(treeA1.root);
    expect(await verifyEventOnChain(p, anchorAddress, LEDGER_A, edited, rebuilt.proofFor(2))).toBe(false);
    // Not anchored yet, or malformed: false, no revert.
    expect(await verifyEventOnChain(p, anchorAddress, LEDGER_A, { seq: 12, hash: e2.hash }, proof)).toBe(
      false,
    );
    expect(await verifyEventOnChain(p, anchorAddress, 'tenant-a', e2, proof)).toBe(false);
  });

  it("refuses a range that is not contiguous in its ledger, naming the contract's error, with nothing sent", async () => {
    const nonce = await wallet(0, p).getNonce();
    const tree = buildLedgerTree(ledgerEvents('tenant-b', 8).slice(5)); // [6, 8]: 5 is missing
    await expect(
      anchorLedgerRange(
        operator(),
        anchorAddress,
        { ledgerId: LEDGER_B, root: tree.root, firstSeq: 6, lastSeq: 8 },
        'audit:anchor:b-gap',
      ),
    ).rejects.toThrow(new RegExp(`NonContiguousRange\\(${LEDGER_B}, 5, 6\\)`));
    await expect(
      anchorLedgerRange(
        operator(),
        anchorAddress,
        { ledgerId: LEDGER_B, root: tree.root, firstSeq: 8, lastSeq: 6 },
        'audit:anchor:b-inverted',
      ),
    ).rejects.toThrow(/invalid range \[8, 6\]/);
    expect(await wallet(0, p).getNonce()).toBe(nonce);
    expect(await operator().recorded('audit:anchor:b-gap')).toBeUndefined();
  });

  it('refuses to anchor while the AuditAnchor kill switch holds; reads and verification keep working', async () => {
    await pauseAuditAnchor(operator(), 'ks-audit-1', anchorAddress);
    const events = ledgerEvents('tenant-b', 5).slice(4); // [5, 5]
    const tree = buildLedgerTree(events);
    await expect(
      anchorLedgerRange(
        operator(),
        anchorAddress,
        { ledgerId: LEDGER_B, root: tree.root, firstSeq: 5, lastSeq: 5 },
        'audit:anchor:b2',
      ),
    ).rejects.toThrow(/EnforcedPause\(\)/);
    expect(await verifyEventOnChain(p, anchorAddress, LEDGER_B, eventsB[0]!, treeB1.proofFor(1))).toBe(true);
    expect(await readLedgerAnchors(p, anchorAddress, LEDGER_B)).toHaveLength(1);
  });
});
