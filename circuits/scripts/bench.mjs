// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmarks of the built circuit instances (`build:ci` / `build:instances` first). Prints
// `BENCH <metric> <value> <unit>` lines; saves one proof per instance for the gas bench
// (scripts/bench-gas.ts, run through Hardhat's in-process EVM).
//
//   node scripts/bench.mjs [instance names]     default: every instance that has been built
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const zk = await import('../dist/index.js');
const BUILD = zk.buildDir();

const bench = (metric, value, unit) => console.log(`BENCH ${metric} ${value} ${unit}`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function fullPool(n, seed) {
  let s = seed >>> 0;
  const r = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const loans = [];
  const salts = [];
  for (let i = 0; i < n; i++) {
    loans.push({
      balance: BigInt(Math.floor(r() * 40_000_000)) + 5_000_000n,
      ltvBps: 5_000 + Math.floor(r() * 4_000),
      daysDelinquent: r() < 0.03 ? 30 + Math.floor(r() * 120) : 0,
    });
    salts.push(zk.randomSalt());
  }
  return { loans, salts };
}

const thresholds = { maxDelinquencyBps: 1_000, delinquencyDays: 60, maxWaLtvBps: 9_000, minBalance: 1n };
const ids = { dealId: 0x1b4e28ba2fa111d2883f0016d3cca427n, period: 202611 };

const names = process.argv.slice(2);
const instances = zk.INSTANCES.filter((i) =>
  names.length > 0 ? names.includes(i.name) : existsSync(join(BUILD, i.name, 'current.json')),
);
if (instances.length === 0) {
  console.error('no built instances: run `pnpm --filter @tranche/circuits run build:instances` first');
  process.exit(1);
}

let largest;
for (const instance of instances) {
  const n = instance.capacity;
  const artifacts = zk.instanceArtifacts(instance);
  const current = JSON.parse(readFileSync(join(BUILD, instance.name, 'current.json'), 'utf8'));
  const timingsFile = join(BUILD, instance.name, current.hash, 'timings.json');
  const timings = existsSync(timingsFile) ? JSON.parse(readFileSync(timingsFile, 'utf8')) : {};
  console.log(`# ${instance.name}: capacity ${n}${artifacts.devOnly ? ' (dev-only keys)' : ''}`);
  bench(`zk.constraints_${n}`, current.constraints, 'constraints');
  bench(`zk.constraints_per_loan_${n}`, (current.constraints / n).toFixed(1), 'constraints/loan');
  if (timings.compile_s !== undefined) bench(`zk.compile_s_${n}`, timings.compile_s.toFixed(1), 's');
  if (timings.setup_s !== undefined) bench(`zk.setup_s_${n}`, timings.setup_s.toFixed(1), 's');
  if (timings.ptau_s !== undefined)
    bench(`zk.dev_ptau_s_${instance.ptauPower}`, timings.ptau_s.toFixed(1), 's');

  const pool = fullPool(n, n);
  const times = [];
  let last;
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    last = await zk.provePoolAttestation(pool.loans, pool.salts, thresholds, ids, { instance });
    times.push((performance.now() - t0) / 1000);
  }
  bench(`zk.prove_s_${n}`, median(times).toFixed(2), 's');

  const vkey = JSON.parse(readFileSync(artifacts.vkeyPath, 'utf8'));
  const vt = [];
  for (let run = 0; run < 7; run++) {
    const t0 = performance.now();
    const ok = await zk.verifyPoolAttestation(vkey, last.proof, last.publicSignals, { keepCurve: true });
    vt.push(performance.now() - t0);
    if (!ok) throw new Error(`${instance.name}: proof did not verify`);
  }
  await zk.releaseCurve();
  bench(`zk.verify_ms_${n}`, median(vt.slice(1)).toFixed(1), 'ms');
  const cd = zk.toVerifierCalldata(last.proof, last.publicSignals);
  bench(`zk.proof_bytes_${n}`, 8 * 32, 'bytes');
  bench(`zk.proof_json_bytes_${n}`, JSON.stringify(last.proof).length, 'bytes');
  writeFileSync(
    join(BUILD, instance.name, 'bench-proof.json'),
    JSON.stringify(
      {
        capacity: n,
        root: last.root.toString(),
        publicSignals: last.publicSignals,
        pA: cd.pA.map(String),
        pB: cd.pB.map((p) => p.map(String)),
        pC: cd.pC.map(String),
      },
      null,
      2,
    ),
  );
  largest = { n, constraints: current.constraints };
}
if (largest)
  bench('zk.constraints_per_loan', (largest.constraints / largest.n).toFixed(1), 'constraints/loan');
console.log(`# proofs saved for the gas bench under ${BUILD}; package ${pkgDir}`);
