// A local AWS KMS for development and tests, behaving like the documented JSON API for the two
// operations an Ethereum signer needs: TrentService.GetPublicKey and TrentService.Sign (MessageType
// DIGEST, ECDSA_SHA_256) on ECC_SECG_P256K1 keys. Requests must carry a valid SigV4 signature
// (service kms, the sandbox's region) made with its one access key; errors are answered as KMS
// answers them: HTTP 400 with `{ "__type": ..., "message": ... }`.
import { generateKeyPairSync, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SigningKey, computeAddress, getBytes, id as keccakOfText, keccak256 } from 'ethers';
import { ecdsaSignatureToDer, spkiFromSecp256k1Point } from './der.js';
import { amzDate, canonicalRequest, sigV4Signature, SIGV4_ALGORITHM } from './sigv4.js';

export interface KmsSandboxOptions {
  /** 0 or unset: a free port. */
  port?: number;
  host?: string;
  /** Default us-east-1; requests signed for another region are refused. */
  region?: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** secp256k1 keys: given private keys, or `count` keys derived from `seed` (stable across restarts). */
  keys: string[] | { seed: string; count: number };
  /** Also hold this many ECC_NIST_P256 keys (not usable for Ethereum), to exercise refusals. */
  nistP256Keys?: number;
  /** Allowed clock skew of X-Amz-Date (default 300 s, as AWS). */
  maxSkewSeconds?: number;
}

export interface RunningKmsSandbox {
  /** The endpoint (ORACLE_KMS_ENDPOINT). */
  url: string;
  region: string;
  /** The secp256k1 keys' ids, in the order of `keys`. */
  keyIds: string[];
  /** Their Ethereum addresses, in the same order (e.g. DistributionManager's oracle signers). */
  addresses: string[];
  /** The ECC_NIST_P256 keys' ids. */
  nistP256KeyIds: string[];
  /** How many Sign calls each key id has answered. */
  signCount(keyId: string): number;
  close(): Promise<void>;
}

interface SandboxKey {
  keySpec: 'ECC_SECG_P256K1' | 'ECC_NIST_P256';
  spki: Uint8Array;
  sign(digest: Uint8Array): Uint8Array;
  signs: number;
}

