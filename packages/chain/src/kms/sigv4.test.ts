import { createHash, generateKeyPairSync } from 'node:crypto';
import { SigningKey } from 'ethers';
import { describe, expect, it } from 'vitest';
import {
  ecdsaSignatureFromDer,
  ecdsaSignatureToDer,
  secp256k1PointFromSpki,
  spkiFromSecp256k1Point,
} from './der.js';
import { canonicalRequest, signAwsRequest, sigV4Signature, signingKey } from './sigv4.js';

// AWS's published SigV4 example ("Create a signed AWS API request": IAM ListUsers) and the
// aws-sig-v4-test-suite's get-vanilla case.
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const X_AMZ_DATE = '20150830T123600Z';

describe('SigV4', () => {
  it("reproduces AWS's documented example: canonical request hash, signing key and signature", () => {
    const { request, signedHeaders } = canonicalRequest(
      'GET',
      'https://iam.amazonaws.com/?Version=2010-05-08&Action=ListUsers',
      {
        Host: 'iam.amazonaws.com',
        'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
        'X-Amz-Date': X_AMZ_DATE,
      },
      '',
    );
    expect(signedHeaders).toBe('content-type;host;x-amz-date');
    expect(createHash('sha256').update(request).digest('hex')).toBe(
      'f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59',
    );
    expect(signingKey(SECRET, '20150830', { region: 'us-east-1', service: 'iam' }).toString('hex')).toBe(
      'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9',
    );
    expect(sigV4Signature(request, X_AMZ_DATE, { region: 'us-east-1', service: 'iam' }, SECRET)).toBe(
      '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
  });

  it('signs the test suite get-vanilla request to its expected Authorization header', () => {
    const headers = signAwsRequest(
      { method: 'GET', url: 'https://example.amazonaws.com/', headers: {}, body: '' },
      { region: 'us-east-1', service: 'service' },
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET },
      new Date('2015-08-30T12:36:00Z'),
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
        'SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('signs a session token as X-Amz-Security-Token', () => {
    const headers = signAwsRequest(
      { method: 'POST', url: 'http://127.0.0.1:8080/', headers: {}, body: '{}' },
      { region: 'eu-west-1', service: 'kms' },
      { accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'token' },
    );
    expect(headers.host).toBe('127.0.0.1:8080');
    expect(headers['x-amz-security-token']).toBe('token');
    expect(headers.authorization).toContain('SignedHeaders=host;x-amz-date;x-amz-security-token,');
  });
});

describe('DER', () => {
  const key = new SigningKey('0x' + '42'.repeat(32));

  it('round-trips a secp256k1 SubjectPublicKeyInfo and refuses another curve', () => {
    const spki = spkiFromSecp256k1Point(Buffer.from(key.publicKey.slice(2), 'hex'));
    expect(spki.length).toBe(88);
    expect('0x' + Buffer.from(secp256k1PointFromSpki(spki)).toString('hex')).toBe(key.publicKey);
    const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
    expect(() => secp256k1PointFromSpki(p256.export({ type: 'spki', format: 'der' }))).toThrow(
      /the curve is not secp256k1/,
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(() => secp256k1PointFromSpki(rsa.export({ type: 'spki', format: 'der' }))).toThrow(
      /not an EC public key/,
    );
  });

  it('round-trips ECDSA signatures, including r and s with the high bit set or leading zeros', () => {
    for (const [r, s] of [
      [0xff00n << 240n, 1n],
      [0x7fn, (1n << 255n) + 5n],
      [(1n << 256n) - 1n, 0x80n],
    ] as const) {
      const parsed = ecdsaSignatureFromDer(ecdsaSignatureToDer(r, s));
      expect([BigInt(parsed.r), BigInt(parsed.s)]).toEqual([r, s]);
    }
    expect(() => ecdsaSignatureFromDer(Uint8Array.from([0x30, 0x03, 0x02, 0x01]))).toThrow(/truncated/);
    expect(() =>
      ecdsaSignatureFromDer(Uint8Array.from([0x30, 0x06, 0x02, 0x01, 0x80, 0x02, 0x01, 0x01])),
    ).toThrow(/positive/);
  });
});
