import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import type { BaseContract, Signer } from 'ethers';

/** One payout leaf: (index, account, amount in stablecoin minor units). */
export type Payout = [index: bigint, account: string, amount: bigint];

export const LEAF_ENCODING = ['uint256', 'address', 'uint256'];

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

export function payoutTree(payouts: Payout[]): StandardMerkleTree<Payout> {
  return StandardMerkleTree.of(payouts, LEAF_ENCODING);
}

/** Signs `publication` with every oracle and returns the signatures ordered by ascending signer address. */
export async function signPublication(
  manager: BaseContract,
  oracles: Signer[],
  publication: Publication,
  chainId: bigint,
): Promise<string[]> {
  const domain = {
    name: 'Tranche DistributionManager',
    version: '1',
    chainId,
    verifyingContract: await manager.getAddress(),
  };
  const signed = await Promise.all(
    oracles.map(async (o) => ({
      address: (await o.getAddress()).toLowerCase(),
      signature: await o.signTypedData(domain, PUBLICATION_TYPES, publication),
    })),
  );
  signed.sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
  return signed.map((s) => s.signature);
}
