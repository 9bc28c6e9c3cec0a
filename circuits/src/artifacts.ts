// SPDX-License-Identifier: GPL-3.0-or-later
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CircuitInstance } from './instances.js';
import type { VerificationKey } from './verify.js';

/** Built artifacts of one circuit instance (large files: built, cached, never committed). */
export interface InstanceArtifacts {
  readonly wasmPath: string;
  readonly zkeyPath: string;
  readonly r1csPath: string;
  readonly vkeyPath: string;
  /** True for a zkey built on the dev-only powers of tau (known secret: anyone can forge proofs). */
  readonly devOnly: boolean;
}

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the build puts artifacts: `TRANCHE_CIRCUITS_BUILD_DIR`, else `circuits/build`. */
export function buildDir(): string {
  return process.env['TRANCHE_CIRCUITS_BUILD_DIR'] ?? join(packageRoot, 'build');
}

/** The committed verification key of an instance (`circuits/keys/<name>.vkey.json`). */
export function committedVerificationKey(instance: CircuitInstance): VerificationKey {
  const path = join(packageRoot, 'keys', `${instance.name}.vkey.json`);
  if (!existsSync(path)) throw new Error(`no committed verification key for ${instance.name} at ${path}`);
  return JSON.parse(readFileSync(path, 'utf8')) as VerificationKey;
}

/**
 * The artifacts of the last build of `instance` (recorded by scripts/build.mjs in
 * `build/<name>/current.json`). Throws when the instance has not been built, naming the command.
 */
export function instanceArtifacts(instance: CircuitInstance, dir: string = buildDir()): InstanceArtifacts {
  const pointer = join(dir, instance.name, 'current.json');
  if (!existsSync(pointer)) {
    throw new Error(
      `circuit ${instance.name} is not built (${pointer} missing): run ` +
        `\`pnpm --filter @tranche/circuits run build:instances ${instance.name}\``,
    );
  }
  const rec = JSON.parse(readFileSync(pointer, 'utf8')) as Record<string, unknown>;
  const path = (key: string): string => {
    const v = rec[key];
    if (typeof v !== 'string') throw new Error(`${pointer}: missing ${key}`);
    return resolve(dirname(pointer), v);
  };
  return {
    wasmPath: path('wasm'),
    zkeyPath: path('zkey'),
    r1csPath: path('r1cs'),
    vkeyPath: path('vkey'),
    devOnly: rec['devOnly'] === true,
  };
}
