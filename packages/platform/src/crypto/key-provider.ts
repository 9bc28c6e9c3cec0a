import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { canonicalJson } from '../canonical-json.js';
import type { Config } from '../config.js';
import { DecryptionError, open, seal } from './envelope.js';

/**
 * What a data key is bound to (KMS "encryption context"): the same context must be given to unwrap
 * it, so a wrapped key copied to another tenant's or tape's row does not open.
 */
export type EncryptionContext = Readonly<Record<string, string>>;

/** A fresh data key: use `plaintext` and forget it; store `wrapped` and `keyId` beside the data. */
export interface DataKey {
  plaintext: Buffer;
  wrapped: Buffer;
  keyId: string;
}

/**
 * Envelope encryption's key side: data keys are generated and wrapped by a key-encryption key the
 * platform never stores beside the data (a local key file in development, a KMS in production).
 */
export interface KeyProvider {
  readonly name: string;
  /** A new AES-256 data key, wrapped under the provider's key for `context`. */
  generateDataKey(context: EncryptionContext): Promise<DataKey>;
  /** @throws DecryptionError when `wrapped` was not made by this provider for `context` */
  unwrap(wrapped: Uint8Array, keyId: string, context: EncryptionContext): Promise<Buffer>;
}

const contextBytes = (context: EncryptionContext) => Buffer.from(canonicalJson(context));

/**
 * The development key provider: the key-encryption key is 32 random bytes in a local file (hex),
 * created with mode 0600 on first use unless `create` is false (production refuses to invent one).
 */
export class LocalKeyProvider implements KeyProvider {
  readonly name = 'local';
  private kek?: Promise<Buffer>;

  constructor(
    private readonly file: string,
    private readonly create = true,
  ) {}

  private async key(): Promise<Buffer> {
    this.kek ??= (async () => {
      let text: string | undefined;
      try {
        text = (await readFile(this.file, 'utf8')).trim();
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        if (!this.create) throw new Error(`the local key file ${this.file} does not exist`);
        text = randomBytes(32).toString('hex');
        await mkdir(dirname(this.file), { recursive: true });
        await writeFile(this.file, `${text}\n`, { mode: 0o600, flag: 'wx' }).catch(async (e) => {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
          text = (await readFile(this.file, 'utf8')).trim(); // another process made it first
        });
        await chmod(this.file, 0o600).catch(() => undefined);
      }
      if (!/^[0-9a-f]{64}$/i.test(text)) throw new Error(`${this.file} must hold 32 bytes as hex`);
      return Buffer.from(text, 'hex');
    })();
    this.kek.catch(() => (this.kek = undefined));
    return this.kek;
  }

  private async keyId(): Promise<string> {
    const digest = createHash('sha256')
      .update(await this.key())
      .digest('hex');
    return `local:${digest.slice(0, 16)}`;
  }

  async generateDataKey(context: EncryptionContext): Promise<DataKey> {
    const plaintext = randomBytes(32);
    return {
      plaintext,
      wrapped: seal(await this.key(), plaintext, contextBytes(context)),
      keyId: await this.keyId(),
    };
  }

  async unwrap(wrapped: Uint8Array, keyId: string, context: EncryptionContext): Promise<Buffer> {
    if (keyId !== (await this.keyId()))
      throw new DecryptionError(`the data key was wrapped by ${keyId}, not by this key file`);
    return open(await this.key(), wrapped, contextBytes(context));
  }
}

/**
 * The calls a key management service answers, shaped like AWS KMS' `GenerateDataKey` and `Decrypt`
 * (an Azure Key Vault or GCP KMS adapter implements the same two): the key never leaves the service.
 */
export interface KmsClient {
  generateDataKey(input: {
    KeyId: string;
    KeySpec: 'AES_256';
    EncryptionContext: EncryptionContext;
  }): Promise<{ KeyId: string; Plaintext: Uint8Array; CiphertextBlob: Uint8Array }>;
  decrypt(input: {
    KeyId: string;
    CiphertextBlob: Uint8Array;
    EncryptionContext: EncryptionContext;
  }): Promise<{ KeyId: string; Plaintext: Uint8Array }>;
}

