// A RemoteKeyBackend over AWS KMS's JSON API (the "TrentService" target): GetPublicKey for the
// address, Sign with MessageType DIGEST for signatures. Plain fetch and SigV4 (./sigv4.ts), so no
// AWS SDK is needed; the local stand-in that speaks the same API is ./kms-sandbox.ts.
import { computeAddress, getBytes, hexlify } from 'ethers';
import type { RemoteKeyBackend } from '../signer.js';
import { ecdsaSignatureFromDer, secp256k1PointFromSpki } from './der.js';
import { signAwsRequest, type AwsCredentials } from './sigv4.js';

/** The only KeySpec an Ethereum key can have. */
export const AWS_KMS_ETHEREUM_KEY_SPEC = 'ECC_SECG_P256K1';

export interface AwsKmsKeyOptions {
  /** Key id, key ARN, alias name (`alias/…`) or alias ARN. */
  keyId: string;
  region: string;
  credentials: AwsCredentials;
  /** Default `https://kms.<region>.amazonaws.com`; a VPC endpoint or a local KMS otherwise. */
  endpoint?: string;
  /** Per request (default 10 000 ms). */
  timeoutMs?: number;
}

/** An error answered by KMS: `type` is its `__type` (e.g. NotFoundException, InvalidSignatureException). */
export class AwsKmsError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
  ) {
    super(`AWS KMS ${type}: ${message}`);
    this.name = 'AwsKmsError';
  }
}

interface GetPublicKeyResponse {
  KeyId?: string;
  PublicKey?: string;
  KeySpec?: string;
  KeyUsage?: string;
}

interface SignResponse {
  KeyId?: string;
  Signature?: string;
  SigningAlgorithm?: string;
}

/**
 * An Ethereum key held in AWS KMS (KeySpec ECC_SECG_P256K1, KeyUsage SIGN_VERIFY): the address is
 * derived from GetPublicKey's SubjectPublicKeyInfo (keccak of the uncompressed point) and cached;
 * `signDigest` sends the 32-byte digest to Sign (MessageType DIGEST, ECDSA_SHA_256) and returns the
 * DER signature's (r, s) without v — wrap it in `RemoteSigner`, which normalises s and finds v.
 * Requests are signed with SigV4 for service `kms`. Throws `AwsKmsError` with the API's `__type`
 * when KMS refuses (NotFoundException, InvalidSignatureException, UnrecognizedClientException,
 * DisabledException, AccessDeniedException, ...), and a plain Error for a key that is not secp256k1
 * or not for signing, a digest that is not 32 bytes, or a malformed answer.
 */
export class AwsKmsKeyBackend implements RemoteKeyBackend {
  readonly #options: AwsKmsKeyOptions;
  readonly #endpoint: string;
  #address: Promise<string> | undefined;

  constructor(options: AwsKmsKeyOptions) {
    if (!options.keyId) throw new Error('AwsKmsKeyBackend: keyId required');
    if (!options.region) throw new Error('AwsKmsKeyBackend: region required');
    if (!options.credentials.accessKeyId || !options.credentials.secretAccessKey)
      throw new Error('AwsKmsKeyBackend: an access key id and secret access key are required');
    this.#options = options;
    this.#endpoint = new URL(options.endpoint ?? `https://kms.${options.region}.amazonaws.com`).href;
  }

  get keyId(): string {
    return this.#options.keyId;
  }

  getAddress(): Promise<string> {
    if (this.#address) return this.#address;
    const lookup = this.#fetchAddress();
    this.#address = lookup;
    // a failed lookup is not cached: the next call asks again
    lookup.catch(() => {
      if (this.#address === lookup) this.#address = undefined;
    });
    return lookup;
  }

  async signDigest(digest: string): Promise<{ r: string; s: string }> {
    const bytes = getBytes(digest);
    if (bytes.length !== 32) throw new Error(`AwsKmsKeyBackend: a digest is 32 bytes, got ${bytes.length}`);
    const answer = await this.#call<SignResponse>('Sign', {
      KeyId: this.#options.keyId,
      Message: Buffer.from(bytes).toString('base64'),
      MessageType: 'DIGEST',
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
    if (typeof answer.Signature !== 'string')
      throw new Error(`AwsKmsKeyBackend: Sign of ${this.#options.keyId} answered no Signature`);
    return ecdsaSignatureFromDer(Buffer.from(answer.Signature, 'base64'));
  }

  async #fetchAddress(): Promise<string> {
    const keyId = this.#options.keyId;
    const answer = await this.#call<GetPublicKeyResponse>('GetPublicKey', { KeyId: keyId });
    if (answer.KeySpec !== AWS_KMS_ETHEREUM_KEY_SPEC)
      throw new Error(
        `AwsKmsKeyBackend: key ${keyId} has KeySpec ${answer.KeySpec ?? '(none)'}; an Ethereum key must be ${AWS_KMS_ETHEREUM_KEY_SPEC}`,
      );
    if (answer.KeyUsage !== 'SIGN_VERIFY')
      throw new Error(
        `AwsKmsKeyBackend: key ${keyId} has KeyUsage ${answer.KeyUsage ?? '(none)'}, not SIGN_VERIFY`,
      );
    if (typeof answer.PublicKey !== 'string')
      throw new Error(`AwsKmsKeyBackend: GetPublicKey of ${keyId} answered no PublicKey`);
    return computeAddress(hexlify(secp256k1PointFromSpki(Buffer.from(answer.PublicKey, 'base64'))));
  }

  async #call<T>(operation: 'GetPublicKey' | 'Sign', input: Record<string, string>): Promise<T> {
    const body = JSON.stringify(input);
    const headers = signAwsRequest(
      {
        method: 'POST',
        url: this.#endpoint,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `TrentService.${operation}`,
        },
        body,
      },
      { region: this.#options.region, service: 'kms' },
      this.#options.credentials,
    );
    // fetch sets Host itself (from the URL, as signed)
    delete headers.host;
    const res = await fetch(this.#endpoint, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(this.#options.timeoutMs ?? 10_000),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      throw new Error(`AwsKmsKeyBackend: ${operation} answered HTTP ${res.status} with a non-JSON body`);
    }
    if (!res.ok) {
      const error = json as { __type?: string; message?: string; Message?: string };
      // __type may be namespaced ("com.amazonaws.kms#NotFoundException")
      const raw = error.__type ?? res.headers.get('x-amzn-errortype') ?? 'UnknownError';
      const type = raw.slice(raw.lastIndexOf('#') + 1).split(':')[0] ?? raw;
      throw new AwsKmsError(type, res.status, error.message ?? error.Message ?? `HTTP ${res.status}`);
    }
    return json as T;
  }
}
