import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { JsonRpcProvider, Network, Wallet, id } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  DEV_SAFE_OWNER_KEYS,
  DistributionManager__factory,
  DealRegistry__factory,
  IdentityRegistry__factory,
  InMemoryIdempotencyStore,
  PlatformTimelock__factory,
  ROLES,
  Token__factory,
  TxSender,
  deployDealSuite,
  deployPlatform,
  deployPlatformContracts,
  ensureChain,
  executeTimelockOperation,
  freePort,
  governanceOptionsFromEnv,
  readManifest,
  registerInvestor,
  scheduleThroughSafe,
  startHardhatNode,
  timelockOperation,
  timelockOperationState,
  unpauseCall,
  type HardhatNodeHandle,
  type Manifest,
} from '../src/index.js';
import { DEV_KEYS, provider, wallet } from './helpers.js';

let node: HardhatNodeHandle;
let manifestDir: string;
let manifest: Manifest;

beforeAll(async () => {
  node = await startHardhatNode({ port: 0 });
  manifestDir = await mkdtemp(join(tmpdir(), 'tranche-chain-'));
  manifest = await deployPlatform({ rpcUrl: node.rpcUrl, signer: DEV_KEYS[0], manifestDir });
});

afterAll(async () => {
  await node?.stop();
  if (manifestDir) await rm(manifestDir, { recursive: true, force: true });
});

describe('startHardhatNode + deployPlatform', () => {
  it('writes <manifestDir>/<chainId>.json with every platform contract and its block', async () => {
    const onDisk = JSON.parse(await readFile(join(manifestDir, '31337.json'), 'utf8')) as Manifest;
    expect(onDisk).toEqual(manifest);
    expect(await readManifest(manifestDir, 31337)).toEqual(manifest);
    expect(await readManifest(manifestDir, 1)).toBeUndefined();
    const p = provider(node.rpcUrl);
    for (const c of Object.values(manifest.contracts)) {
      expect(await p.getCode(c.address)).not.toBe('0x');
      expect(c.blockNumber).toBeGreaterThan(0);
    }
    expect(manifest.oracles.threshold).toBe(2);
    expect(manifest.oracles.signers).toHaveLength(3);
    expect(manifest.contracts.stablecoin).toBeDefined();
    // the dev-ceremony Groth16 verifiers are opt-in, even on a local chain
    expect(manifest.contracts.poolAttestationVerifier).toBeUndefined();
    p.destroy();
  });

  it('refuses the dev-only attestation verifier on a non-local chain id, before sending anything', async () => {
    // A provider that reports Sepolia's chain id while talking to the local node.
    const sepolia = new JsonRpcProvider(node.rpcUrl, Network.from(11155111), {
      staticNetwork: true,
      cacheTimeout: -1,
    });
    const deployer = new Wallet(DEV_KEYS[3], sepolia);
    const nonce = await deployer.getNonce();
    await expect(
      deployPlatformContracts(deployer, { devAttestationVerifier: true, oracleSigners: [deployer.address] }),
    ).rejects.toThrow(/DEV-ONLY circuits ceremony.*refusing to deploy them on chain 11155111/);
    expect(await deployer.getNonce()).toBe(nonce);
    sepolia.destroy();
  });

  it('hands DEFAULT_ADMIN_ROLE to the timelock and keeps service roles with the platform key', async () => {
    const p = provider(node.rpcUrl);
    const registry = DealRegistry__factory.connect(manifest.contracts.dealRegistry.address, p);
    expect(await registry.hasRole(ROLES.ADMIN, manifest.contracts.timelock.address)).toBe(true);
    expect(await registry.hasRole(ROLES.ADMIN, manifest.deployer)).toBe(false);
    expect(await registry.hasRole(ROLES.ARRANGER, manifest.deployer)).toBe(true);
    expect(await registry.hasRole(ROLES.SERVICER, manifest.deployer)).toBe(true);
    expect(await registry.hasRole(ROLES.PAUSER, manifest.deployer)).toBe(true);
    p.destroy();
  });
});

