// SPDX-License-Identifier: GPL-3.0-or-later
// Build pipeline of the pool-attestation circuits. Instances come from src/instances.ts (compiled to
// dist/instances.js: run `pnpm run build` first; the package scripts do).
//
//   node scripts/build.mjs ci                      smallest instance, dev setup, fail if committed files are stale
//   node scripts/build.mjs compile <names>         compile only: constraint count, no setup
//   node scripts/build.mjs instances [names] [--write]
//                                                  dev setup of the named instances (default: all but 4096);
//                                                  --write refreshes the committed vkey + Solidity verifier
//   node scripts/build.mjs production <step> ...   phase-2 ceremony on a public powers-of-tau file:
//     init       --instance pool1024 --ptau <file> [--ptau-blake2b <hex>]   -> <instance>_0000.zkey
//     contribute --in <zkey> --out <zkey> --name <who>                      (one per party, random entropy)
//     beacon     --in <zkey> --out <zkey> --beacon <hex> [--iterations 10]  (public randomness, last)
//     finalize   --instance pool1024 --ptau <file> --zkey <zkey> --out-dir <dir>
//                                                  zkey verify against r1cs + ptau, export vkey + verifier
//
// Large artifacts (ptau, r1cs, wasm, zkey) live under build/ (git-ignored), cached by a hash of the
// circuit sources, tool versions and parameters. Dev setups use a DEV-ONLY powers of tau computed from
// a published secret (scripts/dev-ptau.mjs): anyone can forge proofs for them. The production path
// refuses such files.
//
// The steps live in pipeline/: common.mjs (paths, compile, key export), dev-setup.mjs (dev ptau, dev
// setup, committed files in step) and production.mjs (the ceremony); this file parses the command line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD, INSTANCES, compile, instanceHash, log, r1csInfo, requiredPower } from './pipeline/common.mjs';
import { buildDev, syncCommitted } from './pipeline/dev-setup.mjs';
import { production } from './pipeline/production.mjs';

function args(argv) {
  const out = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) out[a.slice(2)] = true;
      else out[a.slice(2)] = argv[++i];
    } else out._.push(a);
  }
  return out;
}

async function main() {
  const a = args(process.argv.slice(2));
  const mode = a._[0];
  try {
    if (mode === 'ci' || mode === 'instances') {
      const names =
        mode === 'ci'
          ? [INSTANCES.filter((i) => i.ci).sort((x, y) => x.capacity - y.capacity)[0].name]
          : a._.length > 1
            ? a._.slice(1)
            : INSTANCES.filter((i) => i.capacity <= 1024).map((i) => i.name);
      const stale = [];
      for (const name of names) {
        const instance = INSTANCES.find((i) => i.name === name);
        if (!instance) throw new Error(`unknown instance ${name}`);
        const dir = await buildDev(instance);
        stale.push(...syncCommitted(instance, dir, a.write === true));
      }
      if (stale.length > 0 && mode === 'ci') {
        throw new Error(
          `committed generated files are stale: ${stale.join(', ')}\n` +
            `  regenerate: pnpm --filter @tranche/circuits run build:instances ${names.join(' ')} --write`,
        );
      }
      if (stale.length > 0) log(`stale (not in CI scope): ${stale.join(', ')}; add --write to refresh`);
      log('ok');
    } else if (mode === 'compile') {
      // compile only (constraint count, compiler memory) without any setup
      for (const name of a._.slice(1)) {
        const instance = INSTANCES.find((i) => i.name === name);
        if (!instance) throw new Error(`unknown instance ${name}`);
        const dir = join(BUILD, name, instanceHash(instance, { kind: 'compile-only' }));
        await compile(instance, dir);
        const info = await r1csInfo(join(dir, `${name}.r1cs`));
        const seconds = JSON.parse(readFileSync(join(dir, 'compile.json'), 'utf8')).seconds;
        log(
          `${name}: ${info.nConstraints} constraints (${(info.nConstraints / instance.capacity).toFixed(1)} per loan), ` +
            `needs 2^${requiredPower(info)}, compiled in ${seconds.toFixed(1)} s`,
        );
      }
    } else if (mode === 'production') {
      await production(a);
    } else {
      throw new Error('usage: build.mjs ci | instances [names] [--write] | production <step> ...');
    }
  } finally {
    await globalThis.curve_bn128?.terminate();
  }
}

main().catch((err) => {
  console.error(`[circuits] ${err.message}`);
  process.exit(1);
});
