import { Signature, Wallet, verifyMessage, verifyTypedData } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  RemoteSigner,
  encryptKeystore,
  keystoreSigner,
  localKeyBackend,
  localKeySigner,
  startHardhatNode,
  type HardhatNodeHandle,
  type RemoteKeyBackend,
} from '../src/index.js';
import { DEV_KEYS, provider } from './helpers.js';

let node: HardhatNodeHandle;

beforeAll(async () => {
  node = await startHardhatNode();
});

afterAll(async () => {
  await node?.stop();
});

const domain = { name: 'Test', version: '1', chainId: 31337, verifyingContract: '0x' + '11'.repeat(20) };
const types = { Mail: [{ name: 'contents', type: 'string' }] };

describe('signers', () => {
  it('local key: a Wallet bound to the provider', async () => {
    const p = provider(node.rpcUrl);
    const s = localKeySigner(DEV_KEYS[1], p);
    expect(await s.getAddress()).toBe(new Wallet(DEV_KEYS[1]).address);
    expect(s.provider).toBe(p);
    p.destroy();
  });

  it('encrypted JSON keystore: round trip, and a wrong password is refused', async () => {
    const json = await encryptKeystore(DEV_KEYS[2], 'correct horse');
    const s = await keystoreSigner(json, 'correct horse');
    expect(s.address).toBe(new Wallet(DEV_KEYS[2]).address);
    await expect(keystoreSigner(json, 'wrong')).rejects.toThrow();
  });

  it('RemoteSigner (KMS/HSM interface) signs messages, typed data and transactions the chain accepts', async () => {
    const p = provider(node.rpcUrl);
    const remote = new RemoteSigner(localKeyBackend(DEV_KEYS[3]), p);
    const address = new Wallet(DEV_KEYS[3]).address;
    expect(await remote.getAddress()).toBe(address);
    expect(verifyMessage('hello', await remote.signMessage('hello'))).toBe(address);
    const typed = await remote.signTypedData(domain, types, { contents: 'payout' });
    expect(verifyTypedData(domain, types, { contents: 'payout' }, typed)).toBe(address);
    const tx = await remote.sendTransaction({ to: '0x' + '22'.repeat(20), value: 1n });
    const receipt = await tx.wait();
    expect(receipt?.status).toBe(1);
    expect(receipt?.from).toBe(address);
    expect(remote.connect(null).provider).toBeNull();
    p.destroy();
  });

  it('RemoteSigner normalises a high-s signature without v (as KMS returns) and rejects a foreign key', async () => {
    const inner = localKeyBackend(DEV_KEYS[3]);
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const highS: RemoteKeyBackend = {
      getAddress: inner.getAddress,
      signDigest: async (digest) => {
        const sig = await inner.signDigest(digest);
        return { r: sig.r, s: '0x' + (n - BigInt(sig.s)).toString(16).padStart(64, '0') };
      },
    };
    const signer = new RemoteSigner(highS);
    const sig = await signer.signMessage('kms');
    expect(BigInt(Signature.from(sig).s)).toBeLessThanOrEqual(n / 2n);
    expect(verifyMessage('kms', sig)).toBe(new Wallet(DEV_KEYS[3]).address);

    const liar: RemoteKeyBackend = {
      getAddress: inner.getAddress,
      signDigest: localKeyBackend(DEV_KEYS[0]).signDigest,
    };
    await expect(new RemoteSigner(liar).signMessage('x')).rejects.toThrow(/does not recover/);
  });
});
