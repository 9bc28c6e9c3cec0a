import { type BaseContract, JsonRpcProvider, type Signer, Wallet, ZeroAddress, id } from 'ethers';

import {
  AuditAnchor__factory,
  DealRegistry__factory,
  DistributionManager__factory,
  MockStablecoin__factory,
  PlatformTimelock__factory,
} from './contracts.js';
import { deployComplianceModules, withLocalNonces } from './deal-suite.js';
import { type DeployedContract, type Manifest, writeManifest } from './manifest.js';

/** AccessControl role ids, `keccak256("<NAME>_ROLE")`; ADMIN is `DEFAULT_ADMIN_ROLE` (zero), held by the timelock. */
export const ROLES = {
  ADMIN: '0x' + '00'.repeat(32),
  ARRANGER: id('ARRANGER_ROLE'),
  SERVICER: id('SERVICER_ROLE'),
  COMPLIANCE: id('COMPLIANCE_ROLE'),
  INVESTOR: id('INVESTOR_ROLE'),
  AUDITOR: id('AUDITOR_ROLE'),
  OPERATOR: id('OPERATOR_ROLE'),
  PAUSER: id('PAUSER_ROLE'),
  TIMELOCK_PROPOSER: id('PROPOSER_ROLE'),
  TIMELOCK_EXECUTOR: id('EXECUTOR_ROLE'),
} as const;

/** Chain ids treated as local dev chains (a mock stablecoin is deployed there). */
export const LOCAL_CHAIN_IDS: readonly number[] = [31337, 1337];

/** Hardhat's well-known dev account #0 (public test key): the deployer on local chains only. */
export const DEV_DEPLOYER_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

/**
 * Hardhat's well-known dev accounts #7-#9 (public test keys of the default mnemonic): the three oracle
 * signers of local chains, so a local platform publishes with 2-of-3 signatures like production.
 */
export const DEV_ORACLE_KEYS: readonly string[] = [
  '0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356',
  '0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97',
  '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6',
];

export interface PlatformDeployOptions {
  /** timelock delay in seconds (0 locally; e.g. 172800 in production) */
  timelockMinDelaySeconds?: number;
  /** timelock proposers and executors (default: the deployer) */
  proposers?: string[];
  /** holders of ARRANGER/SERVICER/OPERATOR/PAUSER (default: the deployer, the platform's service key) */
  arrangers?: string[];
  servicers?: string[];
  operators?: string[];
  pausers?: string[];
  /** oracle signers and k (default on local chains: DEV_ORACLE_KEYS' addresses, 2) */
  oracleSigners?: string[];
  oracleThreshold?: number;
  /** treasury funding distributions (default: the deployer) */
  treasury?: string;
  /** deploy the mock stablecoin (default: only on LOCAL_CHAIN_IDS) and mint this much (6 decimals) to the treasury */
  mockStablecoin?: boolean;
  mockStablecoinSupply?: bigint;
  /** keep DEFAULT_ADMIN_ROLE with the deployer as well as the timelock (tests only; default false) */
  keepDeployerAdmin?: boolean;
}

async function deployed(contract: BaseContract): Promise<DeployedContract> {
  await contract.waitForDeployment();
  const tx = contract.deploymentTransaction();
  const receipt = tx ? await tx.wait() : null;
  return { address: await contract.getAddress(), blockNumber: receipt?.blockNumber ?? 0 };
}

async function mined(tx: Promise<{ wait(): Promise<unknown> }>): Promise<void> {
  await (await tx).wait();
}

/**
 * Deploys the platform contracts with `signer` and returns their manifest (nothing is written):
 * PlatformTimelock (governance), DealRegistry, DistributionManager, AuditAnchor, the compliance module
 * singletons and, on local chains, the mock stablecoin. Service roles go to the configured keys; then
 * DEFAULT_ADMIN_ROLE moves to the timelock and the deployer renounces it. Throws on any revert.
 */
