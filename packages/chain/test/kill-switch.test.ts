// Kill switches on a Hardhat node: each pause is one keyed TxSender operation (a re-run sends nothing),
// a paused tranche token refuses transfers, a paused registry refuses registrations, and lifting the
// registry's switch goes through the Safe and the timelock.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type JsonRpcProvider, Wallet, id } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  DEV_SAFE_OWNER_KEYS,
  DealRegistry__factory,
  DistributionManager__factory,
  type DealSuite,
  InMemoryIdempotencyStore,
  TIMELOCK_DELAY_SECONDS,
  Token__factory,
  TxSender,
  deployDealSuite,
  deployPlatform,
  executeTimelockOperation,
  killSwitchPauseKey,
  pauseAuditAnchor,
  pauseDealRegistry,
  pauseDistributionManager,
  pauseTarget,
  pauseTrancheTokens,
  platformPauseTargets,
  readPaused,
  registerInvestor,
  scheduleThroughSafe,
  startHardhatNode,
  timelockOperation,
  unpauseCall,
  type HardhatNodeHandle,
  type Manifest,
} from '../src/index.js';
import { DEV_KEYS, provider, wallet } from './helpers.js';

let node: HardhatNodeHandle;
let manifestDir: string;
let manifest: Manifest;
let suite: DealSuite;
let p: JsonRpcProvider;
// The platform key (dev account #0): the tokens' agent and the PAUSER_ROLE holder of a default deployment.
const store = new InMemoryIdempotencyStore();
const platformSender = () => new TxSender(wallet(0, p), { store, pollIntervalMs: 50 });

beforeAll(async () => {
  node = await startHardhatNode({ port: 0 });
  manifestDir = await mkdtemp(join(tmpdir(), 'tranche-killswitch-'));
  manifest = await deployPlatform({ rpcUrl: node.rpcUrl, signer: DEV_KEYS[0], manifestDir });
  p = provider(node.rpcUrl);
  const platform = wallet(0, p);
  suite = await deployDealSuite(platform, {
    dealId: '0x' + '00'.repeat(16) + '34'.repeat(16),
    complianceKey: platform.address,
    tranches: [
      { name: 'Deal Class A', symbol: 'KA' },
      { name: 'Deal Class B', symbol: 'KB' },
    ],
    modules: {
      countryRestrict: manifest.contracts.countryRestrictModule.address,
      maxBalance: manifest.contracts.maxBalanceModule.address,
      supplyLimit: manifest.contracts.supplyLimitModule.address,
      lockUp: manifest.contracts.lockUpModule.address,
    },
  });
  for (const investor of [wallet(1, p), wallet(2, p)]) {
    await registerInvestor(platform, platform, suite, { wallet: investor.address, country: 840 });
  }
  const token = Token__factory.connect(suite.tranches[0]?.token ?? '', platform);
  await (await token.mint(wallet(1, p).address, 100n)).wait();
});

afterAll(async () => {
  p?.destroy();
  await node?.stop();
  if (manifestDir) await rm(manifestDir, { recursive: true, force: true });
});

describe('pauseTrancheTokens (DEAL kill switch)', () => {
  it('pauses each tranche token once: a transfer then reverts, and a re-run sends nothing', async () => {
    const tokens = suite.tranches.map((t) => t.token);
    const [classA, classB] = tokens.map((t) => Token__factory.connect(t, wallet(1, p)));
    await classA!.transfer.staticCall(wallet(2, p).address, 1n); // a compliant transfer works before

    const results = await pauseTrancheTokens(platformSender(), 'ks-deal-1', tokens);
    expect(results.map((r) => [r.outcome, r.sentNow])).toEqual([
      ['paused', true],
      ['paused', true],
    ]);
    for (const r of results) {
      expect(r.key).toBe(killSwitchPauseKey('ks-deal-1', r.address));
      expect(r.txHash).toMatch(/^0x[0-9a-f]{64}$/);
      expect((await p.getTransactionReceipt(r.txHash ?? ''))?.blockNumber).toBe(r.blockNumber);
    }
    expect(await classA!.paused()).toBe(true);
    expect(await classB!.paused()).toBe(true);
    await expect(classA!.transfer.staticCall(wallet(2, p).address, 1n)).rejects.toThrow(/Pausable: paused/);

    // Re-run (a new process over the same store): the recorded transactions, nothing sent.
    const nonce = await wallet(0, p).getNonce();
    const again = await pauseTrancheTokens(platformSender(), 'ks-deal-1', tokens);
    expect(again.map((r) => [r.outcome, r.sentNow, r.txHash])).toEqual(
      results.map((r) => ['paused', false, r.txHash]),
    );
    expect(await wallet(0, p).getNonce()).toBe(nonce);

    // Another switch finds them paused already and sends nothing either.
    const other = await pauseTrancheTokens(platformSender(), 'ks-global-1', tokens);
    expect(other.map((r) => [r.outcome, r.txHash])).toEqual([
      ['already-paused', null],
      ['already-paused', null],
    ]);
    expect(await wallet(0, p).getNonce()).toBe(nonce);
  });

  it('throws with nothing sent when the key is not an agent of the token', async () => {
    const stranger = new TxSender(wallet(3, p), {
      store: new InMemoryIdempotencyStore(),
      pollIntervalMs: 50,
    });
    const token = Token__factory.connect(suite.tranches[0]?.token ?? '', wallet(0, p));
    await (await token.unpause()).wait();
    const nonce = await wallet(3, p).getNonce();
    await expect(pauseTrancheTokens(stranger, 'ks-stranger', [await token.getAddress()])).rejects.toThrow();
    expect(await wallet(3, p).getNonce()).toBe(nonce);
    expect(await token.paused()).toBe(false);
  });
});

