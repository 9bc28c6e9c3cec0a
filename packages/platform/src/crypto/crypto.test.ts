import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { DecryptionError, open, seal } from './envelope.js';
import {
  KmsError,
  KmsKeyProvider,
  LocalKeyProvider,
  LocalKms,
  keyProviderFromConfig,
} from './key-provider.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kp-'));
const key = Buffer.alloc(32, 7);

describe('AES-256-GCM envelope', () => {
  it('opens what it sealed, with a fresh IV each time', () => {
    const a = seal(key, Buffer.from('Jane Doe'), Buffer.from('row-1'));
    const b = seal(key, Buffer.from('Jane Doe'), Buffer.from('row-1'));
    expect(a.equals(b)).toBe(false);
    expect(open(key, a, Buffer.from('row-1')).toString()).toBe('Jane Doe');
    expect(a.includes(Buffer.from('Jane'))).toBe(false);
  });

  it('refuses another key, another aad, and an edited byte', () => {
    const sealed = seal(key, Buffer.from('123-45-6789'), Buffer.from('row-1'));
    expect(() => open(Buffer.alloc(32, 8), sealed, Buffer.from('row-1'))).toThrow(DecryptionError);
    expect(() => open(key, sealed, Buffer.from('row-2'))).toThrow(DecryptionError);
    const edited = Buffer.from(sealed);
    edited[edited.length - 1]! ^= 1;
    expect(() => open(key, edited, Buffer.from('row-1'))).toThrow(DecryptionError);
    expect(() => seal(Buffer.alloc(16), Buffer.from('x'))).toThrow(RangeError);
  });
});

describe('LocalKeyProvider', () => {
  it('creates a 0600 key file once and unwraps its data keys for the same context only', async () => {
    const file = join(dir(), 'keys', 'kek.hex');
    const provider = new LocalKeyProvider(file);
    const dk = await provider.generateDataKey({ tenantId: 't1', tapeId: 'a' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(dk.plaintext).toHaveLength(32);
    expect(dk.wrapped.includes(dk.plaintext)).toBe(false);
    const again = new LocalKeyProvider(file);
    expect(
      (await again.unwrap(dk.wrapped, dk.keyId, { tapeId: 'a', tenantId: 't1' })).equals(dk.plaintext),
    ).toBe(true);
    await expect(again.unwrap(dk.wrapped, dk.keyId, { tenantId: 't2', tapeId: 'a' })).rejects.toThrow(
      DecryptionError,
    );
  });

  it('refuses a data key wrapped under another key file', async () => {
    const a = new LocalKeyProvider(join(dir(), 'a.hex'));
    const b = new LocalKeyProvider(join(dir(), 'b.hex'));
    const dk = await a.generateDataKey({ t: '1' });
    await expect(b.unwrap(dk.wrapped, dk.keyId, { t: '1' })).rejects.toThrow(/not by this key file/);
  });

  it('does not invent a key when told not to, and rejects a malformed key file', async () => {
    await expect(new LocalKeyProvider(join(dir(), 'none.hex'), false).generateDataKey({})).rejects.toThrow(
      /does not exist/,
    );
    const bad = join(dir(), 'bad.hex');
    writeFileSync(bad, 'not hex');
    await expect(new LocalKeyProvider(bad).generateDataKey({})).rejects.toThrow(/32 bytes as hex/);
    expect(readFileSync(bad, 'utf8')).toBe('not hex');
  });
});

describe('KmsKeyProvider against the local KMS', () => {
  it('round-trips, and maps a context mismatch to DecryptionError', async () => {
    const kms = new LocalKms();
    kms.createKey('alias/tranche-pii');
    const provider = new KmsKeyProvider(kms, 'alias/tranche-pii');
    const dk = await provider.generateDataKey({ tenantId: 't1' });
    expect((await provider.unwrap(dk.wrapped, dk.keyId, { tenantId: 't1' })).equals(dk.plaintext)).toBe(true);
    await expect(provider.unwrap(dk.wrapped, dk.keyId, { tenantId: 't2' })).rejects.toThrow(DecryptionError);
  });

  it('fails closed on an unknown or disabled key', async () => {
    const kms = new LocalKms();
    await expect(new KmsKeyProvider(kms, 'missing').generateDataKey({})).rejects.toBeInstanceOf(KmsError);
    kms.createKey('k');
    const dk = await new KmsKeyProvider(kms, 'k').generateDataKey({});
    kms.disableKey('k');
    await expect(new KmsKeyProvider(kms, 'k').unwrap(dk.wrapped, 'k', {})).rejects.toThrow(/disabled/);
  });

  it('KEY_PROVIDER=kms without a client or key id refuses to start', () => {
    const config = loadConfig({ KEY_PROVIDER: 'kms' });
    expect(() => keyProviderFromConfig(config)).toThrow(/KMS_KEY_ID/);
    expect(keyProviderFromConfig(loadConfig({}))).toBeInstanceOf(LocalKeyProvider);
  });
});
