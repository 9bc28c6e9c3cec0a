#!/usr/bin/env node
// Fails when a subgraph's committed schema.graphql differs from the SDL its code emits, or when
// the committed supergraph differs from a fresh composition (or composition fails).
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { SUBGRAPHS } from '../packages/platform/dist/index.js';

const root = resolve(import.meta.dirname, '..');
let failed = false;
for (const name of SUBGRAPHS) {
  const r = spawnSync(process.execPath, [`subgraphs/${name}/dist/main.js`, '--check-schema'], {
    cwd: root,
    stdio: 'inherit',
  });
  failed ||= r.status !== 0;
}
const r = spawnSync(process.execPath, ['gateway/dist/compose.js', '--check'], {
  cwd: root,
  stdio: 'inherit',
});
failed ||= r.status !== 0;
process.exit(failed ? 1 : 0);