/** A KMS error, with the service's exception name (`InvalidCiphertextException`, …). */
export class KmsError extends Error {
  constructor(
    readonly code: 'NotFoundException' | 'DisabledException' | 'InvalidCiphertextException',
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** The production key provider: data keys come from, and are unwrapped by, a KMS key. */
export class KmsKeyProvider implements KeyProvider {
  readonly name = 'kms';
  constructor(
    private readonly client: KmsClient,
    private readonly keyId: string,
  ) {}

  async generateDataKey(context: EncryptionContext): Promise<DataKey> {
    const out = await this.client.generateDataKey({
      KeyId: this.keyId,
      KeySpec: 'AES_256',
      EncryptionContext: context,
    });
    return {
      plaintext: Buffer.from(out.Plaintext),
      wrapped: Buffer.from(out.CiphertextBlob),
      keyId: out.KeyId,
    };
  }

  async unwrap(wrapped: Uint8Array, keyId: string, context: EncryptionContext): Promise<Buffer> {
    try {
      const out = await this.client.decrypt({
        KeyId: keyId,
        CiphertextBlob: wrapped,
        EncryptionContext: context,
      });
      return Buffer.from(out.Plaintext);
    } catch (err) {
      if (err instanceof KmsError && err.code === 'InvalidCiphertextException')
        throw new DecryptionError(err.message);
      throw err;
    }
  }
}

/**
 * An in-process KMS that behaves as AWS KMS documents it for these two calls: unknown key →
 * NotFoundException, disabled key → DisabledException, another key or encryption context →
 * InvalidCiphertextException. For tests of the KMS path and for local runs with KEY_PROVIDER=kms.
 */
export class LocalKms implements KmsClient {
  private readonly keys = new Map<string, { material: Buffer; enabled: boolean }>();

  createKey(keyId: string): void {
    this.keys.set(keyId, { material: randomBytes(32), enabled: true });
  }

  disableKey(keyId: string): void {
    const key = this.keys.get(keyId);
    if (key) key.enabled = false;
  }

  private keyOf(keyId: string) {
    const key = this.keys.get(keyId);
    if (!key) throw new KmsError('NotFoundException', `Key '${keyId}' does not exist`);
    if (!key.enabled) throw new KmsError('DisabledException', `${keyId} is disabled.`);
    return key;
  }

  async generateDataKey(input: Parameters<KmsClient['generateDataKey']>[0]) {
    const key = this.keyOf(input.KeyId);
    const plaintext = randomBytes(32);
    const blob = seal(key.material, plaintext, contextBytes(input.EncryptionContext));
    return { KeyId: input.KeyId, Plaintext: plaintext, CiphertextBlob: blob };
  }

  async decrypt(input: Parameters<KmsClient['decrypt']>[0]) {
    const key = this.keyOf(input.KeyId);
    try {
      return {
        KeyId: input.KeyId,
        Plaintext: open(key.material, input.CiphertextBlob, contextBytes(input.EncryptionContext)),
      };
    } catch {
      throw new KmsError('InvalidCiphertextException', 'The ciphertext is invalid for this key and context');
    }
  }
}

/**
 * The configured key provider. `kms` needs the deployment's KMS client (the platform ships the
 * adapter, not a cloud SDK): without one it fails at start rather than storing PII unprotected.
 */
export function keyProviderFromConfig(config: Config, kms?: KmsClient): KeyProvider {
  if (config.KEY_PROVIDER === 'kms') {
    if (!kms || !config.KMS_KEY_ID)
      throw new Error(
        'KEY_PROVIDER=kms needs KMS_KEY_ID and a KMS client (see packages/platform/src/crypto)',
      );
    return new KmsKeyProvider(kms, config.KMS_KEY_ID);
  }
  return new LocalKeyProvider(config.LOCAL_KEY_FILE, config.NODE_ENV !== 'production');
}
