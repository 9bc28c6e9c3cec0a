import { Transaction, Wallet, verifyTypedData } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHardhatNode, type HardhatNodeHandle } from '../hardhat-node.js';
import { RemoteSigner } from '../signer.js';
import { DEV_KEYS, provider } from '../../test/helpers.js';
import { AwsKmsError, AwsKmsKeyBackend } from './aws-kms.js';
import { startKmsSandbox, type RunningKmsSandbox } from './kms-sandbox.js';

const credentials = { accessKeyId: 'AKIASANDBOXORACLE01', secretAccessKey: 'sandbox/secret/key' };
// a funded Hardhat account, so a transaction signed in the KMS can be mined
const ORACLE_KEY = DEV_KEYS[3];

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

let kms: RunningKmsSandbox;
let node: HardhatNodeHandle;

beforeAll(async () => {
  [kms, node] = await Promise.all([
    startKmsSandbox({ ...credentials, region: 'eu-west-1', keys: [ORACLE_KEY], nistP256Keys: 1 }),
    startHardhatNode(),
  ]);
});

afterAll(async () => {
  await Promise.all([kms?.close(), node?.stop()]);
});

const backend = (keyId: string, overrides: Partial<ConstructorParameters<typeof AwsKmsKeyBackend>[0]> = {}) =>
  new AwsKmsKeyBackend({ keyId, region: 'eu-west-1', endpoint: kms.url, credentials, ...overrides });

// the oracle publication's shape (DistributionManager's EIP-712 Publication)
const domain = {
  name: 'DistributionManager',
  version: '1',
  chainId: 31337,
  verifyingContract: '0x' + '11'.repeat(20),
};
const types = {
  Publication: [
    { name: 'distributionId', type: 'bytes32' },
    { name: 'merkleRoot', type: 'bytes32' },
    { name: 'total', type: 'uint256' },
    { name: 'recordBlock', type: 'uint64' },
  ],
};
const publication = {
  distributionId: '0x' + 'ab'.repeat(32),
  merkleRoot: '0x' + 'cd'.repeat(32),
  total: 1_234_567_890n,
  recordBlock: 42n,
};