describe("per-deal and per-token pauses of the shared contracts (a tenant's switch)", () => {
  it("pauses one deal in DealRegistry and one token's payouts, leaving others alone, once", async () => {
    const { dealRegistry, distributionManager } = manifest.contracts;
    const dealA = id('tenant-a deal');
    const dealB = id('tenant-b deal');
    const tokenA = suite.tranches[0]!.token;
    const tokenB = suite.tranches[1]?.token ?? Wallet.createRandom().address;
    const targets = [
      { kind: 'dealRegistryDeal', address: dealRegistry.address, dealId: dealA } as const,
      { kind: 'distributionManagerToken', address: distributionManager.address, token: tokenA } as const,
    ];
    const sent = [];
    for (const t of targets) sent.push(await pauseTarget(platformSender(), 'ks-deal-a', t));
    expect(sent.map((r) => [r.kind, r.outcome, r.sentNow])).toEqual([
      ['dealRegistryDeal', 'paused', true],
      ['distributionManagerToken', 'paused', true],
    ]);
    expect(sent[0]!.key).toBe(`killswitch:ks-deal-a:pause:${dealRegistry.address}:${dealA}`);
    expect((await readPaused(p, targets)).map((t) => t.paused)).toEqual([true, true]);

    const registry = DealRegistry__factory.connect(dealRegistry.address, wallet(0, p));
    await expect(registry.registerDocument.staticCall(dealA, id('doc'), 'ipfs://doc')).rejects.toThrow(
      /DealIsPaused/,
    );
    await registry.registerDocument.staticCall(dealB, id('doc'), 'ipfs://doc'); // another deal: fine
    expect(await registry.paused()).toBe(false);
    const manager = DistributionManager__factory.connect(distributionManager.address, p);
    expect(await manager.isTokenPaused(tokenA)).toBe(true);
    expect(await manager.isTokenPaused(tokenB)).toBe(false);
    expect(await manager.paused()).toBe(false);

    // A re-run sends nothing; another switch finds them already paused.
    const again = await pauseTarget(platformSender(), 'ks-deal-a', targets[0]!);
    expect(again).toMatchObject({ outcome: 'paused', sentNow: false, txHash: sent[0]!.txHash });
    const other = await pauseTarget(platformSender(), 'ks-deal-a-2', targets[1]!);
    expect(other).toMatchObject({ outcome: 'already-paused', txHash: null });
    // Only the pauser pauses; only the admin (the timelock) unpauses.
    const stranger = DealRegistry__factory.connect(dealRegistry.address, wallet(3, p));
    await expect(stranger.pauseDeal.staticCall(dealB)).rejects.toThrow(/AccessControlUnauthorizedAccount/);
    await expect(registry.unpauseDeal.staticCall(dealA)).rejects.toThrow(/AccessControlUnauthorizedAccount/);
  });
});

describe('platform kill switches (CAPABILITY / GLOBAL)', () => {
  it('pauses the DistributionManager, the DealRegistry and the AuditAnchor and reads them back', async () => {
    const targets = platformPauseTargets(manifest);
    expect((await readPaused(p, targets)).map((t) => t.paused)).toEqual([false, false, false]);
    const { distributionManager, dealRegistry, auditAnchor } = manifest.contracts;
    const sent = [
      await pauseDistributionManager(platformSender(), 'ks-global-2', distributionManager.address),
      await pauseDealRegistry(platformSender(), 'ks-global-2', dealRegistry.address),
      await pauseAuditAnchor(platformSender(), 'ks-global-2', auditAnchor.address),
    ];
    expect(sent.map((r) => [r.kind, r.outcome, r.sentNow])).toEqual([
      ['distributionManager', 'paused', true],
      ['dealRegistry', 'paused', true],
      ['auditAnchor', 'paused', true],
    ]);
    expect(await readPaused(p, targets)).toEqual(targets.map((t) => ({ ...t, paused: true })));
    const registry = DealRegistry__factory.connect(dealRegistry.address, wallet(0, p));
    await expect(registry.registerDocument.staticCall(id('deal'), id('doc'), 'ipfs://doc')).rejects.toThrow(
      /EnforcedPause/,
    );
    const again = await pauseDealRegistry(platformSender(), 'ks-global-2', dealRegistry.address);
    expect(again).toMatchObject({ outcome: 'paused', sentNow: false, txHash: sent[1]?.txHash });
  });

  it('lifts the registry switch only through the Safe (2 of 3) and the timelock delay', async () => {
    const { dealRegistry, timelock } = manifest.contracts;
    const registry = DealRegistry__factory.connect(dealRegistry.address, wallet(0, p));
    expect(await registry.paused()).toBe(true);
    await expect(registry.unpause.staticCall()).rejects.toThrow(/AccessControlUnauthorizedAccount/);
    const op = timelockOperation(unpauseCall(dealRegistry.address), {
      salt: id('lift:ks-global-2:registry'),
    });
    const relay = platformSender();
    await scheduleThroughSafe(relay, {
      idempotencyKey: 'gov:lift-registry:schedule',
      safe: manifest.governance.safe.address,
      timelock: timelock.address,
      op,
      delaySeconds: TIMELOCK_DELAY_SECONDS.local,
      owners: DEV_SAFE_OWNER_KEYS.slice(0, 2).map((k) => new Wallet(k, p)),
    });
    await p.send('evm_increaseTime', [TIMELOCK_DELAY_SECONDS.local]);
    await p.send('evm_mine', []);
    await executeTimelockOperation(relay, 'gov:lift-registry:execute', timelock.address, op);
    expect(await registry.paused()).toBe(false);
  });
});
