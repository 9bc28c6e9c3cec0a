// Test helpers over the chain library's payout code (one source of truth for leaves and signatures).
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import {
  PAYOUT_LEAF_ENCODING,
  PUBLICATION_TYPES,
  type Publication,
  signPublication as signWithLibrary,
} from '@tranche/chain';
import type { BaseContract, Signer } from 'ethers';

export { PUBLICATION_TYPES, type Publication };

/** One payout leaf: (index, account, amount in stablecoin minor units). */
export type Payout = [index: bigint, account: string, amount: bigint];

/** A tree over explicit leaves (tests also build trees the library would refuse, e.g. over-total). */
export function payoutTree(payouts: Payout[]): StandardMerkleTree<Payout> {
  return StandardMerkleTree.of(payouts, [...PAYOUT_LEAF_ENCODING]);
}

/** Signs `publication` with every oracle; signatures ordered by ascending signer address. */
export async function signPublication(
  manager: BaseContract,
  oracles: Signer[],
  publication: Publication,
  chainId: bigint,
): Promise<string[]> {
  return signWithLibrary({ chainId, verifyingContract: await manager.getAddress() }, publication, oracles);
}
