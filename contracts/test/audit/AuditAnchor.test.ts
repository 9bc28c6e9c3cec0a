import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { expect } from 'chai';
import { network } from 'hardhat';

const { ethers, networkHelpers } = await network.create();

const OPERATOR_ROLE = ethers.id('OPERATOR_ROLE');
const PAUSER_ROLE = ethers.id('PAUSER_ROLE');
const ROOT = ethers.id('audit range root');
// Opaque ledger ids: the platform passes keccak256 of the tenant id.
const LEDGER_A = ethers.id('tenant-a');
const LEDGER_B = ethers.id('tenant-b');

/** A ledger's event chain hashes (32-byte hex), seq 1..n. */
function chainHashes(label: string, n: number): { seq: number; hash: string }[] {
  return Array.from({ length: n }, (_, i) => ({
    seq: i + 1,
    hash: ethers.sha256(ethers.toUtf8Bytes(`${label}:${i + 1}`)),
  }));
}

/** The StandardMerkleTree of (uint64 seq, bytes32 hash) leaves of a range. */
function rangeTree(events: { seq: number; hash: string }[]) {
  return StandardMerkleTree.of(
    events.map((e) => [e.seq, e.hash]),
    ['uint64', 'bytes32'],
  );
}

function proofOf(tree: ReturnType<typeof rangeTree>, seq: number): string[] {
  for (const [i, [s]] of tree.entries()) if (Number(s) === seq) return tree.getProof(i);
  throw new Error(`seq ${seq} not in tree`);
}

async function deployAnchor() {
  const [admin, writer, pauser, stranger] = await ethers.getSigners();
  const anchor = await ethers.deployContract('AuditAnchor', [admin.address]);
  await anchor.grantRole(OPERATOR_ROLE, writer.address);
  await anchor.grantRole(PAUSER_ROLE, pauser.address);
  return { anchor, admin, writer, pauser, stranger };
}