class KmsFault extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const ACCOUNT = '111122223333';
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** A KMS-shaped key id (a UUID) derived from the key, so ids are stable for the same keys. */
function keyIdOf(privateKey: string): string {
  const h = keccak256(privateKey).slice(2, 34);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function secp256k1Key(privateKey: string): SandboxKey {
  const signingKey = new SigningKey(privateKey);
  return {
    keySpec: 'ECC_SECG_P256K1',
    spki: spkiFromSecp256k1Point(getBytes(signingKey.publicKey)),
    sign: (digest) => {
      const sig = signingKey.sign(digest);
      // KMS does not normalise s (EIP-2): answer the high-s twin for about half the digests
      const s = (digest[31] ?? 0) & 1 ? SECP256K1_N - BigInt(sig.s) : BigInt(sig.s);
      return ecdsaSignatureToDer(sig.r, s);
    },
    signs: 0,
  };
}

function nistP256Key(): SandboxKey {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    keySpec: 'ECC_NIST_P256',
    spki: publicKey.export({ type: 'spki', format: 'der' }),
    sign: () => {
      throw new KmsFault('UnsupportedOperationException', 'The sandbox signs only with ECC_SECG_P256K1 keys');
    },
    signs: 0,
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 1 << 20) reject(new KmsFault('ValidationException', 'Request body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const header = (req: IncomingMessage, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
};

/**
 * Starts a local KMS on `port` (a free one by default) holding `keys`, and answers GetPublicKey and
 * Sign as AWS KMS does. It verifies every request's SigV4 signature against its access key and
 * secret: MissingAuthenticationTokenException without one, UnrecognizedClientException for another
 * access key id, InvalidSignatureException for a wrong signature, scope or stale date;
 * NotFoundException for an unknown KeyId; ValidationException for a malformed request;
 * UnknownOperationException for other targets.
 */
export async function startKmsSandbox(options: KmsSandboxOptions): Promise<RunningKmsSandbox> {
  const region = options.region ?? 'us-east-1';
  const maxSkewMs = (options.maxSkewSeconds ?? 300) * 1000;
  const given = options.keys;
  const privateKeys = Array.isArray(given)
    ? given
    : Array.from({ length: given.count }, (_, i) => keccakOfText(`kms-sandbox:${given.seed}:${i}`));
  const keys = new Map<string, SandboxKey>();
  const keyIds = privateKeys.map((k) => {
    const keyId = keyIdOf(k);
    keys.set(keyId, secp256k1Key(k));
    return keyId;
  });
  const nistP256KeyIds = Array.from({ length: options.nistP256Keys ?? 0 }, () => {
    const keyId = randomUUID();
    keys.set(keyId, nistP256Key());
    return keyId;
  });

  const resolveKey = (input: unknown): [string, SandboxKey] => {
    if (typeof input !== 'string' || input.length === 0 || input.length > 2048)
      throw new KmsFault(
        'ValidationException',
        "1 validation error detected: Value at 'keyId' failed to satisfy constraint",
      );
    const arn = /^arn:aws:kms:([^:]+):(\d{12}):key\/(.+)$/.exec(input);
    const keyId = arn?.[3] ?? input;
    const key = arn && arn[1] !== region ? undefined : keys.get(keyId);
    if (!key) throw new KmsFault('NotFoundException', `Invalid keyId ${input}`);
    return [keyId, key];
  };

  const authenticate = (req: IncomingMessage, body: string) => {
    const authorization = header(req, 'authorization');
    const xAmzDate = header(req, 'x-amz-date');
    if (!authorization)
      throw new KmsFault('MissingAuthenticationTokenException', 'Missing Authentication Token');
    const parts = new RegExp(
      `^${SIGV4_ALGORITHM} Credential=(?<accessKeyId>[^/]+)/(?<day>\\d{8})/(?<region>[^/]+)/(?<service>[^/]+)/aws4_request, ?SignedHeaders=(?<signedHeaders>[a-z0-9;-]+), ?Signature=(?<signature>[0-9a-f]{64})$`,
    ).exec(authorization)?.groups;
    if (!parts || !xAmzDate)
      throw new KmsFault(
        'IncompleteSignatureException',
        'Authorization header requires Credential, SignedHeaders, Signature and an X-Amz-Date',
      );
    const {
      accessKeyId = '',
      day = '',
      region: scopeRegion = '',
      service = '',
      signedHeaders = '',
      signature = '',
    } = parts;
    if (accessKeyId !== options.accessKeyId)
      throw new KmsFault(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    const names = signedHeaders.split(';');
    if (!names.includes('host') || !names.includes('x-amz-date'))
      throw new KmsFault('InvalidSignatureException', 'host and x-amz-date must be signed');
    if (scopeRegion !== region || service !== 'kms' || day !== xAmzDate.slice(0, 8))
      throw new KmsFault(
        'InvalidSignatureException',
        `Credential should be scoped to a valid region and service kms, and to the day of X-Amz-Date`,
      );
    const signedAt = Date.parse(
      xAmzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
    );
    if (!Number.isFinite(signedAt) || Math.abs(Date.now() - signedAt) > maxSkewMs)
      throw new KmsFault(
        'InvalidSignatureException',
        `Signature expired: ${xAmzDate} is not within ${maxSkewMs / 1000} s of ${amzDate(new Date())}`,
      );
    const signed: Record<string, string> = {};
    for (const name of names) {
      const value = header(req, name);
      if (value === undefined)
        throw new KmsFault('InvalidSignatureException', `Signed header ${name} is missing`);
      signed[name] = value;
    }
    const { request } = canonicalRequest(
      req.method ?? 'POST',
      `http://${header(req, 'host') ?? ''}${req.url ?? '/'}`,
      signed,
      body,
    );
    const expected = Buffer.from(
      sigV4Signature(request, xAmzDate, { region, service }, options.secretAccessKey),
    );
    if (!timingSafeEqual(expected, Buffer.from(signature)))
      throw new KmsFault(
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      );
  };

  const operations: Record<string, (input: Record<string, unknown>) => Record<string, unknown>> = {
    GetPublicKey: (input) => {
      const [keyId, key] = resolveKey(input.KeyId);
      return {
        KeyId: `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`,
        PublicKey: Buffer.from(key.spki).toString('base64'),
        KeySpec: key.keySpec,
        CustomerMasterKeySpec: key.keySpec,
        KeyUsage: 'SIGN_VERIFY',
        SigningAlgorithms: ['ECDSA_SHA_256'],
      };
    },
    Sign: (input) => {
      const [keyId, key] = resolveKey(input.KeyId);
      if (input.SigningAlgorithm !== 'ECDSA_SHA_256')
        throw new KmsFault(
          input.SigningAlgorithm === undefined ? 'ValidationException' : 'InvalidKeyUsageException',
          `SigningAlgorithm ${String(input.SigningAlgorithm)} is not valid for KeySpec ${key.keySpec}`,
        );
      const messageType = input.MessageType ?? 'RAW';
      if (messageType !== 'DIGEST')
        throw new KmsFault(
          'ValidationException',
          `The sandbox signs only MessageType DIGEST, not ${String(messageType)}`,
        );
      if (typeof input.Message !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(input.Message))
        throw new KmsFault(
          'ValidationException',
          "Value at 'message' failed to satisfy constraint: base64 required",
        );
      const digest = Buffer.from(input.Message, 'base64');
      if (digest.length !== 32)
        throw new KmsFault(
          'ValidationException',
          `Digest is invalid length for algorithm ECDSA_SHA_256: ${digest.length} bytes`,
        );
      const signature = key.sign(digest);
      key.signs++;
      return {
        KeyId: `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`,
        Signature: Buffer.from(signature).toString('base64'),
        SigningAlgorithm: 'ECDSA_SHA_256',
      };
    },
  };

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': randomUUID(),
      ...(status >= 400 ? { 'x-amzn-errortype': (body as { __type: string }).__type } : {}),
    });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    void (async () => {
      try {
        const body = await readBody(req);
        if (req.method !== 'POST' || (req.url ?? '/') !== '/')
          throw new KmsFault('UnknownOperationException', `${req.method ?? ''} ${req.url ?? ''}`, 404);
        authenticate(req, body);
        const target = header(req, 'x-amz-target') ?? '';
        const operation = target.startsWith('TrentService.') ? operations[target.slice(13)] : undefined;
        if (!operation) throw new KmsFault('UnknownOperationException', `Unknown operation ${target}`);
        if (!(header(req, 'content-type') ?? '').startsWith('application/x-amz-json-1.1'))
          throw new KmsFault('ValidationException', 'Content-Type must be application/x-amz-json-1.1');
        let input: unknown;
        try {
          input = JSON.parse(body);
        } catch {
          throw new KmsFault('SerializationException', 'Start of structure or map found where not expected');
        }
        if (typeof input !== 'object' || input === null || Array.isArray(input))
          throw new KmsFault('SerializationException', 'The request body must be a JSON object');
        answer(res, 200, operation(input as Record<string, unknown>));
      } catch (e) {
        if (e instanceof KmsFault) answer(res, e.status, { __type: e.type, message: e.message });
        else answer(res, 500, { __type: 'KMSInternalException', message: (e as Error).message });
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    region,
    keyIds,
    addresses: privateKeys.map((k) => computeAddress(k)),
    nistP256KeyIds,
    signCount: (keyId) => keys.get(keyId)?.signs ?? 0,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
