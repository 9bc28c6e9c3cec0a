import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Format byte of a sealed value: AES-256-GCM, 12-byte IV, 16-byte tag. */
const V1 = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Bytes a sealed value adds to its plaintext. */
export const SEAL_OVERHEAD = 1 + IV_BYTES + TAG_BYTES;

/** A sealed value failed its integrity check: wrong key, wrong context, or edited bytes. */
export class DecryptionError extends Error {
  constructor(message = 'the ciphertext does not open with this key and context') {
    super(message);
    this.name = 'DecryptionError';
  }
}

function checkKey(key: Uint8Array): void {
  if (key.length !== 32) throw new RangeError(`an AES-256 key has 32 bytes, got ${key.length}`);
}

/**
 * Encrypts `plaintext` with AES-256-GCM under `key` and a fresh random IV, binding `aad` (e.g. the
 * row it belongs to) so a value moved to another row does not open. Layout: version | IV | tag | ciphertext.
 */
export function seal(key: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Buffer {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  if (aad) cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(V1), iv, cipher.getAuthTag(), body]);
}

/**
 * Opens a value made by {@link seal} with the same key and `aad`.
 *
 * @throws DecryptionError when the key, the aad or any byte differs
 */
export function open(key: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Buffer {
  checkKey(key);
  if (sealed.length < SEAL_OVERHEAD || sealed[0] !== V1) throw new DecryptionError('not a sealed value');
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, SEAL_OVERHEAD);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  if (aad) decipher.setAAD(aad);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(SEAL_OVERHEAD)), decipher.final()]);
  } catch {
    throw new DecryptionError();
  }
}
