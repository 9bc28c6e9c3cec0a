import { Wallet, verifyTypedData } from 'ethers';
import { describe, expect, it } from 'vitest';

import {
  PUBLICATION_TYPES,
  buildPayoutTree,
  orderSignatures,
  publicationDomain,
  signPublication,
} from '../src/index.js';

describe('payout trees and publication signatures', () => {
  it('builds a tree whose claims carry index, account, amount and proof; total is exact', () => {
    const holders = Array.from({ length: 1000 }, (_, i) => ({
      account: '0x' + (i + 1).toString(16).padStart(40, '0'),
      amount: 1_000_000n * BigInt(i + 1),
    }));
    const tree = buildPayoutTree(holders);
    expect(tree.claims).toHaveLength(1000);
    expect(tree.claims[7]?.index).toBe(7n);
    expect(tree.total).toBe(1_000_000n * 500_500n);
    expect(tree.root).toMatch(/^0x[0-9a-f]{64}$/);
    expect(() => buildPayoutTree([{ account: holders[0]?.account ?? '', amount: -1n }])).toThrow(/negative/);
  });

  it('signs the EIP-712 publication and orders signatures by signer address', async () => {
    const oracles = [Wallet.createRandom(), Wallet.createRandom(), Wallet.createRandom()];
    const publication = {
      distributionId: '0x' + '01'.repeat(32),
      token: '0x' + '02'.repeat(20),
      stablecoin: '0x' + '03'.repeat(20),
      merkleRoot: '0x' + '04'.repeat(32),
      total: 10n,
      recordBlock: 5n,
      claimDeadline: 2_000_000_000n,
    };
    const target = { chainId: 31337n, verifyingContract: '0x' + '05'.repeat(20) };
    const sigs = await signPublication(target, publication, oracles);
    const domain = publicationDomain(target.chainId, target.verifyingContract);
    const signers = sigs.map((s) => verifyTypedData(domain, PUBLICATION_TYPES, publication, s));
    expect(signers.map((a) => BigInt(a))).toEqual(
      [...signers].map((a) => BigInt(a)).sort((a, b) => (a < b ? -1 : 1)),
    );
    const reordered = orderSignatures(
      sigs.map((signature, i) => ({ signer: signers[i] ?? '', signature })).reverse(),
    );
    expect(reordered).toEqual(sigs);
  });
});
