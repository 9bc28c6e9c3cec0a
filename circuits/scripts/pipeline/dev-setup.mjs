// SPDX-License-Identifier: GPL-3.0-or-later
// Dev setup of the circuits build (scripts/build.mjs `ci` / `instances`): a DEV-ONLY powers of tau from
// a published secret, a deterministic phase-2 beacon, and the committed vkey / verifier kept in step.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as snarkjs from 'snarkjs';
import { devSecret, writeDevPtau } from '../dev-ptau.mjs';
import {
  BUILD,
  KEYS_DIR,
  VERIFIER_DIR,
  compile,
  exportKeys,
  instanceHash,
  log,
  quiet,
  r1csInfo,
  repoRoot,
  requiredPower,
} from './common.mjs';

const DEV_SEED = 'tranche-dev';
const DEV_BEACON = createHash('sha256').update('tranche dev-only beacon').digest('hex');

async function devPtau(power) {
  const file = join(BUILD, 'ptau', `dev-only-insecure-bn128-${power}-${DEV_SEED}.ptau`);
  if (existsSync(file)) return file;
  mkdirSync(dirname(file), { recursive: true });
  log(`computing DEV-ONLY powers of tau 2^${power} from the published dev secret`);
  const t0 = Date.now();
  await writeDevPtau({
    power,
    out: file + '.tmp',
    secret: devSecret(DEV_SEED),
    log: (m) => log(`dev-ptau ${m}`),
  });
  renameSync(file + '.tmp', file);
  const seconds = (Date.now() - t0) / 1000;
  writeFileSync(file + '.json', JSON.stringify({ seconds }));
  log(`dev ptau 2^${power} in ${seconds.toFixed(1)} s`);
  return file;
}

/** Compile + dev setup of one instance; returns the build dir (cached by hash). */
export async function buildDev(instance) {
  const setup = { kind: 'dev', seed: DEV_SEED, beacon: DEV_BEACON, ptauPower: instance.ptauPower };
  const hash = instanceHash(instance, setup);
  const dir = join(BUILD, instance.name, hash);
  const name = instance.name;
  const timings = existsSync(join(dir, 'timings.json'))
    ? JSON.parse(readFileSync(join(dir, 'timings.json'), 'utf8'))
    : {};
  let t0 = Date.now();
  await compile(instance, dir);
  if (timings.compile_s === undefined)
    timings.compile_s = JSON.parse(readFileSync(join(dir, 'compile.json'), 'utf8')).seconds;
  const r1cs = join(dir, `${name}.r1cs`);
  const info = await r1csInfo(r1cs);
  const need = requiredPower(info);
  log(
    `${name}: ${info.nConstraints} constraints (${(info.nConstraints / instance.capacity).toFixed(1)} per loan), needs 2^${need}`,
  );
  if (need > instance.ptauPower) {
    throw new Error(`${name} needs powers of tau 2^${need} but instances.ts declares ${instance.ptauPower}`);
  }
  const zkey = join(dir, `${name}.zkey`);
  if (!existsSync(zkey)) {
    const ptau = await devPtau(instance.ptauPower);
    if (existsSync(ptau + '.json')) timings.ptau_s = JSON.parse(readFileSync(ptau + '.json', 'utf8')).seconds;
    t0 = Date.now();
    log(`${name}: groth16 setup (dev)`);
    await snarkjs.zKey.newZKey(r1cs, ptau, join(dir, `${name}_0000.zkey`), quiet);
    // a deterministic beacon as the only phase-2 contribution keeps CI's keys reproducible
    await snarkjs.zKey.beacon(
      join(dir, `${name}_0000.zkey`),
      zkey + '.tmp',
      'tranche dev beacon',
      DEV_BEACON,
      10,
      quiet,
    );
    renameSync(zkey + '.tmp', zkey);
    timings.setup_s = (Date.now() - t0) / 1000;
  }
  {
    // always re-exported (cheap), so a change to the export template shows up as stale committed files
    await exportKeys(
      instance,
      zkey,
      dir,
      `DEV-ONLY keys (known powers-of-tau secret "${DEV_SEED}"): never deploy to production.`,
    );
  }
  writeFileSync(
    join(dir, 'timings.json'),
    JSON.stringify({ ...timings, constraints: info.nConstraints }, null, 2),
  );
  writeFileSync(
    join(BUILD, name, 'current.json'),
    JSON.stringify(
      {
        hash,
        devOnly: true,
        constraints: info.nConstraints,
        wasm: `${hash}/${name}_js/${name}.wasm`,
        zkey: `${hash}/${name}.zkey`,
        r1cs: `${hash}/${name}.r1cs`,
        vkey: `${hash}/vkey.json`,
      },
      null,
      2,
    ),
  );
  return dir;
}

/** Committed generated files of an instance: compare (default) or refresh (`write`). Returns stale paths. */
export function syncCommitted(instance, dir, write) {
  const targets = [
    [join(dir, 'vkey.json'), join(KEYS_DIR, `${instance.name}.vkey.json`), 'json'],
    [join(dir, 'verifier.sol'), join(VERIFIER_DIR, `Groth16VerifierPool${instance.capacity}.sol`), 'text'],
  ];
  const stale = [];
  for (const [built, committed, kind] of targets) {
    const fresh = readFileSync(built, 'utf8');
    if (write) {
      mkdirSync(dirname(committed), { recursive: true });
      writeFileSync(committed, fresh);
      log(`wrote ${relative(repoRoot, committed)}`);
      continue;
    }
    const current = existsSync(committed) ? readFileSync(committed, 'utf8') : null;
    // JSON is compared by value, so reformatting (Prettier) does not make it stale
    const same =
      current !== null &&
      (kind === 'json'
        ? JSON.stringify(JSON.parse(current)) === JSON.stringify(JSON.parse(fresh))
        : current.replace(/\r\n/g, '\n') === fresh);
    if (!same) stale.push(relative(repoRoot, committed));
  }
  return stale;
}
