import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import type { Signer, TypedDataDomain } from 'ethers';

/** Leaf encoding of payouts, shared with DistributionManager: (index, account, amount). */
export const PAYOUT_LEAF_ENCODING = ['uint256', 'address', 'uint256'] as const;

/** A holder's payout in stablecoin minor units (6 decimals for USDC-like coins). */
export interface PayoutInput {
  account: string;
  amount: bigint;
}

/** A payout with its leaf index and Merkle proof: the arguments of `claim`/`claimFor`/`batchClaimFor`. */
export interface PayoutClaim {
  index: bigint;
  account: string;
  amount: bigint;
  proof: string[];
}

export interface PayoutTree {
  root: string;
  total: bigint;
  claims: PayoutClaim[];
  /** the OpenZeppelin tree dump, to store and reload with `StandardMerkleTree.load` */
  dump: ReturnType<StandardMerkleTree<[bigint, string, bigint]>['dump']>;
}

/**
 * Builds the Merkle tree of a distribution's payouts (OpenZeppelin StandardMerkleTree, leaves
 * `(index, account, amount)` with index = position in `payouts`). Zero amounts are kept so indexes stay
 * stable. Throws on a negative amount. O(n log n); 10,000 holders take well under a second.
 */
export function buildPayoutTree(payouts: PayoutInput[]): PayoutTree {
  const values: [bigint, string, bigint][] = payouts.map((p, i) => {
    if (p.amount < 0n) throw new Error(`payout ${i} has a negative amount`);
    return [BigInt(i), p.account, p.amount];
  });
  const tree = StandardMerkleTree.of(values, [...PAYOUT_LEAF_ENCODING]);
  const claims: PayoutClaim[] = [];
  for (const [i, [index, account, amount]] of tree.entries()) {
    claims.push({ index, account, amount, proof: tree.getProof(i) });
  }
  claims.sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0));
  return { root: tree.root, total: values.reduce((s, [, , a]) => s + a, 0n), claims, dump: tree.dump() };
}

/**
 * The root and total of the payouts' tree without the proofs (what a preview and an oracle need):
 * the same tree as {@link buildPayoutTree}, several times faster for large distributions.
 */
export function payoutRoot(payouts: PayoutInput[]): { root: string; total: bigint } {
  const values: [bigint, string, bigint][] = payouts.map((p, i) => {
    if (p.amount < 0n) throw new Error(`payout ${i} has a negative amount`);
    return [BigInt(i), p.account, p.amount];
  });
  const tree = StandardMerkleTree.of(values, [...PAYOUT_LEAF_ENCODING]);
  return { root: tree.root, total: values.reduce((s, [, , a]) => s + a, 0n) };
}

/** The fields the oracles sign (EIP-712 `Publication` of DistributionManager). */
export interface Publication {
  distributionId: string;
  token: string;
  stablecoin: string;
  merkleRoot: string;
  total: bigint;
  recordBlock: bigint;
  claimDeadline: bigint;
}

export const PUBLICATION_TYPES = {
  Publication: [
    { name: 'distributionId', type: 'bytes32' },
    { name: 'token', type: 'address' },
    { name: 'stablecoin', type: 'address' },
    { name: 'merkleRoot', type: 'bytes32' },
    { name: 'total', type: 'uint256' },
    { name: 'recordBlock', type: 'uint64' },
    { name: 'claimDeadline', type: 'uint64' },
  ],
};

/** EIP-712 domain of a DistributionManager deployment. */
export function publicationDomain(chainId: bigint | number, verifyingContract: string): TypedDataDomain {
  return { name: 'Tranche DistributionManager', version: '1', chainId, verifyingContract };
}

/**
 * Has every oracle sign `publication` and returns the signatures ordered by ascending signer address,
 * as `DistributionManager.publish` requires. Each oracle signs independently (its own service in
 * production, after recomputing the payouts); this helper is for tests and local runs.
 */
export async function signPublication(
  target: { chainId: bigint | number; verifyingContract: string },
  publication: Publication,
  oracles: Signer[],
): Promise<string[]> {
  const domain = publicationDomain(target.chainId, target.verifyingContract);
  const signed = await Promise.all(
    oracles.map(async (o) => ({
      address: BigInt(await o.getAddress()),
      signature: await o.signTypedData(domain, PUBLICATION_TYPES, publication),
    })),
  );
  signed.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return signed.map((s) => s.signature);
}

/** Orders independently collected oracle signatures by signer address (for `publish`). */
export function orderSignatures(signatures: { signer: string; signature: string }[]): string[] {
  return [...signatures]
    .sort((a, b) => (BigInt(a.signer) < BigInt(b.signer) ? -1 : BigInt(a.signer) > BigInt(b.signer) ? 1 : 0))
    .map((s) => s.signature);
}
