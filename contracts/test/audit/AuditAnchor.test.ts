import { expect } from 'chai';
import { network } from 'hardhat';

const { ethers, networkHelpers } = await network.create();

const OPERATOR_ROLE = ethers.id('OPERATOR_ROLE');
const PAUSER_ROLE = ethers.id('PAUSER_ROLE');
const ROOT = ethers.id('audit range root');

async function deployAnchor() {
  const [admin, writer, pauser, stranger] = await ethers.getSigners();
  const anchor = await ethers.deployContract('AuditAnchor', [admin.address]);
  await anchor.grantRole(OPERATOR_ROLE, writer.address);
  await anchor.grantRole(PAUSER_ROLE, pauser.address);
  return { anchor, admin, writer, pauser, stranger };
}

describe('AuditAnchor', function () {
  it('anchors contiguous ranges and emits RangeAnchored', async function () {
    const { anchor, writer } = await networkHelpers.loadFixture(deployAnchor);
    await expect(anchor.connect(writer).anchor(ROOT, 1, 100))
      .to.emit(anchor, 'RangeAnchored')
      .withArgs(0, ROOT, 1, 100);
    await anchor.connect(writer).anchor(ethers.id('r2'), 101, 101);
    await anchor.connect(writer).anchor(ethers.id('r3'), 102, 250);
    expect(await anchor.anchorCount()).to.equal(3n);
    expect(await anchor.lastAnchoredSeq()).to.equal(250n);
    const second = await anchor.anchorAt(1);
    expect(second.merkleRoot).to.equal(ethers.id('r2'));
    expect(second.anchoredAt).to.be.greaterThan(0n);
  });

  it('finds the anchor covering any sequence number', async function () {
    const { anchor, writer } = await networkHelpers.loadFixture(deployAnchor);
    const ranges: [number, number][] = [
      [5, 9],
      [10, 10],
      [11, 40],
      [41, 41],
      [42, 90],
    ];
    for (const [i, [first, last]] of ranges.entries()) {
      await anchor.connect(writer).anchor(ethers.id(`r${i}`), first, last);
    }
    for (const [i, [first, last]] of ranges.entries()) {
      for (const seq of [first, last]) {
        const [index, found] = await anchor.anchorOf(seq);
        expect(index).to.equal(BigInt(i));
        expect(found.merkleRoot).to.equal(ethers.id(`r${i}`));
      }
    }
    for (const seq of [4, 91]) {
      await expect(anchor.anchorOf(seq))
        .to.be.revertedWithCustomError(anchor, 'SequenceNotAnchored')
        .withArgs(seq);
    }
  });

  it('reverts queries before any anchor and for unknown indexes', async function () {
    const { anchor } = await networkHelpers.loadFixture(deployAnchor);
    await expect(anchor.anchorOf(1)).to.be.revertedWithCustomError(anchor, 'SequenceNotAnchored').withArgs(1);
    await expect(anchor.lastAnchoredSeq())
      .to.be.revertedWithCustomError(anchor, 'SequenceNotAnchored')
      .withArgs(0);
    await expect(anchor.anchorAt(0)).to.be.revertedWithCustomError(anchor, 'AnchorNotFound').withArgs(0);
  });

  it('rejects a zero root, an inverted range and gaps or overlaps', async function () {
    const { anchor, writer } = await networkHelpers.loadFixture(deployAnchor);
    const a = anchor.connect(writer);
    await expect(a.anchor(ethers.ZeroHash, 1, 2)).to.be.revertedWithCustomError(anchor, 'ZeroMerkleRoot');
    await expect(a.anchor(ROOT, 5, 4))
      .to.be.revertedWithCustomError(anchor, 'InvalidRange')
      .withArgs(5, 4);
    await a.anchor(ROOT, 1, 10);
    await expect(a.anchor(ROOT, 12, 20))
      .to.be.revertedWithCustomError(anchor, 'NonContiguousRange')
      .withArgs(11, 12);
    await expect(a.anchor(ROOT, 10, 20))
      .to.be.revertedWithCustomError(anchor, 'NonContiguousRange')
      .withArgs(11, 10);
  });

  it('is restricted to OPERATOR_ROLE and stopped by the kill switch', async function () {
    const { anchor, admin, writer, pauser, stranger } = await networkHelpers.loadFixture(deployAnchor);
    await expect(anchor.connect(stranger).anchor(ROOT, 1, 1))
      .to.be.revertedWithCustomError(anchor, 'AccessControlUnauthorizedAccount')
      .withArgs(stranger.address, OPERATOR_ROLE);
    await expect(anchor.connect(stranger).pause())
      .to.be.revertedWithCustomError(anchor, 'AccessControlUnauthorizedAccount')
      .withArgs(stranger.address, PAUSER_ROLE);
    await expect(anchor.connect(pauser).pause()).to.emit(anchor, 'Paused');
    await expect(anchor.connect(writer).anchor(ROOT, 1, 1)).to.be.revertedWithCustomError(
      anchor,
      'EnforcedPause',
    );
    await expect(anchor.connect(pauser).unpause())
      .to.be.revertedWithCustomError(anchor, 'AccessControlUnauthorizedAccount')
      .withArgs(pauser.address, ethers.ZeroHash);
    await anchor.connect(admin).unpause();
    await anchor.connect(writer).anchor(ROOT, 1, 1);
  });
});