export async function deployPlatformContracts(
  from: Signer,
  options: PlatformDeployOptions = {},
): Promise<Manifest> {
  const signer = withLocalNonces(from);
  const provider = signer.provider;
  if (!provider) throw new Error('deployPlatformContracts: the signer needs a provider');
  const chainId = Number((await provider.getNetwork()).chainId);
  const deployer = await signer.getAddress();
  const local = LOCAL_CHAIN_IDS.includes(chainId);
  const delay = options.timelockMinDelaySeconds ?? 0;
  const proposers = options.proposers ?? [deployer];
  const arrangers = options.arrangers ?? [deployer];
  const servicers = options.servicers ?? [deployer];
  const operators = options.operators ?? [deployer];
  const pausers = options.pausers ?? [deployer];
  const treasury = options.treasury ?? deployer;
  const oracleSigners =
    options.oracleSigners ?? (local ? DEV_ORACLE_KEYS.map((k) => new Wallet(k).address) : undefined);
  if (!oracleSigners || oracleSigners.length === 0)
    throw new Error('deployPlatformContracts: oracleSigners required');
  const threshold = options.oracleThreshold ?? Math.min(2, oracleSigners.length);

  const timelock = await deployed(
    await new PlatformTimelock__factory(signer).deploy(delay, proposers, proposers, ZeroAddress),
  );
  const registryContract = await new DealRegistry__factory(signer).deploy(deployer);
  const dealRegistry = await deployed(registryContract);
  const managerContract = await new DistributionManager__factory(signer).deploy(
    deployer,
    treasury,
    oracleSigners,
    threshold,
  );
  const distributionManager = await deployed(managerContract);
  const anchorContract = await new AuditAnchor__factory(signer).deploy(deployer);
  const auditAnchor = await deployed(anchorContract);

  for (const a of arrangers) await mined(registryContract.grantRole(ROLES.ARRANGER, a));
  for (const s of servicers) await mined(registryContract.grantRole(ROLES.SERVICER, s));
  for (const o of operators) {
    await mined(managerContract.grantRole(ROLES.OPERATOR, o));
    await mined(anchorContract.grantRole(ROLES.OPERATOR, o));
  }
  for (const p of pausers) {
    await mined(managerContract.grantRole(ROLES.PAUSER, p));
    await mined(anchorContract.grantRole(ROLES.PAUSER, p));
  }
  for (const c of [registryContract, managerContract, anchorContract]) {
    await mined(c.grantRole(ROLES.ADMIN, timelock.address));
    if (!options.keepDeployerAdmin) await mined(c.renounceRole(ROLES.ADMIN, deployer));
  }

  let stablecoin: DeployedContract | undefined;
  if (options.mockStablecoin ?? local) {
    const coin = await new MockStablecoin__factory(signer).deploy(deployer);
    stablecoin = await deployed(coin);
    await mined(coin.mint(treasury, options.mockStablecoinSupply ?? 100_000_000n * 1_000_000n));
    if (treasury === deployer) await mined(coin.approve(distributionManager.address, 2n ** 256n - 1n));
  }

  const modules = await deployComplianceModules(signer);
  const blockNumber = await provider.getBlockNumber();
  const at = (address: string): DeployedContract => ({ address, blockNumber });

  return {
    chainId,
    deployedAt: new Date().toISOString(),
    deployer,
    contracts: {
      timelock,
      dealRegistry,
      distributionManager,
      auditAnchor,
      ...(stablecoin ? { stablecoin } : {}),
      countryRestrictModule: at(modules.countryRestrict),
      maxBalanceModule: at(modules.maxBalance),
      supplyLimitModule: at(modules.supplyLimit),
      lockUpModule: at(modules.lockUp),
    },
    governance: { timelockMinDelaySeconds: delay, proposers },
    roles: { arranger: arrangers, servicer: servicers, operator: operators, pauser: pausers },
    oracles: { signers: oracleSigners, threshold },
    treasury,
  };
}

export interface DeployPlatformParams extends PlatformDeployOptions {
  /** JSON-RPC endpoint of the chain */
  rpcUrl: string;
  /** the deployer: an ethers Signer, or a hex private key (dev) */
  signer: Signer | string;
  /** where `<chainId>.json` is written (e.g. `.data/chain/deployments`) */
  manifestDir: string;
}

/**
 * Deploys the platform to the chain at `rpcUrl` and writes `<manifestDir>/<chainId>.json`.
 * A string `signer` is a private key (local dev); pass a keystore or KMS signer elsewhere.
 * Returns the manifest. Throws on RPC errors or reverts (nothing is written then).
 */
export async function deployPlatform(params: DeployPlatformParams): Promise<Manifest> {
  const provider = new JsonRpcProvider(params.rpcUrl, undefined, {
    staticNetwork: true,
    pollingInterval: 250,
    cacheTimeout: -1,
  });
  try {
    const signer =
      typeof params.signer === 'string'
        ? new Wallet(params.signer, provider)
        : params.signer.connect(provider);
    const manifest = await deployPlatformContracts(signer, params);
    await writeManifest(params.manifestDir, manifest);
    return manifest;
  } finally {
    provider.destroy();
  }
}
