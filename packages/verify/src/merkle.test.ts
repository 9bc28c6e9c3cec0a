import { buildLedgerTree, verifyLedgerProof } from '@tranche/chain';
import { keccak256, toUtf8Bytes } from 'ethers';
import { describe, expect, it } from 'vitest';
import { ledgerProofChecker } from './merkle.js';

const leaves = Array.from({ length: 37 }, (_, i) => ({
  seq: 100 + i,
  hash: keccak256(toUtf8Bytes(`event ${i}`)),
}));

describe('ledger inclusion proofs, many at a time', () => {
  it('accepts exactly what OpenZeppelin’s StandardMerkleTree (verifyLedgerProof) accepts', () => {
    const tree = buildLedgerTree(leaves);
    const check = ledgerProofChecker();
    for (const leaf of leaves) {
      const proof = tree.proofFor(leaf.seq);
      expect(verifyLedgerProof(tree.root, leaf, proof)).toBe(true);
      expect(check(tree.root, leaf.seq, leaf.hash, proof)).toBe(true);
      expect(check(tree.root.toUpperCase().replace('0X', '0x'), leaf.seq, leaf.hash, proof)).toBe(true);
    }
  });

  it('refuses another seq, another hash, an altered sibling, another root and malformed input', () => {
    const tree = buildLedgerTree(leaves);
    const check = ledgerProofChecker();
    const [a, b] = leaves;
    const proof = tree.proofFor(a!.seq);
    expect(check(tree.root, a!.seq + 1, a!.hash, proof)).toBe(false);
    expect(check(tree.root, a!.seq, b!.hash, proof)).toBe(false);
    expect(check(tree.root, a!.seq, a!.hash, [keccak256('0x01'), ...proof.slice(1)])).toBe(false);
    expect(check(keccak256('0x02'), a!.seq, a!.hash, proof)).toBe(false);
    expect(check(tree.root, 0, a!.hash, proof)).toBe(false);
    expect(check(tree.root, a!.seq, '0x1234', proof)).toBe(false);
    expect(check(tree.root, a!.seq, a!.hash, ['nope'])).toBe(false);
  });
});
