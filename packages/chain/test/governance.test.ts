// Governance on a Hardhat node: the timelock's proposer is the 2-of-3 Safe deployed by deployPlatform,
// a role change proposed by two owners waits out the delay, one signature is refused, and the deployer
// key can no longer schedule.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { JsonRpcProvider, Network, Wallet, ZeroAddress, ZeroHash, id } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  DEV_SAFE_OWNER_KEYS,
  DealRegistry__factory,
  Deployment,
  InMemoryIdempotencyStore,
  PlatformTimelock__factory,
  ROLES,
  Safe__factory,
  TIMELOCK_DELAY_SECONDS,
  TransactionRevertedError,
  TxSender,
  checkSafeSetup,
  collectSafeSignatures,
  deployPlatform,
  deployPlatformContracts,
  encodeSafeSignatures,
  executeTimelockOperation,
  governanceOptionsFromEnv,
  grantRoleCall,
  nextSafeTransaction,
  recoverSafeSigner,
  safeExecCall,
  safeTxHash,
  scheduleThroughSafe,
  signSafeTransaction,
  startHardhatNode,
  timelockOperation,
  timelockOperationId,
  timelockOperationState,
  timelockScheduleCall,
  type HardhatNodeHandle,
  type Manifest,
} from '../src/index.js';
import { DEV_KEYS, provider, wallet } from './helpers.js';

let node: HardhatNodeHandle;
let manifestDir: string;
let manifest: Manifest;
let p: JsonRpcProvider;

const owners = () => DEV_SAFE_OWNER_KEYS.map((k) => new Wallet(k, p));
const sender = (index: number) =>
  new TxSender(wallet(index, p), { store: new InMemoryIdempotencyStore(), pollIntervalMs: 50 });

/** The name and arguments of a custom error the call reverted with (ethers decodes it from the ABI). */
async function revertOf(call: Promise<unknown>): Promise<{ name: string; args: unknown[] }> {
  try {
    await call;
  } catch (error) {
    const revert = (error as { revert?: { name: string; args: unknown[] } }).revert;
    if (revert) return { name: revert.name, args: [...revert.args] };
    throw error;
  }
  throw new Error('the call did not revert');
}

async function increaseTime(seconds: number): Promise<void> {
  await p.send('evm_increaseTime', [seconds]);
  await p.send('evm_mine', []);
}

beforeAll(async () => {
  node = await startHardhatNode({ port: 0 });
  manifestDir = await mkdtemp(join(tmpdir(), 'tranche-governance-'));
  manifest = await deployPlatform({ rpcUrl: node.rpcUrl, signer: DEV_KEYS[0], manifestDir });
  p = provider(node.rpcUrl);
});

afterAll(async () => {
  p?.destroy();
  await node?.stop();
  if (manifestDir) await rm(manifestDir, { recursive: true, force: true });
});

