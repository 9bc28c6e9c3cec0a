import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Generates the contract bindings when a fresh checkout runs the tests before `build`. */
export default function setup(): void {
  const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
  if (existsSync(join(pkgDir, 'src', 'generated', 'platform', 'index.ts'))) return;
  const r = spawnSync(process.execPath, [join(pkgDir, 'scripts', 'generate-bindings.mjs')], {
    cwd: pkgDir,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('generating contract bindings failed');
}
