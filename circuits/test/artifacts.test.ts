// SPDX-License-Identifier: GPL-3.0-or-later
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InstanceNotBuiltError, isInstanceBuilt, provingInstanceFor } from '../src/artifacts.js';
import { instanceByName } from '../src/instances.js';

/** A build directory where only `names` are built (their `current.json` pointer exists). */
function buildDirWith(...names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'circuits-build-'));
  for (const name of names) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'current.json'), '{}');
  }
  return dir;
}

describe('the instance that proves a pool', () => {
  it('is the instance the root was committed at, when it is built', () => {
    const dir = buildDirWith('pool16', 'pool64');
    expect(isInstanceBuilt(instanceByName('pool64'), dir)).toBe(true);
    expect(isInstanceBuilt(instanceByName('pool256'), dir)).toBe(false);
    expect(provingInstanceFor(16, undefined, dir).name).toBe('pool16');
    expect(provingInstanceFor(17, undefined, dir).name).toBe('pool64');
    // a root committed at 64 is proven by pool64 even for a pool that pool16 would hold
    expect(provingInstanceFor(10, 64, dir).name).toBe('pool64');
  });

  it('names the largest built instance and the command that builds the one needed', () => {
    const dir = buildDirWith('pool16');
    const err = (() => {
      try {
        provingInstanceFor(1000, undefined, dir);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InstanceNotBuiltError);
    expect((err as InstanceNotBuiltError).instanceName).toBe('pool1024');
    expect((err as Error).message).toBe(
      'a pool of 1000 loans is proven by circuit instance pool1024 (1024 loans), which is not built here ' +
        '(largest built: pool16, 16 loans): build it with `pnpm --filter @tranche/circuits run build:instances pool1024`',
    );
    expect(() => provingInstanceFor(3, undefined, buildDirWith())).toThrow(/largest built: none/);
  });

  it('asks for a new instance to be declared for a pool over every declared one', () => {
    expect(() => provingInstanceFor(5000, undefined, buildDirWith('pool16'))).toThrow(
      'a pool of 5000 loans is larger than every circuit instance (largest built: pool16, 16 loans): ' +
        'declare pool16384 (capacity 16384) in circuits/src/instances.ts, then build it with ' +
        '`pnpm --filter @tranche/circuits run build:instances pool16384`',
    );
    expect(() => provingInstanceFor(20, 16)).toThrow(RangeError);
  });
});