describe('AwsKmsKeyBackend against the local KMS', () => {
  it("derives the key's Ethereum address from GetPublicKey's SubjectPublicKeyInfo, by key id and by ARN", async () => {
    const [keyId] = kms.keyIds;
    const address = new Wallet(ORACLE_KEY).address;
    expect(await backend(keyId!).getAddress()).toBe(address);
    expect(await backend(`arn:aws:kms:eu-west-1:111122223333:key/${keyId!}`).getAddress()).toBe(address);
    expect(kms.addresses).toEqual([address]);
  });

  it('a RemoteSigner over it signs EIP-712 typed data that verifyTypedData recovers to that address', async () => {
    const [keyId] = kms.keyIds;
    const signer = new RemoteSigner(backend(keyId!));
    const before = kms.signCount(keyId!);
    for (let i = 0n; i < 6n; i++) {
      const value = { ...publication, recordBlock: 42n + i };
      const signature = await signer.signTypedData(domain, types, value);
      expect(verifyTypedData(domain, types, value, signature)).toBe(new Wallet(ORACLE_KEY).address);
    }
    expect(kms.signCount(keyId!) - before).toBe(6);
    // like KMS, the sandbox answers high-s signatures too: RemoteSigner's normalisation is exercised
    const raw = await backend(keyId!).signDigest('0x' + '01'.repeat(32));
    expect(BigInt(raw.s) > SECP256K1_N / 2n).toBe(true);
  });

  it('a transaction signed in the KMS is valid and mined from its address', async () => {
    const [keyId] = kms.keyIds;
    const p = provider(node.rpcUrl);
    const signer = new RemoteSigner(backend(keyId!), p);
    const raw = await signer.signTransaction(
      await signer.populateTransaction({ to: '0x' + '22'.repeat(20), value: 1n }),
    );
    expect(Transaction.from(raw).from).toBe(await signer.getAddress());
    const receipt = await (await p.broadcastTransaction(raw)).wait();
    expect(receipt?.status).toBe(1);
    expect(receipt?.from).toBe(new Wallet(ORACLE_KEY).address);
    p.destroy();
  });

  it('a wrong secret is refused with InvalidSignatureException, an unknown access key with UnrecognizedClientException', async () => {
    const [keyId] = kms.keyIds;
    const wrongSecret = backend(keyId!, {
      credentials: { ...credentials, secretAccessKey: 'not-the-secret' },
    });
    await expect(wrongSecret.getAddress()).rejects.toMatchObject({
      name: 'AwsKmsError',
      type: 'InvalidSignatureException',
      status: 400,
    });
    await expect(wrongSecret.signDigest('0x' + '00'.repeat(32))).rejects.toThrow(/InvalidSignatureException/);
    const otherKey = backend(keyId!, { credentials: { ...credentials, accessKeyId: 'AKIAOTHER' } });
    await expect(otherKey.getAddress()).rejects.toMatchObject({ type: 'UnrecognizedClientException' });
    const otherRegion = backend(keyId!, { region: 'us-east-1' });
    await expect(otherRegion.getAddress()).rejects.toMatchObject({ type: 'InvalidSignatureException' });
  });

  it('an unknown key is refused with NotFoundException, and a failed lookup is not cached', async () => {
    const unknown = backend('00000000-0000-4000-8000-000000000000');
    const refusal = unknown.getAddress();
    await expect(refusal).rejects.toBeInstanceOf(AwsKmsError);
    await expect(refusal).rejects.toMatchObject({ type: 'NotFoundException' });
    await expect(unknown.signDigest('0x' + '01'.repeat(32))).rejects.toThrow(/NotFoundException/);
    await expect(new RemoteSigner(unknown).signMessage('x')).rejects.toThrow(/NotFoundException/);
  });

  it('a key that is not secp256k1 is refused by KeySpec, and a digest must be 32 bytes', async () => {
    const [p256] = kms.nistP256KeyIds;
    await expect(backend(p256!).getAddress()).rejects.toThrow(
      /KeySpec ECC_NIST_P256; an Ethereum key must be ECC_SECG_P256K1/,
    );
    const [keyId] = kms.keyIds;
    await expect(backend(keyId!).signDigest('0x1234')).rejects.toThrow(/32 bytes/);
  });

  it('the sandbox refuses unsigned and malformed requests as KMS does', async () => {
    const post = (headers: Record<string, string>, body: string) =>
      fetch(kms.url, { method: 'POST', headers, body }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { __type: string },
      }));
    const unsigned = await post(
      { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.GetPublicKey' },
      JSON.stringify({ KeyId: kms.keyIds[0] }),
    );
    expect(unsigned).toMatchObject({ status: 400, body: { __type: 'MissingAuthenticationTokenException' } });
    const { signAwsRequest } = await import('./sigv4.js');
    const signed = (target: string, body: string) => {
      const headers = signAwsRequest(
        {
          method: 'POST',
          url: kms.url,
          headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
          body,
        },
        { region: 'eu-west-1', service: 'kms' },
        credentials,
      );
      delete headers.host;
      return post(headers, body);
    };
    const shortDigest = await signed(
      'TrentService.Sign',
      JSON.stringify({
        KeyId: kms.keyIds[0],
        Message: Buffer.from('short').toString('base64'),
        MessageType: 'DIGEST',
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    expect(shortDigest.body.__type).toBe('ValidationException');
    expect((await signed('TrentService.GetPublicKey', '{"KeyId":')).body.__type).toBe(
      'SerializationException',
    );
    expect((await signed('TrentService.GetPublicKey', '{}')).body.__type).toBe('ValidationException');
    expect((await signed('TrentService.Decrypt', '{}')).body.__type).toBe('UnknownOperationException');
  });
});
