// SPDX-License-Identifier: GPL-3.0-or-later
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildBn128 } from 'ffjavascript';
import { powersOfTau } from 'snarkjs';
import { afterAll, describe, expect, it } from 'vitest';

interface PtauKey {
  tau: { prvKey: Uint8Array };
  alpha: { prvKey: Uint8Array };
  beta: { prvKey: Uint8Array };
}
interface SnarkjsPtauUtils {
  calculateFirstChallengeHash(curve: unknown, power: number): Uint8Array;
  keyFromBeacon(curve: unknown, challenge: Uint8Array, beacon: Uint8Array, iterExp: number): Promise<PtauKey>;
}
interface DevPtau {
  writeDevPtau(o: {
    power: number;
    out: string;
    secret: { tau: bigint; alpha: bigint; beta: bigint };
  }): Promise<void>;
}

const dir = mkdtempSync(join(tmpdir(), 'dev-ptau-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sections(file: string): Map<number, Buffer> {
  const buf = readFileSync(file);
  const out = new Map<number, Buffer>();
  for (let p = 12; p < buf.length;) {
    const id = buf.readUInt32LE(p);
    const size = Number(buf.readBigUInt64LE(p + 4));
    out.set(id, buf.subarray(p + 12, p + 12 + size));
    p += 12 + size;
  }
  return out;
}

describe('dev-only powers of tau (scripts/dev-ptau.mjs)', () => {
  it('is byte-identical to snarkjs new + beacon + prepare phase2 for the same secret (2^4)', async () => {
    const beacon = '0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20';
    const power = 4;
    const [a, b, c, d] = ['new', 'beacon', 'prepared', 'dev'].map((n) => join(dir, `${n}.ptau`)) as [
      string,
      string,
      string,
      string,
    ];
    const curve = await buildBn128(true);
    try {
      await powersOfTau.newAccumulator(curve, power, a);
      await powersOfTau.beacon(a, b, 'test', beacon, 10);
      await powersOfTau.preparePhase2(b, c);
      // the secret snarkjs' beacon derived, recomputed with snarkjs' own (internal) helpers
      const utilsUrl = pathToFileURL(resolve('node_modules/snarkjs/src/powersoftau_utils.js')).href;
      const utils = (await import(utilsUrl)) as SnarkjsPtauUtils;
      const key = await utils.keyFromBeacon(
        curve,
        utils.calculateFirstChallengeHash(curve, power),
        Uint8Array.from(Buffer.from(beacon, 'hex')),
        10,
      );
      const big = (x: Uint8Array): bigint => curve.Fr.toObject(x);
      const devUrl = pathToFileURL(resolve('scripts/dev-ptau.mjs')).href;
      const dev = (await import(devUrl)) as DevPtau;
      await dev.writeDevPtau({
        power,
        out: d,
        secret: { tau: big(key.tau.prvKey), alpha: big(key.alpha.prvKey), beta: big(key.beta.prvKey) },
      });
    } finally {
      await curve.terminate();
    }
    const ref = sections(c);
    const ours = sections(d);
    for (const id of [1, 2, 3, 4, 5, 6, 12, 13, 14, 15]) {
      expect(ours.get(id)?.equals(ref.get(id) ?? Buffer.alloc(0)), `section ${id}`).toBe(true);
    }
    // the dev file records no contribution: the production build refuses it
    expect(ours.get(7)?.readUInt32LE(0)).toBe(0);
  });
});
