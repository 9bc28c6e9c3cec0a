// SPDX-License-Identifier: GPL-3.0-or-later
// Production phase-2 ceremony of the circuits build (scripts/build.mjs `production <step>`), on a public
// powers-of-tau file whose blake2b-512 is checked; dev-only files are refused.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { BUILD, INSTANCES, compile, exportKeys, log, quiet } from './common.mjs';

// blake2b-512 of the Polygon Hermez perpetual powers-of-tau files (54 contributions + beacon), as
// published in snarkjs' README (node_modules/snarkjs/README.md). Any other file needs --ptau-blake2b.
const KNOWN_CEREMONY_FILES = {
  'powersOfTau28_hez_final_12.ptau':
    'ded2694169b7b08e898f736d5de95af87c3f1a64594013351b1a796dbee393bd825f88f9468c84505ddd11eb0b1465ac9b43b9064aa8ec97f2b73e04758b8a4a',
  'powersOfTau28_hez_final_14.ptau':
    'eeefbcf7c3803b523c94112023c7ff89558f9b8e0cf5d6cdcba3ade60f168af4a181c9c21774b94fbae6c90411995f7d854d02ebd93fb66043dbb06f17a831c1',
  'powersOfTau28_hez_final_16.ptau':
    '6a6277a2f74e1073601b4f9fed6e1e55226917efb0f0db8a07d98ab01df1ccf43eb0e8c3159432acd4960e2f29fe84a4198501fa54c8dad9e43297453efec125',
  'powersOfTau28_hez_final_18.ptau':
    '7e6a9c2e5f05179ddfc923f38f917c9e6831d16922a902b0b4758b8e79c2ab8a81bb5f29952e16ee6c5067ed044d7857b5de120a90704c1d3b637fd94b95b13e',
  'powersOfTau28_hez_final_20.ptau':
    '89a66eb5590a1c94e3f1ee0e72acf49b1669e050bb5f93c73b066b564dca4e0c7556a52b323178269d64af325d8fdddb33da3a27c34409b821de82aa2bf1a27b',
};

async function ptauBlake2b(file) {
  const h = createHash('blake2b512');
  for await (const chunk of createReadStream(file)) h.update(chunk);
  return h.digest('hex');
}

async function assertProductionPtau(file, pinned) {
  if (/dev-only/i.test(basename(file)))
    throw new Error(`refusing DEV-ONLY powers of tau ${file} in the production build`);
  // section 7 = contributions; a dev file has none (scripts/dev-ptau.mjs). Walk section headers only.
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    const size = fstatSync(fd).size;
    let p = 12;
    while (p < size) {
      readSync(fd, head, 0, 16, p);
      const id = head.readUInt32LE(0);
      if (id === 7 && head.readUInt32LE(12) === 0) {
        throw new Error(`refusing ${file}: it records no contributions (a dev-only file?)`);
      }
      p += 12 + Number(head.readBigUInt64LE(4));
    }
  } finally {
    closeSync(fd);
  }
  const expected = pinned ?? KNOWN_CEREMONY_FILES[basename(file)];
  if (!expected)
    throw new Error(
      `unknown ceremony file ${basename(file)}: pass its published blake2b-512 with --ptau-blake2b`,
    );
  const actual = await ptauBlake2b(file);
  if (actual !== expected.toLowerCase())
    throw new Error(`${file}: blake2b ${actual} does not match the published ${expected}`);
  log(`ptau ${basename(file)} matches its published blake2b-512`);
}

export async function production(a) {
  const step = a._[1];
  const instance = a.instance ? INSTANCES.find((i) => i.name === a.instance) : undefined;
  if (step === 'init' || step === 'finalize') {
    if (!instance || typeof a.ptau !== 'string')
      throw new Error(`${step} needs --instance <name> --ptau <file>`);
    await assertProductionPtau(a.ptau, typeof a['ptau-blake2b'] === 'string' ? a['ptau-blake2b'] : undefined);
  }
  if (step === 'init') {
    const dir = join(BUILD, instance.name, 'production');
    await compile(instance, dir);
    const out = join(dir, `${instance.name}_0000.zkey`);
    await snarkjs.zKey.newZKey(join(dir, `${instance.name}.r1cs`), a.ptau, out, quiet);
    log(`initial zkey ${out}: pass it to the first contributor`);
  } else if (step === 'contribute') {
    if (typeof a.in !== 'string' || typeof a.out !== 'string' || typeof a.name !== 'string')
      throw new Error('contribute needs --in --out --name');
    // snarkjs mixes this with crypto.randomBytes: the contributor's secret is never known to anyone
    const entropy = createHash('sha256')
      .update(String(Date.now()))
      .update(createHash('sha256').update(a.name).digest())
      .digest('hex');
    const hash = await snarkjs.zKey.contribute(a.in, a.out, a.name, entropy, quiet);
    log(`contribution hash (publish it): ${Buffer.from(hash).toString('hex')}`);
  } else if (step === 'beacon') {
    if (typeof a.in !== 'string' || typeof a.out !== 'string' || typeof a.beacon !== 'string')
      throw new Error('beacon needs --in --out --beacon <hex>');
    await snarkjs.zKey.beacon(a.in, a.out, 'final beacon', a.beacon, Number(a.iterations ?? 10), quiet);
  } else if (step === 'finalize') {
    if (typeof a.zkey !== 'string' || typeof a['out-dir'] !== 'string')
      throw new Error('finalize needs --zkey --out-dir');
    const dir = join(BUILD, instance.name, 'production');
    const ok = await snarkjs.zKey.verifyFromR1cs(join(dir, `${instance.name}.r1cs`), a.ptau, a.zkey, console);
    if (!ok) throw new Error('zkey verify failed');
    mkdirSync(a['out-dir'], { recursive: true });
    await exportKeys(
      instance,
      a.zkey,
      a['out-dir'],
      `Production keys: phase-2 ceremony on ${basename(a.ptau)}; see docs/zk.md.`,
    );
    log(`verified; vkey.json and verifier.sol in ${a['out-dir']}`);
  } else {
    throw new Error('production step must be init | contribute | beacon | finalize');
  }
}
