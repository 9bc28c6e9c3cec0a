// SPDX-License-Identifier: GPL-3.0-or-later
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commitmentCapacity, INSTANCES, type CircuitInstance } from './instances.js';
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

/** Whether `instance` has a build here (its `current.json` pointer exists). */
export function isInstanceBuilt(instance: CircuitInstance, dir: string = buildDir()): boolean {
  return existsSync(join(dir, instance.name, 'current.json'));
}

/**
 * No built circuit instance can prove a pool: the instance its root was committed at is not built
 * here, or is larger than every declared instance. `command` builds the one needed.
 */
export class InstanceNotBuiltError extends Error {
  constructor(
    message: string,
    /** The instance the pool needs, e.g. `pool1024` (declared or to declare). */
    readonly instanceName: string,
    readonly command: string,
  ) {
    super(message);
    this.name = 'InstanceNotBuiltError';
  }
}

const buildCommand = (name: string) => `pnpm --filter @tranche/circuits run build:instances ${name}`;

/**
 * The built instance that proves a pool of `loanCount` loans whose root was committed at `capacity`
 * (default: `commitmentCapacity(loanCount)`, what ingest uses): the smallest declared instance that
 * holds the pool, since the root fixes the tree shape. Throws an InstanceNotBuiltError naming the
 * largest built instance and the command that builds the one needed when it is not built here, or,
 * for a pool over every declared instance, the row to declare in `instances.ts` first.
 */
export function provingInstanceFor(
  loanCount: number,
  capacity: number = commitmentCapacity(loanCount),
  dir: string = buildDir(),
): CircuitInstance {
  if (!Number.isInteger(loanCount) || loanCount < 0 || loanCount > capacity) {
    throw new RangeError(`a pool of ${loanCount} loans cannot have been committed at capacity ${capacity}`);
  }
  const built = INSTANCES.filter((i) => isInstanceBuilt(i, dir)).sort((a, b) => a.capacity - b.capacity);
  const largest = built[built.length - 1];
  const largestText = largest ? `${largest.name}, ${largest.capacity} loans` : 'none';
  const declared = INSTANCES.find((i) => i.capacity === capacity);
  if (!declared) {
    const name = `pool${capacity}`;
    throw new InstanceNotBuiltError(
      `a pool of ${loanCount} loans is larger than every circuit instance (largest built: ${largestText}): ` +
        `declare ${name} (capacity ${capacity}) in circuits/src/instances.ts, then build it with \`${buildCommand(name)}\``,
      name,
      buildCommand(name),
    );
  }
  if (!built.includes(declared)) {
    throw new InstanceNotBuiltError(
      `a pool of ${loanCount} loans is proven by circuit instance ${declared.name} (${declared.capacity} loans), ` +
        `which is not built here (largest built: ${largestText}): build it with \`${buildCommand(declared.name)}\``,
      declared.name,
      buildCommand(declared.name),
    );
  }
  return declared;
}
