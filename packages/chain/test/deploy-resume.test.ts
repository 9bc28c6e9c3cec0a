// A deal-suite deployment that crashes part-way resumes from its idempotency store: the re-run sends
// only the missing steps, finds the contracts already created through their recorded transactions,
// and deploys nothing twice.
import { JsonRpcProvider, Network, Wallet, getAddress } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  type DealSuite,
  type DealSuiteParams,
  Deployment,
  IdentityRegistry__factory,
  InMemoryIdempotencyStore,
  Token__factory,
  TrustedIssuersRegistry__factory,
  deployDealSuite,
  registerInvestor,
  startHardhatNode,
  type HardhatNodeHandle,
} from '../src/index.js';
import { DEV_KEYS, provider } from './helpers.js';

/**
 * A provider that "crashes" the deployment at its `crashAt`-th broadcast: `after-broadcast` lets that
 * transaction reach the node and then fails the wait for its receipt (the process died with a
 * transaction in flight); `before-broadcast` fails the broadcast itself (it died before sending).
 */
class CrashingProvider extends JsonRpcProvider {
  broadcasts = 0;

  constructor(
    url: string,
    private readonly crashAt: number,
    private readonly mode: 'after-broadcast' | 'before-broadcast',
  ) {
    super(url, Network.from(31337), { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  }

  override async broadcastTransaction(signed: string): ReturnType<JsonRpcProvider['broadcastTransaction']> {
    this.broadcasts++;
    if (this.mode === 'before-broadcast' && this.broadcasts === this.crashAt)
      throw new Error('simulated crash');
    return super.broadcastTransaction(signed);
  }

  override async getTransactionReceipt(hash: string): ReturnType<JsonRpcProvider['getTransactionReceipt']> {
    if (this.mode === 'after-broadcast' && this.broadcasts >= this.crashAt)
      throw new Error('simulated crash');
    return super.getTransactionReceipt(hash);
  }
}

let node: HardhatNodeHandle;
let p: JsonRpcProvider;
const deployerKey = DEV_KEYS[2];
const owner = getAddress('0x00000000000000000000000000000000000071e1');

const params = (dealId: string): DealSuiteParams => ({
  dealId,
  complianceKey: new Wallet(deployerKey).address,
  restrictedCountries: [408],
  tranches: [
    { name: 'Resume Class A', symbol: 'A', maxBalance: 1_000n, supplyLimit: 10_000n, lockUpEnd: 2n ** 40n },
    { name: 'Resume Class B', symbol: 'B' },
  ],
  owner,
});

/** The contracts a deployment created, from the deployer's transactions in blocks after `fromBlock`. */
async function createdSince(fromBlock: number, deployer: string): Promise<string[]> {
  const created: string[] = [];
  for (let n = fromBlock + 1; n <= (await p.getBlockNumber()); n++) {
    const block = await p.getBlock(n, true);
    for (const tx of block?.prefetchedTransactions ?? []) {
      if (tx.from !== deployer || tx.to !== null) continue;
      const receipt = await p.getTransactionReceipt(tx.hash);
      if (receipt?.contractAddress) created.push(receipt.contractAddress);
    }
  }
  return created;
}

function suiteAddresses(suite: DealSuite): string[] {
  return [
    ...Object.values(suite.modules),
    suite.claimTopicsRegistry,
    suite.trustedIssuersRegistry,
    suite.identityRegistryStorage,
    suite.identityRegistry,
    suite.claimIssuer,
    ...suite.tranches.flatMap((t) => [t.token, t.compliance]),
  ];
}

/** How many transactions (nonces) one uninterrupted deployment of the suite takes. */
let uninterruptedTxCount: number;

beforeAll(async () => {
  node = await startHardhatNode({ port: 0 });
  p = provider(node.rpcUrl);
  const deployer = new Wallet(deployerKey, p);
  const before = await deployer.getNonce();
  await deployDealSuite(deployer, params('0x' + 'aa'.repeat(32)));
  uninterruptedTxCount = (await deployer.getNonce()) - before;
});

afterAll(async () => {
  p?.destroy();
  await node?.stop();
});

describe('deployDealSuite resumes from its idempotency store', () => {
  it.each([
    { mode: 'after-broadcast', crashAt: 9 },
    { mode: 'before-broadcast', crashAt: 23 },
  ] as const)('after a crash $mode of transaction $crashAt', async ({ mode, crashAt }) => {
    const dealId = '0x' + crashAt.toString(16).padStart(64, '0');
    const store = new InMemoryIdempotencyStore();
    const keyPrefix = `deal:${dealId}:suite`;
    const startBlock = await p.getBlockNumber();
    const startNonce = await p.getTransactionCount(new Wallet(deployerKey).address);

    const crashing = new CrashingProvider(node.rpcUrl, crashAt, mode);
    const first = Deployment.of(new Wallet(deployerKey, crashing), keyPrefix, { store, pollIntervalMs: 50 });
    await expect(deployDealSuite(first, params(dealId))).rejects.toThrow(/simulated crash/);
    expect(crashing.broadcasts).toBe(crashAt);
    crashing.destroy();

    // A new process over the same store and key prefix.
    const deployer = new Wallet(deployerKey, p);
    const second = Deployment.of(deployer, keyPrefix, { store, pollIntervalMs: 50 });
    const suite = await deployDealSuite(second, params(dealId));

    // Nothing was sent twice: the crashed and the resumed run together took as many nonces as one
    // uninterrupted deployment, and every contract created is one of the suite's, created once.
    expect((await deployer.getNonce()) - startNonce).toBe(uninterruptedTxCount);
    const created = await createdSince(startBlock, deployer.address);
    expect(created.length).toBe(suiteAddresses(suite).length);
    expect(new Set(created)).toEqual(new Set(suiteAddresses(suite)));

    // The resumed suite is complete: wired, owned by `owner`, ready for a verified investor.
    const tir = TrustedIssuersRegistry__factory.connect(suite.trustedIssuersRegistry, p);
    expect(await tir.isTrustedIssuer(suite.claimIssuer)).toBe(true);
    for (const t of suite.tranches) {
      const token = Token__factory.connect(t.token, p);
      expect(await token.owner()).toBe(owner);
      expect(await token.paused()).toBe(false);
      expect(await token.compliance()).toBe(t.compliance);
    }
    const investor = Wallet.createRandom().address;
    await registerInvestor(deployer, deployer, suite, { wallet: investor, country: 840 });
    expect(await IdentityRegistry__factory.connect(suite.identityRegistry, p).isVerified(investor)).toBe(
      true,
    );
    expect(suite.blockNumber).toBeGreaterThan(startBlock);
  });
});