describe('deployDealSuite (called by the deals subgraph at issuance)', () => {
  it('deploys a tranche token per tranche on one identity registry, ready for verified investors', async () => {
    const p = provider(node.rpcUrl);
    const platform = wallet(0, p);
    const investor = wallet(1, p);
    const other = wallet(2, p);
    const suite = await deployDealSuite(platform, {
      dealId: '0x' + '00'.repeat(16) + '12'.repeat(16),
      complianceKey: platform.address,
      tranches: [
        { name: 'Deal Class A', symbol: 'DA', supplyLimit: 1_000n },
        { name: 'Deal Class B', symbol: 'DB' },
      ],
      owner: manifest.contracts.timelock.address,
      modules: {
        countryRestrict: manifest.contracts.countryRestrictModule.address,
        maxBalance: manifest.contracts.maxBalanceModule.address,
        supplyLimit: manifest.contracts.supplyLimitModule.address,
        lockUp: manifest.contracts.lockUpModule.address,
      },
    });
    expect(suite.tranches).toHaveLength(2);
    for (const t of suite.tranches) {
      expect(await Token__factory.connect(t.token, p).owner()).toBe(manifest.contracts.timelock.address);
    }
    await registerInvestor(platform, platform, suite, { wallet: investor.address, country: 840 });
    const ir = IdentityRegistry__factory.connect(suite.identityRegistry, p);
    expect(await ir.isVerified(investor.address)).toBe(true);
    expect(await ir.isVerified(other.address)).toBe(false);
    const token = Token__factory.connect(suite.tranches[0]?.token ?? '', platform);
    await (await token.mint(investor.address, 100n)).wait();
    expect(await token.balanceOf(investor.address)).toBe(100n);
    await expect(token.connect(investor).transfer.staticCall(other.address, 1n)).rejects.toThrow(
      /Transfer not possible/,
    );
    p.destroy();
  });
});

describe('governance through the Safe and the timelock', () => {
  it('executes admin calls (lifting the payouts kill switch) only through the timelock, after its delay', async () => {
    const p = provider(node.rpcUrl);
    const platform = wallet(0, p);
    const manager = DistributionManager__factory.connect(
      manifest.contracts.distributionManager.address,
      platform,
    );
    await (await manager.pause()).wait();
    expect(await manager.paused()).toBe(true);
    await expect(manager.unpause.staticCall()).rejects.toThrow();
    // The 2-of-3 Safe (dev accounts #4-#6) proposes; anyone executes once the 60 s delay has passed.
    const timelock = manifest.contracts.timelock.address;
    const op = timelockOperation(unpauseCall(await manager.getAddress()), { salt: id('lift:payouts') });
    const relay = new TxSender(platform, { store: new InMemoryIdempotencyStore(), pollIntervalMs: 50 });
    await scheduleThroughSafe(relay, {
      idempotencyKey: 'lift:payouts:schedule',
      safe: manifest.governance.safe.address,
      timelock,
      op,
      delaySeconds: manifest.governance.timelockMinDelaySeconds,
      owners: DEV_SAFE_OWNER_KEYS.slice(1).map((k) => new Wallet(k, p)),
    });
    expect(await timelockOperationState(timelock, p, op)).toBe('waiting');
    await p.send('evm_increaseTime', [manifest.governance.timelockMinDelaySeconds]);
    await p.send('evm_mine', []);
    await executeTimelockOperation(relay, 'lift:payouts:execute', timelock, op);
    expect(await timelockOperationState(timelock, p, op)).toBe('done');
    expect(await manager.paused()).toBe(false);
    p.destroy();
  });
});

describe('ensureChain (start command)', () => {
  it('reuses the manifest of a chain that already has the platform', async () => {
    const chain = await ensureChain({ rpcUrl: node.rpcUrl, manifestDir });
    expect(chain.deployed).toBe(false);
    expect(chain.manifest.contracts.dealRegistry.address).toBe(manifest.contracts.dealRegistry.address);
    await chain.stop();
  });

  it('starts a local node and deploys, with the dev attestation verifier, when no RPC URL is given', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tranche-chain-local-'));
    const chain = await ensureChain({
      port: await freePort(),
      manifestDir: dir,
      ...governanceOptionsFromEnv({ CHAIN_TIMELOCK_DELAY_SECONDS: '120' }),
    });
    try {
      expect(chain.deployed).toBe(true);
      // the delay from the environment; the default local Safe (2-of-3) proposes
      expect(chain.manifest.governance.timelockMinDelaySeconds).toBe(120);
      expect(chain.manifest.governance.safe.threshold).toBe(2);
      expect(chain.chainId).toBe(31337);
      expect(await readManifest(dir, 31337)).toEqual(chain.manifest);
      const verifier = chain.manifest.contracts.poolAttestationVerifier;
      expect(verifier).toBeDefined();
      const p = provider(chain.rpcUrl);
      expect(await p.getCode(verifier?.address ?? '')).not.toBe('0x');
      const timelock = PlatformTimelock__factory.connect(chain.manifest.contracts.timelock.address, p);
      expect(await timelock.getMinDelay()).toBe(120n);
      const safe = chain.manifest.governance.safe.address;
      expect(await timelock.hasRole(ROLES.TIMELOCK_PROPOSER, safe)).toBe(true);
      p.destroy();
    } finally {
      await chain.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
