#!/usr/bin/env node
// `npm test`: builds everything the tests need, runs every check and every suite (Vitest
// packages, the Hardhat contracts suite, end-to-end and browser tests), prints a table per
// suite and ends with the plain line `N passed, N failed`. Exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const results = join(root, '.test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });
const pnpm = join(root, 'node_modules/.bin/pnpm');
const only = process.argv.slice(2); // optional suite names to run

/** @type {{ name: string, passed: number, failed: number, seconds: number }[]} */
const rows = [];

function run(cmd, args, cwd = root, env = {}) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function banner(text) {
  console.log(`\n━━ ${text} ${'━'.repeat(Math.max(0, 70 - text.length))}`);
}

/** A check counts as one test: it passes when its command exits 0. */
function check(name, cmd, args, cwd) {
  if (only.length && !only.includes(name)) return;
  banner(name);
  const t = Date.now();
  const status = run(cmd, args, cwd);
  rows.push({
    name,
    passed: status === 0 ? 1 : 0,
    failed: status === 0 ? 0 : 1,
    seconds: (Date.now() - t) / 1000,
  });
}

/** A Vitest suite: counts come from its JSON report; a crash without a report counts as one failure. */
function vitest(name, dir) {
  if (only.length && !only.includes(name)) return;
  banner(`${name} (vitest)`);
  const out = join(results, `${name}.json`);
  const t = Date.now();
  const status = run(
    join(root, 'node_modules/.bin/vitest'),
    ['run', '--reporter=default', '--reporter=json', `--outputFile=${out}`],
    join(root, dir),
  );
  let passed = 0;
  let failed = status === 0 ? 0 : 1;
  if (existsSync(out)) {
    const report = JSON.parse(readFileSync(out, 'utf8'));
    passed = report.numPassedTests;
    failed = report.numFailedTests + (report.numFailedTestSuites ?? 0);
    if (status !== 0 && failed === 0) failed = 1;
  }
  rows.push({ name, passed, failed, seconds: (Date.now() - t) / 1000 });
}

/** A suite that writes its own `{ passed, failed }` summary (the Hardhat suite). */
function summarised(name, dir, script) {
  if (only.length && !only.includes(name)) return;
  banner(name);
  const out = join(results, `${name}.json`);
  const t = Date.now();
  const status = run(pnpm, ['run', '--silent', script], join(root, dir), { TEST_SUMMARY_FILE: out });
  let passed = 0;
  let failed = status === 0 ? 0 : 1;
  if (existsSync(out)) {
    ({ passed, failed } = JSON.parse(readFileSync(out, 'utf8')));
    if (status !== 0 && failed === 0) failed = 1;
  }
  rows.push({ name, passed, failed, seconds: (Date.now() - t) / 1000 });
}

const started = Date.now();

// 1. Build (each build counts as a check: a broken build is a failure, not a crash).
check('build:services', pnpm, ['run', '--silent', 'build']);
check('build:circuits', pnpm, ['--filter', '@tranche/circuits', 'run', 'build:ci']);
check('build:admin', pnpm, ['--filter', '@tranche/admin', 'run', 'build']);

// 2. Static checks.
check('schemas-current', process.execPath, ['scripts/check-schemas.mjs']);
check('typecheck', pnpm, ['run', '--silent', 'typecheck']);
check('eslint', pnpm, ['exec', 'eslint', '.', '--max-warnings', '0']);
check('prettier', pnpm, ['exec', 'prettier', '--check', '.', '--log-level', 'warn']);
check('solhint', pnpm, ['--filter', '@tranche/contracts', 'run', 'lint:sol']);

// 3. Suites.
vitest('platform', 'packages/platform');
vitest('dev-issuer', 'packages/dev-issuer');
vitest('engine', 'packages/engine');
vitest('verify', 'packages/verify');
// Each subgraph's service tests, on a throwaway database (DATABASE_URL's server, else embedded).
for (const name of readdirSync(join(root, 'subgraphs')).sort()) {
  if (existsSync(join(root, 'subgraphs', name, 'vitest.config.ts')))
    vitest(`subgraph:${name}`, `subgraphs/${name}`);
}
vitest('chain', 'packages/chain');
vitest('circuits', 'circuits');
vitest('gateway', 'gateway');
vitest('admin', 'admin');
// The Hardhat suite runs with coverage: its line-coverage gate (≥ 95 % of our contracts) counts too.
summarised('contracts', 'contracts', 'coverage');
vitest('e2e+browser', 'tests');

// 4. Totals.
const passed = rows.reduce((n, r) => n + r.passed, 0);
const failed = rows.reduce((n, r) => n + r.failed, 0);
banner('summary');
for (const r of rows) {
  const mark = r.failed ? '✗' : '✓';
  console.log(
    `${mark} ${r.name.padEnd(18)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed  ${r.seconds.toFixed(1).padStart(6)} s`,
  );
}
console.log(`total time ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
