// SPDX-License-Identifier: GPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { getPoseidon, treeRoot } from '../src/commitment.js';
import {
  commitmentCapacity,
  poolCommitment,
  poolCommitmentSync,
  randomSalt,
  randomSalts,
  FIELD_ORDER,
} from '../src/index.js';

describe('poolCommitment', () => {
  it('computes in worker processes the same root as on the calling thread', async () => {
    const loans = Array.from({ length: 203 }, (_, i) => ({
      balance: BigInt(100_000 + i * 17),
      ltvBps: 6000 + (i % 40) * 50,
      daysDelinquent: i % 7 === 0 ? 45 : 0,
    }));
    const salts = loans.map(() => randomSalt());
    const [parallel, sync] = await Promise.all([
      poolCommitment(loans, salts, { threads: 3 }),
      poolCommitmentSync(loans, salts),
    ]);
    expect(parallel.root).toBe(sync.root);
    expect(parallel.capacity).toBe(256);
    const changed = [...salts];
    changed[150] = changed[150]! ^ 1n;
    expect((await poolCommitment(loans, changed, { threads: 2 })).root).not.toBe(sync.root);
  }, 60_000);

  it('names an out-of-range loan by its place in the whole pool', async () => {
    const loans = Array.from({ length: 40 }, () => ({ balance: 1n, ltvBps: 100, daysDelinquent: 0 }));
    loans[33] = { balance: 1n, ltvBps: 70_000, daysDelinquent: 0 };
    await expect(
      poolCommitment(
        loans,
        loans.map(() => 1n),
        { threads: 2 },
      ),
    ).rejects.toThrow(/loans\[33\]\.ltvBps/);
  }, 60_000);

  it('commits a pool larger than every instance at the capacity its instance would have', () => {
    expect(commitmentCapacity(16)).toBe(16);
    expect(commitmentCapacity(1025)).toBe(4096);
    expect(commitmentCapacity(4097)).toBe(16_384);
    expect(commitmentCapacity(100_000)).toBe(262_144);
  });

  it('hashes the padding once per level and gets the same root as hashing every group', async () => {
    const poseidon = await getPoseidon();
    const leaves = Array.from({ length: 37 }, (_, i) => BigInt(i + 1) * 1_000_003n);
    const naive = (capacity: number) => {
      let level = [...leaves];
      const emptyLeaf = poseidon.F.toObject(poseidon(new Array<bigint>(16).fill(0n)));
      while (level.length < capacity / 8) level.push(emptyLeaf);
      while (level.length > 16) {
        const next: bigint[] = [];
        for (let i = 0; i < level.length; i += 16)
          next.push(poseidon.F.toObject(poseidon(level.slice(i, i + 16))));
        level = next;
      }
      return poseidon.F.toObject(poseidon(level));
    };
    for (const capacity of [4096, 16_384]) expect(treeRoot(poseidon, leaves, capacity)).toBe(naive(capacity));
  }, 60_000);

  it('draws salts below 2^248, all different', () => {
    const salts = randomSalts(5000);
    expect(new Set(salts).size).toBe(5000);
    expect(salts.every((s) => s >= 0n && s < 1n << 248n && s < FIELD_ORDER)).toBe(true);
  });
});
