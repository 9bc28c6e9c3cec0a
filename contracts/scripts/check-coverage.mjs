#!/usr/bin/env node
// Checks line coverage of our own contracts in coverage/lcov.info (written by `hardhat test --coverage`)
// against a minimum (default 95%). The generated Groth16 verifiers (snarkjs output, one per circuit
// instance, only the CI instance is exercised) and the test folder are excluded. Prints `BENCH coverage_lines_pct <n> %` and exits non-zero below.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const minimum = Number(process.env.MIN_LINE_COVERAGE ?? 95);
const excluded = [/^contracts\/attestation\/generated\//, /^contracts\/test\//];

const files = new Map();
let current;
for (const line of readFileSync(join(root, 'coverage', 'lcov.info'), 'utf8').split('\n')) {
  if (line.startsWith('SF:')) {
    current = line.slice(3);
    if (excluded.some((re) => re.test(current))) current = undefined;
    else files.set(current, { found: 0, hit: 0 });
  } else if (current && line.startsWith('DA:')) {
    const [, count] = line.slice(3).split(',');
    const f = files.get(current);
    f.found += 1;
    if (Number(count) > 0) f.hit += 1;
  }
}
let found = 0;
let hit = 0;
for (const [file, f] of files) {
  found += f.found;
  hit += f.hit;
  console.log(
    `${file}: ${f.found === 0 ? 100 : ((100 * f.hit) / f.found).toFixed(2)}% (${f.hit}/${f.found})`,
  );
}
const pct = found === 0 ? 0 : (100 * hit) / found;
console.log(`BENCH coverage_lines_pct ${pct.toFixed(2)} %`);
if (pct < minimum) {
  console.error(`line coverage ${pct.toFixed(2)}% is below ${minimum}%`);
  process.exit(1);
}
