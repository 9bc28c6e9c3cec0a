// SPDX-License-Identifier: GPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { poolRoot } from '../src/commitment.js';
import { INSTANCES, instanceForPool, LOANS_PER_LEAF, PUBLIC_SIGNALS, TREE_ARITY } from '../src/instances.js';
import { dealIdFromUuid, dealIdToBytes32, decodePublicSignals } from '../src/signals.js';

describe('circuit instances', () => {
  it('picks the smallest instance that holds a pool, and refuses pools over the largest', () => {
    expect(instanceForPool(0).name).toBe('pool16');
    expect(instanceForPool(16).name).toBe('pool16');
    expect(instanceForPool(17).name).toBe('pool64');
    expect(instanceForPool(1024).name).toBe('pool1024');
    expect(() => instanceForPool(4097)).toThrow(RangeError);
  });

  it('declares capacities the commitment tree can take (8 loans per leaf, 16-ary levels, 2..16 at the top)', () => {
    for (const { capacity } of INSTANCES) {
      let n = capacity / LOANS_PER_LEAF;
      expect(Number.isInteger(n) && n >= 2).toBe(true);
      while (n > TREE_ARITY) {
        expect(n % TREE_ARITY).toBe(0);
        n /= TREE_ARITY;
      }
    }
    expect(INSTANCES.filter((i) => i.ci)).toHaveLength(1);
  });

  it('roots of the same loans differ by instance, so the root fixes the tree shape', async () => {
    const leaves = [1n, 2n];
    expect(await poolRoot(leaves)).toBe(await poolRoot(leaves, 16));
    expect(await poolRoot(leaves, 64)).not.toBe(await poolRoot(leaves, 16));
  });
});

describe('public signals', () => {
  it('maps a deal UUID to the left-padded bytes32 the registry uses', () => {
    const id = dealIdFromUuid('1b4e28ba-2fa1-11d2-883f-0016d3cca427');
    expect(dealIdToBytes32(id)).toBe('0x000000000000000000000000000000001b4e28ba2fa111d2883f0016d3cca427');
    expect(() => dealIdFromUuid('not-a-uuid')).toThrow(RangeError);
  });

  it('decodes signals in PUBLIC_SIGNALS order', () => {
    expect(PUBLIC_SIGNALS[2]).toBe('root');
    expect(decodePublicSignals(['5', '202611', '99', '500', '60', '8000', '100'])).toEqual({
      dealId: 5n,
      period: 202611,
      root: 99n,
      thresholds: { maxDelinquencyBps: 500, delinquencyDays: 60, maxWaLtvBps: 8000, minBalance: 100n },
    });
    expect(() => decodePublicSignals(['1'])).toThrow(RangeError);
  });
});
