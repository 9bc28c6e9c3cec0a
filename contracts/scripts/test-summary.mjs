#!/usr/bin/env node
// Runs the Hardhat suite (Solidity fuzz/unit tests and Mocha tests) for the workspace test runner:
// rebuilds @tranche/chain (which the Mocha tests import), streams `hardhat test` output, writes
// {"passed":N,"failed":M} to $TEST_SUMMARY_FILE, and exits non-zero when anything failed.
// Extra arguments are passed to `hardhat test` (e.g. `--coverage`).
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const hardhat = join(root, 'node_modules', '.bin', 'hardhat');

function summarize(passed, failed) {
  const file = process.env.TEST_SUMMARY_FILE;
  if (file) writeFileSync(file, JSON.stringify({ passed, failed }) + '\n');
  console.log(`${passed} passed, ${failed} failed`);
}

// The tests import @tranche/chain's dist/: rebuild it (bindings from a fresh `hardhat build`, then tsc)
// so it matches the contracts under test.
for (const args of [
  [join(root, 'packages', 'chain', 'scripts', 'generate-bindings.mjs')],
  [
    join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
    '-p',
    join(root, 'packages', 'chain', 'tsconfig.build.json'),
  ],
]) {
  const step = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (step.status !== 0) {
    summarize(0, 1);
    process.exit(step.status ?? 1);
  }
}

const child = spawn(hardhat, ['test', ...process.argv.slice(2)], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  output += chunk.toString();
});
child.stderr.on('data', (chunk) => {
  process.stderr.write(chunk);
  output += chunk.toString();
});
child.on('close', (code) => {
  // Both the Solidity and the Mocha runner close with "N passing" / "N failing" lines.
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  // `hardhat test` ends with a combined line ("64 passing (4 solidity, 60 mocha)"); prefer it.
  const pick = (word) => {
    const combined = [...plain.matchAll(new RegExp(`^\\s*(\\d+) ${word} \\(\\d+ \\w+`, 'gm'))];
    const last = combined.at(-1);
    if (last) return Number(last[1]);
    return [...plain.matchAll(new RegExp(`^\\s*(\\d+) ${word}`, 'gm'))].reduce((s, m) => s + Number(m[1]), 0);
  };
  const passed = pick('passing');
  let failed = pick('failing');
  if (code !== 0 && failed === 0) failed = 1;
  summarize(passed, failed);
  process.exit(code === 0 && failed === 0 ? 0 : 1);
});