describe('deployPlatform: the governance Safe and the timelock', () => {
  it('deploys a 2-of-3 Safe of dev accounts #4-#6 and records it in the manifest', async () => {
    const { safe } = manifest.governance;
    const expectedOwners = DEV_SAFE_OWNER_KEYS.map((k) => new Wallet(k).address);
    expect(safe).toMatchObject({ owners: expectedOwners, threshold: 2, version: '1.4.1' });
    expect(safe.singleton).toBeDefined();
    const contract = Safe__factory.connect(safe.address, p);
    expect(await contract.getOwners()).toEqual(expectedOwners);
    expect(await contract.getThreshold()).toBe(2n);
    expect(manifest.governance.proposers).toEqual([safe.address]);
    expect(manifest.governance.executors).toEqual([ZeroAddress]);
    expect(manifest.governance.timelockMinDelaySeconds).toBe(TIMELOCK_DELAY_SECONDS.local);
  });

  it('resumes: a re-run with the same store sends nothing and finds the same Safe', async () => {
    const deployer = wallet(2, p);
    const store = new InMemoryIdempotencyStore();
    const first = await deployPlatformContracts(Deployment.of(deployer, 'platform:resume', { store }));
    const nonce = await deployer.getNonce();
    const again = await deployPlatformContracts(Deployment.of(deployer, 'platform:resume', { store }));
    expect(await deployer.getNonce()).toBe(nonce);
    expect(again.governance.safe).toEqual(first.governance.safe);
    expect(again.contracts.timelock).toEqual(first.contracts.timelock);
    expect(first.governance.safe.address).not.toBe(manifest.governance.safe.address);
  });

  it('can take an existing Safe: its owners, threshold and version are read into the manifest', async () => {
    const safe = manifest.governance.safe;
    const other = await deployPlatformContracts(wallet(3, p), {
      safe: { address: safe.address },
      timelockMinDelaySeconds: 0,
    });
    expect(other.governance.safe).toEqual({
      address: safe.address,
      owners: safe.owners,
      threshold: 2,
      version: '1.4.1',
    });
    const timelock = PlatformTimelock__factory.connect(other.contracts.timelock.address, p);
    expect(await timelock.hasRole(ROLES.TIMELOCK_PROPOSER, safe.address)).toBe(true);
    expect(await timelock.getMinDelay()).toBe(0n);
  });

  it('makes the Safe the only proposer and canceller; execution is open; the deployer holds nothing', async () => {
    const timelock = PlatformTimelock__factory.connect(manifest.contracts.timelock.address, p);
    const safe = manifest.governance.safe.address;
    expect(await timelock.getMinDelay()).toBe(60n);
    expect(await timelock.hasRole(ROLES.TIMELOCK_PROPOSER, safe)).toBe(true);
    expect(await timelock.hasRole(ROLES.TIMELOCK_CANCELLER, safe)).toBe(true);
    expect(await timelock.hasRole(ROLES.TIMELOCK_EXECUTOR, ZeroAddress)).toBe(true);
    for (const role of [ROLES.TIMELOCK_PROPOSER, ROLES.TIMELOCK_CANCELLER, ROLES.ADMIN]) {
      expect(await timelock.hasRole(role, manifest.deployer)).toBe(false);
    }
    const registry = DealRegistry__factory.connect(manifest.contracts.dealRegistry.address, p);
    expect(await registry.hasRole(ROLES.PAUSER, manifest.deployer)).toBe(true);
  });

  it('no longer lets the deployer key schedule', async () => {
    const deployer = wallet(0, p);
    const timelock = PlatformTimelock__factory.connect(manifest.contracts.timelock.address, deployer);
    const op = timelockOperation(
      grantRoleCall(manifest.contracts.dealRegistry.address, ROLES.ARRANGER, deployer.address),
      {
        salt: id('deployer-tries'),
      },
    );
    expect(
      await revertOf(timelock.schedule.staticCall(op.target, 0n, op.data, ZeroHash, op.salt, 60n)),
    ).toEqual({
      name: 'AccessControlUnauthorizedAccount',
      args: [deployer.address, ROLES.TIMELOCK_PROPOSER],
    });
    const nonce = await deployer.getNonce();
    const call = timelockScheduleCall(manifest.contracts.timelock.address, op, 60n);
    await expect(sender(0).send({ idempotencyKey: 'deployer-schedules', ...call })).rejects.toThrow();
    expect(await deployer.getNonce()).toBe(nonce);
    expect(await timelockOperationState(manifest.contracts.timelock.address, p, op)).toBe('unset');
  });
});

