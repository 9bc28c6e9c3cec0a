// SPDX-License-Identifier: GPL-3.0-or-later
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { committedVerificationKey } from '../src/artifacts.js';
import { poolLeaves, poolRoot } from '../src/commitment.js';
import { PUBLIC_SIGNALS } from '../src/instances.js';
import {
  CovenantNotMetError,
  provePoolAttestation,
  type PoolAttestation,
  type ProveProgress,
} from '../src/prove.js';
import { decodePublicSignals, type CovenantThresholds } from '../src/statements.js';
import { releaseCurve, toVerifierCalldata, verifyPoolAttestation } from '../src/verify.js';
import { IDS, randomPool, SMALLEST } from './helpers.js';

const pool = randomPool(12, 42);
const thresholds: CovenantThresholds = {
  maxDelinquencyBps: 10_000,
  delinquencyDays: 60,
  maxWaLtvBps: 9_500,
  minBalance: 1_000n,
};
const vkey = committedVerificationKey(SMALLEST);

let attestation: PoolAttestation;
const progress: ProveProgress[] = [];
let ticksWhileProving = 0;

beforeAll(async () => {
  const ticker = setInterval(() => ticksWhileProving++, 5);
  try {
    attestation = await provePoolAttestation(pool.loans, pool.salts, thresholds, IDS, {
      onProgress: (p) => progress.push(p),
    });
  } finally {
    clearInterval(ticker);
  }
});
afterAll(releaseCurve);

describe('provePoolAttestation / verifyPoolAttestation (Node round trip, smallest instance)', () => {
  it('proves in a worker thread, keeping the event loop free and reporting progress', () => {
    expect(attestation.instance.name).toBe('pool16');
    expect(ticksWhileProving).toBeGreaterThan(0);
    expect(progress.map((p) => p.stage)).toContain('witness');
    expect(progress.at(-1)?.stage).toBe('done');
  });

  it('binds deal, period, anchored root and thresholds as public signals', async () => {
    const root = await poolRoot(await poolLeaves(pool.loans, pool.salts));
    expect(attestation.root).toBe(root);
    expect(decodePublicSignals(attestation.publicSignals)).toEqual({
      dealId: IDS.dealId,
      period: IDS.period,
      root,
      thresholds,
    });
  });

  it('verifies against the committed verification key', async () => {
    expect(await verifyPoolAttestation(vkey, attestation.proof, attestation.publicSignals)).toBe(true);
  });

  it('fails when any public signal is tampered with', async () => {
    for (let i = 0; i < PUBLIC_SIGNALS.length; i++) {
      const tampered = [...attestation.publicSignals];
      tampered[i] = (BigInt(tampered[i] ?? '0') + 1n).toString();
      expect(await verifyPoolAttestation(vkey, attestation.proof, tampered), PUBLIC_SIGNALS[i]).toBe(false);
    }
  });

  it('fails for a tampered proof and for the wrong number of signals', async () => {
    const proof = { ...attestation.proof, pi_a: [...attestation.proof.pi_a] };
    proof.pi_a[0] = (BigInt(proof.pi_a[0] ?? '0') + 1n).toString();
    expect(await verifyPoolAttestation(vkey, proof, attestation.publicSignals)).toBe(false);
    expect(await verifyPoolAttestation(vkey, attestation.proof, attestation.publicSignals.slice(1))).toBe(
      false,
    );
  });

  it('encodes calldata for the Solidity verifier (G2 coordinates swapped)', () => {
    const cd = toVerifierCalldata(attestation.proof, attestation.publicSignals);
    expect(cd.pubSignals).toHaveLength(PUBLIC_SIGNALS.length);
    expect(cd.pB[0][0]).toBe(BigInt(attestation.proof.pi_b[0]?.[1] ?? -1));
    expect(cd.pA[0]).toBe(BigInt(attestation.proof.pi_a[0] ?? -1));
  });

  it('refuses to prove a pool that misses a covenant, before any proving work', async () => {
    await expect(
      provePoolAttestation(pool.loans, pool.salts, { ...thresholds, minBalance: 10n ** 30n }, IDS),
    ).rejects.toBeInstanceOf(CovenantNotMetError);
  });

  it('rejects out-of-range inputs with a RangeError naming the field', async () => {
    const bad = [{ ...pool.loans[0], balance: 2n ** 48n, ltvBps: 1, daysDelinquent: 0 }];
    await expect(provePoolAttestation(bad, [1n], thresholds, IDS)).rejects.toThrow(/loans\[0\]\.balance/);
    await expect(
      provePoolAttestation(pool.loans, pool.salts, { ...thresholds, delinquencyDays: 70_000 }, IDS),
    ).rejects.toThrow(/thresholds\.delinquencyDays/);
  });
});
