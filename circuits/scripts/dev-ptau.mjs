// SPDX-License-Identifier: GPL-3.0-or-later
// DEV-ONLY powers of tau. NEVER use the output for anything but development and CI.
//
// snarkjs' `powersoftau prepare phase2` computes the Lagrange-basis sections with FFTs over curve points,
// which is impractical past 2^14 on a small machine. When the toxic secret is *known* (dev only), every
// point is a scalar multiple of a generator with a scalar we can compute in the field:
//   tauG1[i] = tau^i G1 (i < 2^(p+1) - 1), tauG2[i] = tau^i G2, alphaTauG1[i] = alpha tau^i G1,
//   betaTauG1[i] = beta tau^i G1, betaG2 = beta G2, and for each domain size M = 2^k (k = 0..p, and p+1 for
//   tauG1) the Lagrange evaluations L_i(tau) = (tau^M - 1) / (M (tau w^-i - 1)).
// For the (p+1) tauG1 level snarkjs transforms the 2M-1 known powers padded with the point at infinity, so
// that level holds L_i(tau) - w^i tau^(M-1) / M.
//
// The file is written in snarkjs' ptau format (sections 1-7 and 12-15); sections 2-6 and 12-15 are
// byte-identical to `powersoftau new` + `beacon` + `prepare phase2` for the same secret (see
// test/dev-ptau.test.ts). The contributions section is empty, which also marks the file as dev-only:
// the production build refuses it (scripts/build.mjs) as well as any file whose name says dev-only.
//
// Every point is computed by fixed-base multiplication (precomputed window table in ffjavascript's wasm
// memory, batched affine conversion): 2^12 in about 6 s here.
//
// Usage: node scripts/dev-ptau.mjs <power> <out.ptau> [seed]
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { buildBn128 } from 'ffjavascript';

const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** Deterministic dev secret (tau, alpha, beta) from a seed string. Known to everybody: dev only. */
export function devSecret(seed) {
  const h = (label) =>
    BigInt('0x' + createHash('sha512').update(`tranche-dev-ptau/${label}/${seed}`).digest('hex')) % R;
  return { tau: h('tau'), alpha: h('alpha'), beta: h('beta') };
}

const CHUNK = 1 << 14;

/**
 * Fixed-base scalar multiplication straight in ffjavascript's wasm memory: a table of d * 2^(8j) * G
 * (j < 32, d < 256, affine) turns each scalar multiplication into at most 32 mixed additions, and
 * chunks are converted to affine with one batched inversion. About 8x faster than `G.timesFr` per point.
 */
function fixedBase(curve, G, prefix) {
  const tm = curve.tm;
  const ex = tm.instance.exports;
  const n8 = G.F.n8;
  const sAff = n8 * 2;
  const sJac = n8 * 3;
  const WINDOWS = 32;
  // ffjavascript's main wasm memory starts at 1.6 MB and never grows by itself: grow it, then
  // refresh the views ffjavascript keeps (growing detaches the old ArrayBuffer).
  const reserve = (bytes) => {
    // slack above the free pointer: wasm routines such as batchToAffine take scratch space there
    const need = tm.u32[0] + 3 * bytes + (1 << 20);
    if (need > tm.memory.buffer.byteLength) {
      tm.memory.grow(Math.ceil((need - tm.memory.buffer.byteLength) / 0x10000));
      tm.u8 = new Uint8Array(tm.memory.buffer);
      tm.u32 = new Uint32Array(tm.memory.buffer);
    }
    return tm.alloc(bytes);
  };
  const pTable = reserve(WINDOWS * 256 * sAff);
  // build the table in jacobian then convert each window to affine
  const pJac = reserve(256 * sJac);
  let base = G.g; // jacobian
  for (let j = 0; j < WINDOWS; j++) {
    tm.setBuff(pJac, G.zero);
    let acc = G.zero;
    for (let d = 1; d < 256; d++) {
      acc = G.add(acc, base);
      tm.setBuff(pJac + d * sJac, acc);
    }
    ex[`${prefix}_batchToAffine`](pJac, 256, pTable + j * 256 * sAff);
    for (let k = 0; k < 8; k++) base = G.double(base);
  }
  let cap = 0;
  let pOut = 0;
  let pAff = 0;
  return (scalars) => {
    const n = scalars.length;
    if (n > cap) {
      cap = n;
      pOut = reserve(n * sJac);
      pAff = reserve(n * sAff);
    }
    const bytes = new Uint8Array(32);
    for (let i = 0; i < n; i++) {
      const pAcc = pOut + i * sJac;
      ex[`${prefix}_zero`](pAcc);
      curve.Fr.toRprLE(bytes, 0, scalars[i]);
      for (let j = 0; j < WINDOWS; j++) {
        const d = bytes[j];
        if (d !== 0) ex[`${prefix}_addMixed`](pAcc, pTable + (j * 256 + d) * sAff, pAcc);
      }
    }
    ex[`${prefix}_batchToAffine`](pOut, n, pAff);
    return tm.getBuff(pAff, n * sAff);
  };
}

/**
 * Write a prepared (phase-2 ready) ptau file of 2^power for a known secret.
 * @param {{ power: number, out: string, secret: { tau: bigint, alpha: bigint, beta: bigint }, log?: (m: string) => void }} o
 */