describe('Safe transactions', () => {
  it('computes the Safe transaction hash the Safe computes, and recovers each owner', async () => {
    const safe = manifest.governance.safe.address;
    const tx = await nextSafeTransaction(safe, p, {
      to: manifest.contracts.timelock.address,
      data: '0x1234',
    });
    const onChain = await Safe__factory.connect(safe, p).getTransactionHash(
      tx.to,
      tx.value,
      tx.data,
      tx.operation,
      tx.safeTxGas,
      tx.baseGas,
      tx.gasPrice,
      tx.gasToken,
      tx.refundReceiver,
      tx.nonce,
    );
    const domain = { chainId: 31337n, safe };
    expect(safeTxHash(domain, tx)).toBe(onChain);
    const [owner] = owners();
    const signed = await signSafeTransaction(owner!, domain, tx);
    expect(recoverSafeSigner(domain, tx, signed.signature)).toBe(owner!.address);
  });

  it('orders signatures by ascending owner address and refuses an owner twice', async () => {
    const domain = { chainId: 31337n, safe: manifest.governance.safe.address };
    const tx = await nextSafeTransaction(domain.safe, p, {
      to: manifest.contracts.timelock.address,
      data: '0x',
    });
    const [a, b, c] = await Promise.all(owners().map((o) => signSafeTransaction(o, domain, tx)));
    const sorted = [a!, b!, c!].sort((x, y) => (BigInt(x.signer) < BigInt(y.signer) ? -1 : 1));
    expect(encodeSafeSignatures([c!, a!, b!])).toBe('0x' + sorted.map((s) => s.signature.slice(2)).join(''));
    expect(() => encodeSafeSignatures([a!, a!])).toThrow(/signed twice/);
  });

  it('refuses a Safe transaction with 1 of 3 signatures: it reverts and nothing is scheduled', async () => {
    const safe = manifest.governance.safe.address;
    const timelock = manifest.contracts.timelock.address;
    const op = timelockOperation(
      grantRoleCall(manifest.contracts.dealRegistry.address, ROLES.ARRANGER, devAddress(3)),
      {
        salt: id('one-signature'),
      },
    );
    const safeNonce = await Safe__factory.connect(safe, p).nonce();
    // Through the library: the estimate fails on GS020 (signatures below the threshold), nothing is sent.
    const relayer = wallet(1, p);
    const relayerNonce = await relayer.getNonce();
    await expect(
      scheduleThroughSafe(sender(1), {
        idempotencyKey: 'gov:one-signature:schedule',
        safe,
        timelock,
        op,
        delaySeconds: 60,
        owners: owners().slice(0, 1),
      }),
    ).rejects.toThrow(/GS020/);
    expect(await relayer.getNonce()).toBe(relayerNonce);
    // Forced on-chain with a fixed gas limit: the transaction is mined and reverts.
    const tx = await nextSafeTransaction(safe, p, timelockScheduleCall(timelock, op, 60));
    const signatures = await collectSafeSignatures(owners().slice(1, 2), { chainId: 31337n, safe }, tx);
    await expect(
      sender(1).send({
        idempotencyKey: 'gov:one-signature:forced',
        ...safeExecCall(safe, tx, signatures),
        gasLimit: 500_000n,
      }),
    ).rejects.toBeInstanceOf(TransactionRevertedError);
    expect(await Safe__factory.connect(safe, p).nonce()).toBe(safeNonce);
    expect(await timelockOperationState(timelock, p, op)).toBe('unset');
  });

  it('grants a role proposed by 2 of 3 owners only after the delay: early execution reverts', async () => {
    const safe = manifest.governance.safe.address;
    const timelock = manifest.contracts.timelock.address;
    const registry = DealRegistry__factory.connect(manifest.contracts.dealRegistry.address, p);
    const arranger = devAddress(3);
    expect(await registry.hasRole(ROLES.ARRANGER, arranger)).toBe(false);
    const op = timelockOperation(grantRoleCall(await registry.getAddress(), ROLES.ARRANGER, arranger), {
      salt: id('change:grant-arranger'),
    });
    const [o4, , o6] = owners();
    const relay = sender(1);
    const scheduled = await scheduleThroughSafe(relay, {
      idempotencyKey: 'gov:grant-arranger:schedule',
      safe,
      timelock,
      op,
      delaySeconds: 60,
      owners: [o6!, o4!], // any order: the library sorts the signatures
    });
    expect(scheduled.sentNow).toBe(true);
    expect(await timelockOperationState(timelock, p, op)).toBe('waiting');
    expect(
      await PlatformTimelock__factory.connect(timelock, p).isOperationPending(timelockOperationId(op)),
    ).toBe(true);

    // Before the delay: the timelock refuses (open executor, so the relay's key may try).
    const t = PlatformTimelock__factory.connect(timelock, wallet(1, p));
    const early = await revertOf(t.execute.staticCall(op.target, op.value, op.data, op.predecessor, op.salt));
    expect(early.name).toBe('TimelockUnexpectedOperationState');
    await expect(
      executeTimelockOperation(relay, 'gov:grant-arranger:execute', timelock, op),
    ).rejects.toThrow();
    expect(await registry.hasRole(ROLES.ARRANGER, arranger)).toBe(false);

    await increaseTime(TIMELOCK_DELAY_SECONDS.local);
    expect(await timelockOperationState(timelock, p, op)).toBe('ready');
    const executed = await executeTimelockOperation(relay, 'gov:grant-arranger:execute', timelock, op);
    expect(executed.receipt.status).toBe(1);
    expect(await registry.hasRole(ROLES.ARRANGER, arranger)).toBe(true);
    expect(await timelockOperationState(timelock, p, op)).toBe('done');

    // Re-running the schedule step sends nothing and signs nothing new.
    const again = await scheduleThroughSafe(relay, {
      idempotencyKey: 'gov:grant-arranger:schedule',
      safe,
      timelock,
      op,
      delaySeconds: 60,
      owners: [],
    });
    expect(again).toMatchObject({ sentNow: false, txHash: scheduled.txHash });
  });
});

