// Inclusion proofs of ledger events against AuditAnchor roots, checked many at a time: the same
// leaf and node rule as OpenZeppelin's StandardMerkleTree over `(uint64 seq, bytes32 hash)` (what
// AuditAnchor and `verifyLedgerProof` use), with the encoding done by hand and each inner node
// hashed once for all the proofs that share it: a bundle's 1,000 proofs share most of their upper
// nodes, so the page hashes about 2 nodes per event instead of one per proof level.
import { getBytes, hexlify, keccak256 } from 'ethers';

const HEX32 = /^0x[0-9a-fA-F]{64}$/;

/** `keccak256(keccak256(abi.encode(uint64 seq, bytes32 hash)))`, the StandardMerkleTree leaf. */
export function ledgerLeaf(seq: number, hash: string): string {
  const encoded = new Uint8Array(64);
  let n = BigInt(seq);
  for (let i = 31; i >= 24 && n > 0n; i--, n >>= 8n) encoded[i] = Number(n & 0xffn);
  encoded.set(getBytes(hash), 32);
  return keccak256(getBytes(keccak256(encoded)));
}

/** A proof checker whose inner-node hashes are shared across every proof it checks. */
export function ledgerProofChecker(): (
  root: string,
  seq: number,
  hash: string,
  proof: readonly string[],
) => boolean {
  const nodes = new Map<string, string>();
  const pair = (a: string, b: string): string => {
    const [x, y] = a < b ? [a, b] : [b, a];
    const key = x + y.slice(2);
    let node = nodes.get(key);
    if (node === undefined) {
      node = keccak256(key);
      nodes.set(key, node);
    }
    return node;
  };
  return (root, seq, hash, proof) => {
    if (!HEX32.test(root) || !HEX32.test(hash) || !Number.isSafeInteger(seq) || seq < 1) return false;
    if (!proof.every((p) => HEX32.test(p))) return false;
    let node = ledgerLeaf(seq, hash);
    for (const sibling of proof) node = pair(node, hexlify(getBytes(sibling)));
    return node === hexlify(getBytes(root));
  };
}