export async function writeDevPtau({ power, out, secret, log = () => {} }) {
  const curve = await buildBn128(true);
  try {
    const { Fr, G1, G2 } = curve;
    const tau = Fr.e(secret.tau);
    const alpha = Fr.e(secret.alpha);
    const beta = Fr.e(secret.beta);
    const fd = await open(out, 'w');
    let pos = 0;
    const write = async (buf) => {
      await fd.write(buf, 0, buf.length, pos);
      pos += buf.length;
    };
    const u32 = (v) => {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(v);
      return b;
    };
    const u64 = (v) => {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(BigInt(v));
      return b;
    };
    const section = async (id, size, body) => {
      await write(u32(id));
      await write(u64(size));
      const start = pos;
      await body();
      if (pos - start !== size)
        throw new Error(`section ${id}: wrote ${pos - start} bytes, expected ${size}`);
    };

    await write(Buffer.from('ptau'));
    await write(u32(1));
    await write(u32(11));

    // 1: header
    const qBuf = Buffer.alloc(32);
    let q = curve.q;
    for (let i = 0; i < 32; i++) {
      qBuf[i] = Number(q & 0xffn);
      q >>= 8n;
    }
    await section(1, 4 + 32 + 4 + 4, async () => {
      await write(u32(32));
      await write(qBuf);
      await write(u32(power));
      await write(u32(power));
    });

    const sG1 = 64;
    const sG2 = 128;
    const mul = { g1: fixedBase(curve, G1, 'g1m'), g2: fixedBase(curve, G2, 'g2m') };
    // geometric sections: first * tau^i times the generator
    const geometric = async (G, n, first) => {
      let t = first;
      for (let i = 0; i < n; i += CHUNK) {
        const scalars = [];
        for (let j = 0; j < Math.min(CHUNK, n - i); j++) {
          scalars.push(t);
          t = Fr.mul(t, tau);
        }
        await write(mul[G === G1 ? 'g1' : 'g2'](scalars));
      }
    };
    const nG1 = 2 ** power * 2 - 1;
    const n = 2 ** power;
    log(`tauG1 (${nG1})`);
    await section(2, nG1 * sG1, () => geometric(G1, nG1, Fr.one));
    log(`tauG2 (${n})`);
    await section(3, n * sG2, () => geometric(G2, n, Fr.one));
    log(`alphaTauG1 (${n})`);
    await section(4, n * sG1, () => geometric(G1, n, alpha));
    log(`betaTauG1 (${n})`);
    await section(5, n * sG1, () => geometric(G1, n, beta));
    await section(6, sG2, async () => write(G2.toAffine(G2.timesFr(G2.g, beta))));
    await section(7, 4, async () => write(u32(0))); // no contributions: dev-only marker

    // Lagrange scalars for domain 2^k, times `factor`; `truncated` = last coefficient dropped (tauG1, k = p+1)
    const lagrangeScalars = async (k, factor, truncated) => {
      const M = 2 ** k;
      const w = Fr.w[k];
      const wInv = Fr.inv(w);
      const tauM = Fr.exp(tau, M);
      const c = Fr.mul(factor, Fr.div(Fr.sub(tauM, Fr.one), Fr.e(M)));
      const denoms = new Uint8Array(M * 32);
      let wi = Fr.one; // w^-i
      for (let i = 0; i < M; i++) {
        const d = Fr.sub(Fr.mul(tau, wi), Fr.one);
        if (Fr.isZero(d)) throw new Error('tau is a root of unity: pick another secret');
        denoms.set(d, i * 32);
        wi = Fr.mul(wi, wInv);
      }
      const inv = await Fr.batchInverse(denoms);
      const out = [];
      const tail = truncated ? Fr.mul(factor, Fr.div(Fr.exp(tau, M - 1), Fr.e(M))) : null;
      let wPos = Fr.one; // w^i
      for (let i = 0; i < M; i++) {
        let s = Fr.mul(c, inv.slice(i * 32, (i + 1) * 32));
        if (tail) {
          s = Fr.sub(s, Fr.mul(tail, wPos));
          wPos = Fr.mul(wPos, w);
        }
        out.push(s);
      }
      return out;
    };
    const lagrangeSection = async (id, G, factor, withExtra) => {
      const sG = G === G1 ? sG1 : sG2;
      const levels = [];
      for (let k = 0; k <= power; k++) levels.push([k, false]);
      if (withExtra) levels.push([power + 1, true]);
      const total = levels.reduce((a, [k]) => a + 2 ** k, 0);
      await section(id, total * sG, async () => {
        for (const [k, truncated] of levels) {
          if (k >= 10) log(`section ${id}: 2^${k}`);
          const scalars = await lagrangeScalars(k, factor, truncated);
          for (let i = 0; i < scalars.length; i += CHUNK) {
            await write(mul[G === G1 ? 'g1' : 'g2'](scalars.slice(i, i + CHUNK)));
          }
        }
      });
    };
    await lagrangeSection(12, G1, Fr.one, true);
    await lagrangeSection(13, G2, Fr.one, false);
    await lagrangeSection(14, G1, alpha, false);
    await lagrangeSection(15, G1, beta, false);
    await fd.close();
  } finally {
    await curve.terminate();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [powerArg, out, seed = 'tranche-dev'] = process.argv.slice(2);
  const power = Number(powerArg);
  if (!Number.isInteger(power) || power < 1 || power > 24 || !out) {
    console.error('usage: node scripts/dev-ptau.mjs <power> <out.ptau> [seed]');
    process.exit(2);
  }
  const t0 = Date.now();
  await writeDevPtau({ power, out, secret: devSecret(seed), log: (m) => console.log(`[dev-ptau] ${m}`) });
  console.log(`[dev-ptau] wrote ${out} (2^${power}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
