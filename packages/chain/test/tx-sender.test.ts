import {
  AbstractSigner,
  JsonRpcProvider,
  Network,
  type Provider,
  type TransactionRequest,
  type TransactionResponse,
  Wallet,
  id,
  makeError,
} from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  AuditAnchor__factory,
  GasCapExceededError,
  InMemoryIdempotencyStore,
  MockStablecoin__factory,
  TransactionRevertedError,
  TxSender,
  startHardhatNode,
  type HardhatNodeHandle,
  type MockStablecoin,
} from '../src/index.js';
import { FlakyRpcProxy, provider, wallet } from './helpers.js';

let node: HardhatNodeHandle;
let proxy: FlakyRpcProxy;
let p: JsonRpcProvider;
let owner: Wallet;
let coin: MockStablecoin;
let coinAddress: string;

beforeAll(async () => {
  node = await startHardhatNode();
  proxy = new FlakyRpcProxy(node.rpcUrl);
  p = provider(await proxy.start());
  owner = wallet(0, p);
  coin = await (await new MockStablecoin__factory(owner).deploy(owner.address)).waitForDeployment();
  coinAddress = await coin.getAddress();
});

afterAll(async () => {
  p?.destroy();
  await proxy?.stop();
  await node?.stop();
});

/** A signer whose node holds the key (like Hardhat's accounts): it can send, but not sign only. */
class NodeSigner extends AbstractSigner {
  constructor(private readonly wallet: Wallet) {
    super(wallet.provider);
  }
  override connect(provider: Provider | null): NodeSigner {
    return new NodeSigner(this.wallet.connect(provider));
  }
  override getAddress(): Promise<string> {
    return this.wallet.getAddress();
  }
  override signTransaction(): Promise<string> {
    throw makeError('signing without sending is not supported', 'UNSUPPORTED_OPERATION');
  }
  override sendTransaction(tx: TransactionRequest): Promise<TransactionResponse> {
    return this.wallet.sendTransaction(tx);
  }
  override signMessage(message: string | Uint8Array): Promise<string> {
    return this.wallet.signMessage(message);
  }
  override signTypedData(...args: Parameters<Wallet['signTypedData']>): Promise<string> {
    return this.wallet.signTypedData(...args);
  }
}

const mintData = (to: string, amount: bigint) => coin.interface.encodeFunctionData('mint', [to, amount]);

