// SPDX-License-Identifier: GPL-3.0-or-later
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface DevPtau {
  devSecret(seed: string): { tau: bigint; alpha: bigint; beta: bigint };
  writeDevPtau(o: {
    power: number;
    out: string;
    secret: { tau: bigint; alpha: bigint; beta: bigint };
  }): Promise<void>;
}

const script = resolve('scripts/build.mjs');
const dir = mkdtempSync(join(tmpdir(), 'prod-ptau-'));
// The tests build the dev-only file they feed the production path (2^4: the refusal does not depend on
// the size), so they run, rather than skip, on a checkout where the circuits were never built.
const devPtau = join(dir, 'dev-only-insecure-bn128-4-tranche-dev.ptau');
beforeAll(async () => {
  const dev = (await import(pathToFileURL(resolve('scripts/dev-ptau.mjs')).href)) as DevPtau;
  await dev.writeDevPtau({ power: 4, out: devPtau, secret: dev.devSecret('tranche-dev') });
});
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
  it('refuses a file named dev-only', () => {
    const r = productionInit(devPtau);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/refusing DEV-ONLY powers of tau/);
  });

  it('refuses a renamed dev file: it records no contributions', () => {
    const renamed = join(dir, 'powersOfTau28_hez_final_12.ptau');
    copyFileSync(devPtau, renamed);
    const r = productionInit(renamed);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/records no contributions/);
  });
});
