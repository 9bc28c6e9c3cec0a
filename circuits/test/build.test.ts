// SPDX-License-Identifier: GPL-3.0-or-later
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDir } from '../src/artifacts.js';

const script = resolve('scripts/build.mjs');
const devPtau = join(buildDir(), 'ptau', 'dev-only-insecure-bn128-12-tranche-dev.ptau');
const dir = mkdtempSync(join(tmpdir(), 'prod-ptau-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function productionInit(ptau: string): { status: number | null; output: string } {
  const r = spawnSync(
    process.execPath,
    [script, 'production', 'init', '--instance', 'pool16', '--ptau', ptau],
    {
      encoding: 'utf8',
    },
  );
  return { status: r.status, output: r.stdout + r.stderr };
}

describe('production setup refuses dev-only powers of tau', () => {
  it.runIf(existsSync(devPtau))('refuses a file named dev-only', () => {
    const r = productionInit(devPtau);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/refusing DEV-ONLY powers of tau/);
  });

  it.runIf(existsSync(devPtau))('refuses a renamed dev file: it records no contributions', () => {
    const renamed = join(dir, 'powersOfTau28_hez_final_12.ptau');
    copyFileSync(devPtau, renamed);
    const r = productionInit(renamed);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/records no contributions/);
  });
});