describe('TxSender', () => {
  it('sends concurrent operations with distinct nonces and waits for their confirmations', async () => {
    const sender = new TxSender(owner, { store: new InMemoryIdempotencyStore(), confirmations: 1 });
    const recipients = Array.from({ length: 12 }, (_, i) => '0x' + (i + 1).toString(16).padStart(40, '0'));
    const results = await Promise.all(
      recipients.map((to, i) =>
        sender.send({ idempotencyKey: `mint:${i}`, to: coinAddress, data: mintData(to, 1_000n + BigInt(i)) }),
      ),
    );
    const nonces = await Promise.all(results.map(async (r) => (await p.getTransaction(r.txHash))?.nonce));
    expect(new Set(nonces).size).toBe(recipients.length);
    for (const [i, to] of recipients.entries()) expect(await coin.balanceOf(to)).toBe(1_000n + BigInt(i));
    expect(results.every((r) => r.sentNow && r.receipt.status === 1)).toBe(true);
  });

  it('recovers when another sender (another service with the same key) takes its nonces', async () => {
    // Two services share the platform's key; each caches its next nonce, so they collide.
    const one = new TxSender(owner, { store: new InMemoryIdempotencyStore(), confirmations: 1 });
    const two = new TxSender(owner, { store: new InMemoryIdempotencyStore(), confirmations: 1 });
    const to = (i: number) => '0x' + (0xa00 + i).toString(16).padStart(40, '0');
    await one.send({ idempotencyKey: 'warm', to: coinAddress, data: mintData(to(99), 1n) });
    await two.send({ idempotencyKey: 'warm', to: coinAddress, data: mintData(to(98), 1n) });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? one : two).send({
          idempotencyKey: `shared:${i}`,
          to: coinAddress,
          data: mintData(to(i), 7n),
        }),
      ),
    );
    expect(results.every((r) => r.receipt.status === 1)).toBe(true);
    for (let i = 0; i < 8; i += 1) expect(await coin.balanceOf(to(i))).toBe(7n);
  });

  it('never sends twice for one idempotency key: concurrently, on retry, or after a restart', async () => {
    const store = new InMemoryIdempotencyStore();
    const sender = new TxSender(owner, { store });
    const to = '0x00000000000000000000000000000000000000aa';
    const request = { idempotencyKey: 'distribution:42:fund', to: coinAddress, data: mintData(to, 5n) };
    const [a, b] = await Promise.all([sender.send(request), sender.send(request)]);
    expect(a.txHash).toBe(b.txHash);
    const again = await sender.send(request);
    expect(again.txHash).toBe(a.txHash);
    expect(again.sentNow).toBe(false);
    const restarted = new TxSender(owner, { store }); // a new process over the same store
    expect((await restarted.send(request)).txHash).toBe(a.txHash);
    expect(await coin.balanceOf(to)).toBe(5n);
    expect((await store.get('distribution:42:fund'))?.status).toBe('confirmed');
  });

  it('returns only after the requested number of confirmations', async () => {
    const sender = new TxSender(owner, {
      store: new InMemoryIdempotencyStore(),
      confirmations: 3,
      pollIntervalMs: 50,
    });
    let mined = false;
    const miner = (async () => {
      await new Promise((r) => setTimeout(r, 300));
      mined = true;
      await p.send('hardhat_mine', ['0x2']);
    })();
    const r = await sender.send({
      idempotencyKey: 'three-confs',
      to: coinAddress,
      data: mintData(owner.address, 1n),
    });
    await miner;
    expect(mined).toBe(true);
    expect((await p.getBlockNumber()) - r.receipt.blockNumber + 1).toBeGreaterThanOrEqual(3);
  });

  it('creates a contract (no `to`) and returns its address; the same key finds it instead of redeploying', async () => {
    const store = new InMemoryIdempotencyStore();
    const { data } = await new MockStablecoin__factory().getDeployTransaction(owner.address);
    const request = { idempotencyKey: 'deploy:coin', data };
    const first = await new TxSender(owner, { store }).send(request);
    expect(first.contractAddress).toBe(first.receipt.contractAddress);
    expect(await p.getCode(first.contractAddress ?? '')).not.toBe('0x');
    const nonce = await owner.getNonce();
    const again = await new TxSender(owner, { store }).send(request); // a restarted process
    expect(again).toMatchObject({ sentNow: false, contractAddress: first.contractAddress });
    expect(await owner.getNonce()).toBe(nonce);
  });

  it('sends through a signer that cannot sign without sending (the node signs), once per key', async () => {
    const store = new InMemoryIdempotencyStore();
    const nodeSigner = new NodeSigner(wallet(1, p));
    const { data } = await new MockStablecoin__factory().getDeployTransaction(owner.address);
    const created = await new TxSender(nodeSigner, { store }).send({ idempotencyKey: 'node:deploy', data });
    expect(await p.getCode(created.contractAddress ?? '')).not.toBe('0x');
    expect((await store.get('node:deploy'))?.txHash).toBe(created.txHash);
    const nonce = await p.getTransactionCount(nodeSigner.getAddress());
    const again = await new TxSender(nodeSigner, { store }).send({ idempotencyKey: 'node:deploy', data });
    expect(again).toMatchObject({ sentNow: false, contractAddress: created.contractAddress });
    expect(await p.getTransactionCount(nodeSigner.getAddress())).toBe(nonce);
  });

  it('refuses a signer that cannot sign without sending on a non-local chain, sending nothing', async () => {
    // A provider that reports Sepolia's chain id while talking to the local node.
    const sepolia = new JsonRpcProvider(node.rpcUrl, Network.from(11155111), { staticNetwork: true });
    const nodeSigner = new NodeSigner(wallet(2, sepolia));
    const store = new InMemoryIdempotencyStore();
    const nonce = await p.getTransactionCount(nodeSigner.getAddress());
    const { data } = await new MockStablecoin__factory().getDeployTransaction(owner.address);
    await expect(
      new TxSender(nodeSigner, { store }).send({ idempotencyKey: 'node:sepolia', data }),
    ).rejects.toThrow(/allowed only on local chains .* not chain 11155111/);
    expect(await store.get('node:sepolia')).toBeUndefined();
    expect(await p.getTransactionCount(nodeSigner.getAddress())).toBe(nonce);
    sepolia.destroy();
  });

  it('refuses a transaction whose estimated gas exceeds the cap, sending nothing', async () => {
    const store = new InMemoryIdempotencyStore();
    const sender = new TxSender(owner, { store, maxGas: 30_000n });
    await expect(
      sender.send({ idempotencyKey: 'too-big', to: coinAddress, data: mintData(owner.address, 1n) }),
    ).rejects.toBeInstanceOf(GasCapExceededError);
    expect(await store.get('too-big')).toBeUndefined();
  });

  it('retries transient RPC errors (HTTP 503) on estimation and broadcast', async () => {
    const sender = new TxSender(owner, { store: new InMemoryIdempotencyStore(), retryBaseMs: 20 });
    proxy.failNext('eth_estimateGas', 2);
    proxy.failNext('eth_sendRawTransaction', 2);
    const to = '0x00000000000000000000000000000000000000bb';
    const r = await sender.send({ idempotencyKey: 'flaky', to: coinAddress, data: mintData(to, 7n) });
    expect(r.receipt.status).toBe(1);
    expect(await coin.balanceOf(to)).toBe(7n);
  });

  it('lets an operation the node refused (insufficient funds) be sent again under the same key', async () => {
    const store = new InMemoryIdempotencyStore();
    const broke = Wallet.createRandom().connect(p);
    const sender = new TxSender(broke, { store, retryBaseMs: 10 });
    const request = { idempotencyKey: 'needs-gas', to: owner.address, data: '0x', gasLimit: 21_000n };
    await expect(sender.send(request)).rejects.toThrow(
      /insufficient funds|sender doesn't have enough funds/i,
    );
    expect((await store.get('needs-gas'))?.status).toBe('rejected');
    await (await owner.sendTransaction({ to: broke.address, value: 10n ** 18n })).wait();
    const r = await sender.send(request);
    expect(r.sentNow).toBe(true);
    expect((await store.get('needs-gas'))?.status).toBe('confirmed');
  });

  it('reports a reverted transaction with TransactionRevertedError and records it', async () => {
    const store = new InMemoryIdempotencyStore();
    const sender = new TxSender(owner, { store });
    const anchor = await (await new AuditAnchor__factory(owner).deploy(owner.address)).waitForDeployment();
    const data = anchor.interface.encodeFunctionData('anchor', [id('ledger'), id('root'), 1n, 1n]); // no OPERATOR_ROLE
    await expect(
      sender.send({ idempotencyKey: 'reverts', to: await anchor.getAddress(), data, gasLimit: 200_000n }),
    ).rejects.toBeInstanceOf(TransactionRevertedError);
    expect((await store.get('reverts'))?.status).toBe('reverted');
  });
});