describe('AuditAnchor', function () {
  it('anchors contiguous ranges of a ledger from 1 and emits RangeAnchored', async function () {
    const { anchor, writer } = await networkHelpers.loadFixture(deployAnchor);
    expect(await anchor.lastAnchoredSeq(LEDGER_A)).to.equal(0n);
    await expect(anchor.connect(writer).anchor(LEDGER_A, ROOT, 1, 100))
      .to.emit(anchor, 'RangeAnchored')
      .withArgs(LEDGER_A, 0, ROOT, 1, 100);
    await anchor.connect(writer).anchor(LEDGER_A, ethers.id('r2'), 101, 101);
    await expect(anchor.connect(writer).anchor(LEDGER_A, ethers.id('r3'), 102, 250))
      .to.emit(anchor, 'RangeAnchored')
      .withArgs(LEDGER_A, 2, ethers.id('r3'), 102, 250);
    expect(await anchor.anchorCount(LEDGER_A)).to.equal(3n);
    expect(await anchor.lastAnchoredSeq(LEDGER_A)).to.equal(250n);
    const second = await anchor.anchorAt(LEDGER_A, 1);
    expect(second.merkleRoot).to.equal(ethers.id('r2'));
    expect(second.firstSeq).to.equal(101n);
    expect(second.lastSeq).to.equal(101n);
    expect(second.anchoredAt).to.be.greaterThan(0n);
  });

  it('anchors two ledgers independently, each contiguous from 1', async function () {
    const { anchor, writer } = await networkHelpers.loadFixture(deployAnchor);
    const a = anchor.connect(writer);
    await a.anchor(LEDGER_A, ethers.id('a0'), 1, 10);
    // B starts at 1 whatever A has anchored, and its indexes count from 0.
    await expect(a.anchor(LEDGER_B, ethers.id('b0'), 1, 3))
      .to.emit(anchor, 'RangeAnchored')
      .withArgs(LEDGER_B, 0, ethers.id('b0'), 1, 3);
    await expect(a.anchor(LEDGER_B, ethers.id('bX'), 11, 12))
      .to.be.revertedWithCustomError(anchor, 'NonContiguousRange')
      .withArgs(LEDGER_B, 4, 11);
    await a.anchor(LEDGER_A, ethers.id('a1'), 11, 20);
    await a.anchor(LEDGER_B, ethers.id('b1'), 4, 4);
    expect(await anchor.anchorCount(LEDGER_A)).to.equal(2n);
    expect(await anchor.anchorCount(LEDGER_B)).to.equal(2n);
    expect(await anchor.lastAnchoredSeq(LEDGER_A)).to.equal(20n);
    expect(await anchor.lastAnchoredSeq(LEDGER_B)).to.equal(4n);
    const [indexA, foundA] = await anchor.anchorOf(LEDGER_A, 2);
    const [indexB, foundB] = await anchor.anchorOf(LEDGER_B, 2);
    expect([indexA, foundA.merkleRoot]).to.deep.equal([0n, ethers.id('a0')]);
    expect([indexB, foundB.merkleRoot]).to.deep.equal([0n, ethers.id('b0')]);
    await expect(anchor.anchorOf(LEDGER_B, 5))
      .to.be.revertedWithCustomError(anchor, 'SequenceNotAnchored')
      .withArgs(LEDGER_B, 5);
  });

  it('finds the anchor covering any sequence number of a ledger', async function () {
    const { anchor, writer } = await networkHelpers.loadFixture(deployAnchor);
    const ranges: [number, number][] = [
      [1, 9],
      [10, 10],
      [11, 40],
      [41, 41],
      [42, 90],
    ];
    for (const [i, [first, last]] of ranges.entries()) {
      await anchor.connect(writer).anchor(LEDGER_A, ethers.id(`r${i}`), first, last);
    }
    for (const [i, [first, last]] of ranges.entries()) {
      for (const seq of [first, last]) {
        const [index, found] = await anchor.anchorOf(LEDGER_A, seq);
        expect(index).to.equal(BigInt(i));
        expect(found.merkleRoot).to.equal(ethers.id(`r${i}`));
      }
    }
    for (const seq of [0, 91]) {
      await expect(anchor.anchorOf(LEDGER_A, seq))
        .to.be.revertedWithCustomError(anchor, 'SequenceNotAnchored')
        .withArgs(LEDGER_A, seq);
    }
  });

  it('reverts queries of a ledger before any anchor and for unknown indexes', async function () {
    const { anchor, writer } = await networkHelpers.loadFixture(deployAnchor);
    await anchor.connect(writer).anchor(LEDGER_A, ROOT, 1, 5);
    expect(await anchor.anchorCount(LEDGER_B)).to.equal(0n);
    expect(await anchor.lastAnchoredSeq(LEDGER_B)).to.equal(0n);
    await expect(anchor.anchorOf(LEDGER_B, 1))
      .to.be.revertedWithCustomError(anchor, 'SequenceNotAnchored')
      .withArgs(LEDGER_B, 1);
    await expect(anchor.anchorAt(LEDGER_B, 0))
      .to.be.revertedWithCustomError(anchor, 'AnchorNotFound')
      .withArgs(LEDGER_B, 0);
    await expect(anchor.anchorAt(LEDGER_A, 1))
      .to.be.revertedWithCustomError(anchor, 'AnchorNotFound')
      .withArgs(LEDGER_A, 1);
  });

  it('rejects a zero ledger id, a zero root, an inverted range, a first range not at 1, gaps and overlaps', async function () {
    const { anchor, writer } = await networkHelpers.loadFixture(deployAnchor);
    const a = anchor.connect(writer);
    await expect(a.anchor(ethers.ZeroHash, ROOT, 1, 2)).to.be.revertedWithCustomError(anchor, 'ZeroLedgerId');
    await expect(a.anchor(LEDGER_A, ethers.ZeroHash, 1, 2))
      .to.be.revertedWithCustomError(anchor, 'ZeroMerkleRoot')
      .withArgs(LEDGER_A);
    await expect(a.anchor(LEDGER_A, ROOT, 5, 4))
      .to.be.revertedWithCustomError(anchor, 'InvalidRange')
      .withArgs(LEDGER_A, 5, 4);
    await expect(a.anchor(LEDGER_A, ROOT, 2, 4))
      .to.be.revertedWithCustomError(anchor, 'NonContiguousRange')
      .withArgs(LEDGER_A, 1, 2);
    await expect(a.anchor(LEDGER_A, ROOT, 0, 4))
      .to.be.revertedWithCustomError(anchor, 'NonContiguousRange')
      .withArgs(LEDGER_A, 1, 0);
    await a.anchor(LEDGER_A, ROOT, 1, 10);
    await expect(a.anchor(LEDGER_A, ROOT, 12, 20))
      .to.be.revertedWithCustomError(anchor, 'NonContiguousRange')
      .withArgs(LEDGER_A, 11, 12);
    await expect(a.anchor(LEDGER_A, ROOT, 10, 20))
      .to.be.revertedWithCustomError(anchor, 'NonContiguousRange')
      .withArgs(LEDGER_A, 11, 10);
  });

  describe('verifyEvent', function () {
    async function anchoredLedgers() {
      const fixture = await deployAnchor();
      const a = fixture.anchor.connect(fixture.writer);
      const eventsA = chainHashes('A', 12);
      const eventsB = chainHashes('B', 5);
      // A: two ranges [1, 7] and [8, 12]; B: one range [1, 5].
      const a1 = rangeTree(eventsA.slice(0, 7));
      const a2 = rangeTree(eventsA.slice(7));
      const b1 = rangeTree(eventsB);
      await a.anchor(LEDGER_A, a1.root, 1, 7);
      await a.anchor(LEDGER_A, a2.root, 8, 12);
      await a.anchor(LEDGER_B, b1.root, 1, 5);
      return { ...fixture, eventsA, eventsB, a1, a2, b1 };
    }

    it("verifies every event of a ledger against the anchor covering it, with the contract's leaf encoding", async function () {
      const { anchor, eventsA, eventsB, a1, a2, b1 } = await networkHelpers.loadFixture(anchoredLedgers);
      for (const e of eventsA) {
        const proof = proofOf(e.seq <= 7 ? a1 : a2, e.seq);
        expect(await anchor.verifyEvent(LEDGER_A, e.seq, e.hash, proof)).to.equal(true);
      }
      for (const e of eventsB) {
        expect(await anchor.verifyEvent(LEDGER_B, e.seq, e.hash, proofOf(b1, e.seq))).to.equal(true);
      }
      const first = eventsA[0]!;
      expect(await anchor.ledgerLeaf(first.seq, first.hash)).to.equal(a1.leafHash([first.seq, first.hash]));
    });

    it("does not verify ledger A's proof under ledger B, nor an edited hash, a wrong seq or a wrong range's proof", async function () {
      const { anchor, eventsA, a1, a2 } = await networkHelpers.loadFixture(anchoredLedgers);
      const e = eventsA[2]!; // seq 3, in A's first range
      const proof = proofOf(a1, e.seq);
      expect(await anchor.verifyEvent(LEDGER_A, e.seq, e.hash, proof)).to.equal(true);
      expect(await anchor.verifyEvent(LEDGER_B, e.seq, e.hash, proof)).to.equal(false);
      const edited = ethers.sha256(ethers.toUtf8Bytes('A:3 edited'));
      expect(await anchor.verifyEvent(LEDGER_A, e.seq, edited, proof)).to.equal(false);
      expect(await anchor.verifyEvent(LEDGER_A, 4, e.hash, proof)).to.equal(false);
      // seq 9 is in A's second range: the first range's proof does not verify there.
      expect(await anchor.verifyEvent(LEDGER_A, 9, eventsA[8]!.hash, proofOf(a1, 3))).to.equal(false);
      expect(await anchor.verifyEvent(LEDGER_A, 9, eventsA[8]!.hash, proofOf(a2, 9))).to.equal(true);
    });

    it('is false, without reverting, for a sequence number or a ledger not anchored', async function () {
      const { anchor, eventsA, a1 } = await networkHelpers.loadFixture(anchoredLedgers);
      const e = eventsA[0]!;
      const proof = proofOf(a1, e.seq);
      expect(await anchor.verifyEvent(ethers.id('tenant-c'), e.seq, e.hash, proof)).to.equal(false);
      expect(await anchor.verifyEvent(LEDGER_A, 13, e.hash, proof)).to.equal(false);
      expect(await anchor.verifyEvent(LEDGER_A, 0, e.hash, proof)).to.equal(false);
    });

    it('verifies a single-event range with an empty proof', async function () {
      const { anchor, writer } = await networkHelpers.loadFixture(deployAnchor);
      const [only] = chainHashes('solo', 1);
      const tree = rangeTree([only!]);
      await anchor.connect(writer).anchor(LEDGER_A, tree.root, 1, 1);
      expect(proofOf(tree, 1)).to.deep.equal([]);
      expect(await anchor.verifyEvent(LEDGER_A, 1, only!.hash, [])).to.equal(true);
      expect(await anchor.verifyEvent(LEDGER_B, 1, only!.hash, [])).to.equal(false);
    });
  });

  it('is restricted to OPERATOR_ROLE and stopped by the kill switch; reads keep working while paused', async function () {
    const { anchor, admin, writer, pauser, stranger } = await networkHelpers.loadFixture(deployAnchor);
    await expect(anchor.connect(stranger).anchor(LEDGER_A, ROOT, 1, 1))
      .to.be.revertedWithCustomError(anchor, 'AccessControlUnauthorizedAccount')
      .withArgs(stranger.address, OPERATOR_ROLE);
    await expect(anchor.connect(stranger).pause())
      .to.be.revertedWithCustomError(anchor, 'AccessControlUnauthorizedAccount')
      .withArgs(stranger.address, PAUSER_ROLE);
    const [only] = chainHashes('paused', 1);
    const tree = rangeTree([only!]);
    await anchor.connect(writer).anchor(LEDGER_B, tree.root, 1, 1);
    await expect(anchor.connect(pauser).pause()).to.emit(anchor, 'Paused');
    await expect(anchor.connect(writer).anchor(LEDGER_A, ROOT, 1, 1)).to.be.revertedWithCustomError(
      anchor,
      'EnforcedPause',
    );
    expect(await anchor.verifyEvent(LEDGER_B, 1, only!.hash, [])).to.equal(true);
    expect(await anchor.lastAnchoredSeq(LEDGER_B)).to.equal(1n);
    await expect(anchor.connect(pauser).unpause())
      .to.be.revertedWithCustomError(anchor, 'AccessControlUnauthorizedAccount')
      .withArgs(pauser.address, ethers.ZeroHash);
    await anchor.connect(admin).unpause();
    await anchor.connect(writer).anchor(LEDGER_A, ROOT, 1, 1);
  });
});