describe('configuration', () => {
  it('checks a Safe setup before sending anything', () => {
    const [a, b] = [devAddress(1), devAddress(2)];
    expect(checkSafeSetup({ owners: [a, b], threshold: 2 })).toEqual([a, b]);
    expect(() => checkSafeSetup({ owners: [], threshold: 1 })).toThrow(/at least one owner/);
    expect(() => checkSafeSetup({ owners: [a, a], threshold: 1 })).toThrow(/twice/);
    expect(() => checkSafeSetup({ owners: [a, ZeroAddress], threshold: 1 })).toThrow(/zero address/);
    expect(() => checkSafeSetup({ owners: [a, b], threshold: 3 })).toThrow(/threshold 3/);
  });

  it('reads the delay and the Safe from the environment', () => {
    expect(governanceOptionsFromEnv({})).toEqual({});
    expect(
      governanceOptionsFromEnv({
        CHAIN_TIMELOCK_DELAY_SECONDS: '172800',
        CHAIN_SAFE_OWNERS: `${devAddress(1)}, ${devAddress(2)}`,
        CHAIN_SAFE_THRESHOLD: '2',
      }),
    ).toEqual({
      timelockMinDelaySeconds: 172800,
      safe: { owners: [devAddress(1), devAddress(2)], threshold: 2 },
    });
    expect(governanceOptionsFromEnv({ CHAIN_SAFE_ADDRESS: ZeroAddress })).toEqual({
      safe: { address: ZeroAddress },
    });
    expect(() => governanceOptionsFromEnv({ CHAIN_TIMELOCK_DELAY_SECONDS: '1d' })).toThrow(/not a number/);
    expect(() => governanceOptionsFromEnv({ CHAIN_SAFE_OWNERS: devAddress(1) })).toThrow(/THRESHOLD/);
  });

  it('refuses, before sending, a missing or 1-of-n Safe or a short delay on a non-local chain', async () => {
    // A provider that reports Sepolia's chain id while talking to the local node.
    const sepolia = new JsonRpcProvider(node.rpcUrl, Network.from(11155111), {
      staticNetwork: true,
      cacheTimeout: -1,
    });
    const deployer = new Wallet(DEV_KEYS[3], sepolia);
    const nonce = await deployer.getNonce();
    const base = { oracleSigners: [deployer.address] };
    await expect(deployPlatformContracts(deployer, base)).rejects.toThrow(/governance Safe .* is required/);
    const twoOfTwo = { owners: [deployer.address, devAddress(1)], threshold: 2 };
    await expect(
      deployPlatformContracts(deployer, { ...base, safe: { ...twoOfTwo, threshold: 1 } }),
    ).rejects.toThrow(/threshold 1 on chain 11155111 is one key, not a multisig/);
    await expect(
      deployPlatformContracts(deployer, { ...base, safe: twoOfTwo, timelockMinDelaySeconds: 3600 }),
    ).rejects.toThrow(/below the production minimum of 86400 s on chain 11155111/);
    expect(await deployer.getNonce()).toBe(nonce);
    sepolia.destroy();
  });
});

/** The address of Hardhat dev account #index (#0-#3). */
function devAddress(index: number): string {
  return new Wallet(DEV_KEYS[index] ?? '').address;
}
