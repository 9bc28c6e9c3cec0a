import { JsonRpcProvider, type Signer, Wallet, ZeroAddress, getAddress } from 'ethers';

import { deployComplianceModuleContracts } from './compliance-modules.js';
import {
  AuditAnchor__factory,
  AuditReportRegistry__factory,
  DealRegistry__factory,
  DistributionManager__factory,
  MockStablecoin__factory,
  PlatformTimelock__factory,
  Safe__factory,
} from './contracts.js';
import { assertDevVerifiersAllowed, deployDevAttestationVerifier } from './dev-verifiers.js';
import { type DeployVia, Deployment, asDeployment, isDeployment } from './deployment.js';
import { LOCAL_CHAIN_IDS } from './local-chain-ids.js';
import { type DeployedContract, type GovernanceSafe, type Manifest, writeManifest } from './manifest.js';
import { DEV_ORACLE_KEYS, DEV_SAFE_OWNER_KEYS, ROLES, TIMELOCK_DELAY_SECONDS } from './platform-constants.js';
import { SAFE_VERSION, type SafeSetup, checkSafeSetup, deploySafe, readSafeSetup } from './safe.js';
import type { IdempotencyStore } from './tx-sender.js';

export * from './platform-constants.js';
export { LOCAL_CHAIN_IDS, LOCAL_SECOND_CHAIN_ID } from './local-chain-ids.js';
export { assertDevVerifiersAllowed, groth16VerifierFactories } from './dev-verifiers.js';

/** The governance Safe: deployed with these owners and threshold, or an existing Safe by address. */
export type GovernanceSafeOption = SafeSetup | { address: string };

export interface PlatformDeployOptions {
  /**
   * timelock delay in seconds (default TIMELOCK_DELAY_SECONDS: 60 on local chains, 172800 elsewhere,
   * where less than 86400 is refused before anything is sent)
   */
  timelockMinDelaySeconds?: number;
  /**
   * the timelock's proposer and canceller, a k-of-n Safe (default on local chains: a new Safe owned by
   * DEV_SAFE_OWNER_KEYS' addresses, 2-of-3; required elsewhere)
   */
  safe?: GovernanceSafeOption;
  /** timelock executors (default `[ZeroAddress]`: anyone may execute an operation once its delay passed) */
  timelockExecutors?: string[];
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
  /**
   * deploy the PoolAttestationVerifier over every generated Groth16 verifier (default false). Those
   * verifiers come from the DEV-ONLY circuits ceremony (a published secret: anyone can forge proofs),
   * so this is refused on any chain id outside LOCAL_CHAIN_IDS.
   */
  devAttestationVerifier?: boolean;
}

/** Everything `deployPlatformContracts` needs, defaults resolved. */
interface PlatformSettings {
  chainId: number;
  deployer: string;
  local: boolean;
  delay: number;
  safe: GovernanceSafeOption;
  executors: string[];
  arrangers: string[];
  servicers: string[];
  operators: string[];
  pausers: string[];
  treasury: string;
  oracleSigners: string[];
  threshold: number;
}

function platformSettings(
  options: PlatformDeployOptions,
  chainId: number,
  deployer: string,
): PlatformSettings {
  const local = LOCAL_CHAIN_IDS.includes(chainId);
  const oracleSigners =
    options.oracleSigners ?? (local ? DEV_ORACLE_KEYS.map((k) => new Wallet(k).address) : undefined);
  if (!oracleSigners || oracleSigners.length === 0)
    throw new Error('deployPlatformContracts: oracleSigners required');
  const safe =
    options.safe ??
    (local ? { owners: DEV_SAFE_OWNER_KEYS.map((k) => new Wallet(k).address), threshold: 2 } : undefined);
  if (!safe)
    throw new Error(
      'deployPlatformContracts: a governance Safe (owners and threshold, or address) is required',
    );
  if (!('address' in safe)) {
    checkSafeSetup(safe);
    assertMultisig(safe.threshold, chainId, local);
  }
  return {
    chainId,
    deployer,
    local,
    delay: timelockDelay(options.timelockMinDelaySeconds, chainId, local),
    safe,
    executors: options.timelockExecutors ?? [ZeroAddress],
    arrangers: options.arrangers ?? [deployer],
    servicers: options.servicers ?? [deployer],
    operators: options.operators ?? [deployer],
    pausers: options.pausers ?? [deployer],
    treasury: options.treasury ?? deployer,
    oracleSigners,
    threshold: options.oracleThreshold ?? Math.min(2, oracleSigners.length),
  };
}

/** The configured delay, or the default of the chain's profile; refuses a short delay off local chains. */
function timelockDelay(seconds: number | undefined, chainId: number, local: boolean): number {
  const delay = seconds ?? (local ? TIMELOCK_DELAY_SECONDS.local : TIMELOCK_DELAY_SECONDS.production);
  if (!Number.isSafeInteger(delay) || delay < 0)
    throw new Error(`timelock delay ${delay} is not a number of seconds`);
  if (!local && delay < TIMELOCK_DELAY_SECONDS.productionMinimum) {
    throw new Error(
      `timelock delay ${delay} s is below the production minimum of ` +
        `${TIMELOCK_DELAY_SECONDS.productionMinimum} s on chain ${chainId} (not a local chain)`,
    );
  }
  return delay;
}

/** Off local chains one key must never be enough: the Safe needs at least two signatures. */
function assertMultisig(threshold: number, chainId: number, local: boolean): void {
  if (local || threshold >= 2) return;
  throw new Error(`governance Safe: threshold ${threshold} on chain ${chainId} is one key, not a multisig`);
}

/**
 * The governance Safe: step group `safe` deploys one, or an existing Safe is read (its owners,
 * threshold and version; nothing sent).
 */
async function governanceSafe(d: Deployment, s: PlatformSettings): Promise<GovernanceSafe> {
  if (!('address' in s.safe))
    return { version: SAFE_VERSION, ...(await deploySafe(d.scope('safe'), s.safe)) };
  const address = getAddress(s.safe.address);
  if ((await d.signer.provider?.getCode(address)) === '0x')
    throw new Error(`governance Safe ${address} has no code`);
  const setup = await readSafeSetup(address, d.signer);
  assertMultisig(setup.threshold, s.chainId, s.local);
  const version = await Safe__factory.connect(address, d.signer).VERSION();
  return { version, address, ...setup };
}

interface CoreContracts {
  timelock: DeployedContract;
  dealRegistry: DeployedContract;
  distributionManager: DeployedContract;
  auditAnchor: DeployedContract;
  auditReportRegistry: DeployedContract;
}

/**
 * Steps `timelock` (proposer and canceller: the Safe; no admin, so its roles change only through itself),
 * `deal-registry`, `distribution-manager`, `audit-anchor`, `audit-report-registry` (the deployer is
 * their admin for now).
 */
async function deployCore(d: Deployment, s: PlatformSettings, safe: string): Promise<CoreContracts> {
  return {
    timelock: await d.create(
      'timelock',
      new PlatformTimelock__factory().getDeployTransaction(s.delay, [safe], s.executors, ZeroAddress),
    ),
    dealRegistry: await d.create(
      'deal-registry',
      new DealRegistry__factory().getDeployTransaction(s.deployer),
    ),
    distributionManager: await d.create(
      'distribution-manager',
      new DistributionManager__factory().getDeployTransaction(
        s.deployer,
        s.treasury,
        s.oracleSigners,
        s.threshold,
      ),
    ),
    auditAnchor: await d.create('audit-anchor', new AuditAnchor__factory().getDeployTransaction(s.deployer)),
    auditReportRegistry: await d.create(
      'audit-report-registry',
      new AuditReportRegistry__factory().getDeployTransaction(s.deployer),
    ),
  };
}

/** One `<contract>:grant:<role>:<account>` step per service role holder. */
async function grantServiceRoles(d: Deployment, core: CoreContracts, s: PlatformSettings): Promise<void> {
  const grants: [step: string, contract: string, role: keyof typeof ROLES, accounts: string[]][] = [
    ['deal-registry', core.dealRegistry.address, 'ARRANGER', s.arrangers],
    ['deal-registry', core.dealRegistry.address, 'SERVICER', s.servicers],
    ['distribution-manager', core.distributionManager.address, 'OPERATOR', s.operators],
    ['audit-anchor', core.auditAnchor.address, 'OPERATOR', s.operators],
    ['audit-report-registry', core.auditReportRegistry.address, 'OPERATOR', s.operators],
    ['distribution-manager', core.distributionManager.address, 'PAUSER', s.pausers],
    ['audit-anchor', core.auditAnchor.address, 'PAUSER', s.pausers],
    ['audit-report-registry', core.auditReportRegistry.address, 'PAUSER', s.pausers],
    ['deal-registry', core.dealRegistry.address, 'PAUSER', s.pausers],
  ];
  for (const [step, contract, role, accounts] of grants) {
    for (const account of accounts) {
      await d.call(
        `${step}:grant:${role.toLowerCase()}:${account}`,
        grantRole(contract, ROLES[role], account),
      );
    }
  }
}

/** Steps `<contract>:admin:timelock` and (unless kept) `<contract>:admin:renounce`. */
async function handAdminToTimelock(
  d: Deployment,
  core: CoreContracts,
  deployer: string,
  keepDeployerAdmin: boolean,
): Promise<void> {
  const admin = DealRegistry__factory.createInterface(); // every core contract is OpenZeppelin AccessControl
  const contracts: [string, string][] = [
    ['deal-registry', core.dealRegistry.address],
    ['distribution-manager', core.distributionManager.address],
    ['audit-anchor', core.auditAnchor.address],
    ['audit-report-registry', core.auditReportRegistry.address],
  ];
  for (const [step, to] of contracts) {
    await d.call(`${step}:admin:timelock`, grantRole(to, ROLES.ADMIN, core.timelock.address));
    if (keepDeployerAdmin) continue;
    await d.call(`${step}:admin:renounce`, {
      to,
      data: admin.encodeFunctionData('renounceRole', [ROLES.ADMIN, deployer]),
    });
  }
}

function grantRole(to: string, role: string, account: string): { to: string; data: string } {
  return {
    to,
    data: DealRegistry__factory.createInterface().encodeFunctionData('grantRole', [role, account]),
  };
}

/** Steps `stablecoin`, `stablecoin:mint` and, when the deployer is the treasury, `stablecoin:approve`. */
async function deployMockStablecoin(
  d: Deployment,
  s: PlatformSettings,
  distributionManager: string,
  supply: bigint,
): Promise<DeployedContract> {
  const stablecoin = await d.create(
    'stablecoin',
    new MockStablecoin__factory().getDeployTransaction(s.deployer),
  );
  const coin = MockStablecoin__factory.connect(stablecoin.address);
  await d.call('stablecoin:mint', coin.mint.populateTransaction(s.treasury, supply));
  if (s.treasury === s.deployer) {
    await d.call(
      'stablecoin:approve',
      coin.approve.populateTransaction(distributionManager, 2n ** 256n - 1n),
    );
  }
  return stablecoin;
}

/**
 * Deploys the platform contracts and returns their manifest (nothing is written): the governance Safe
 * (k-of-n, from the Safe 1.4.1 artifacts, unless an existing one is given; off local chains k ≥ 2),
 * PlatformTimelock (the Safe proposes and cancels, anyone executes after the delay; off local chains at
 * least 24 h), DealRegistry, DistributionManager, AuditAnchor, the compliance module singletons, on
 * local chains the mock stablecoin and, only with `devAttestationVerifier` (local chains only), the
 * pool attestation verifier over the dev-ceremony Groth16 verifiers. Service roles go to the
 * configured keys; then DEFAULT_ADMIN_ROLE moves to the timelock and the deployer renounces it.
 * Every transaction is one keyed step: with a Deployment under its prefix (re-run with the same store
 * to resume after a crash), with a signer one-shot under `platform:<chainId>`. Throws on any revert,
 * and before sending anything when `devAttestationVerifier` is asked on a non-local chain or the
 * governance settings are refused (no Safe, a 1-of-n Safe or a delay under 24 h off local chains).
 */
export async function deployPlatformContracts(
  via: DeployVia,
  options: PlatformDeployOptions = {},
): Promise<Manifest> {
  const signer = isDeployment(via) ? via.signer : via;
  const provider = signer.provider;
  if (!provider) throw new Error('deployPlatformContracts: the signer needs a provider');
  const chainId = Number((await provider.getNetwork()).chainId);
  if (options.devAttestationVerifier === true) assertDevVerifiersAllowed(chainId);
  const s = platformSettings(options, chainId, await signer.getAddress());
  const d = asDeployment(via, `platform:${chainId}`);

  const safe = await governanceSafe(d, s);
  const core = await deployCore(d, s, safe.address);
  await grantServiceRoles(d, core, s);
  await handAdminToTimelock(d, core, s.deployer, options.keepDeployerAdmin === true);
  const stablecoin =
    (options.mockStablecoin ?? s.local)
      ? await deployMockStablecoin(
          d,
          s,
          core.distributionManager.address,
          options.mockStablecoinSupply ?? 100_000_000n * 1_000_000n,
        )
      : undefined;
  const poolAttestationVerifier =
    options.devAttestationVerifier === true
      ? await deployDevAttestationVerifier(d, core.dealRegistry.address)
      : undefined;
  const modules = await deployComplianceModuleContracts(d.scope('modules'));

  return {
    chainId,
    deployedAt: new Date().toISOString(),
    deployer: s.deployer,
    contracts: {
      ...core,
      ...(stablecoin ? { stablecoin } : {}),
      ...(poolAttestationVerifier ? { poolAttestationVerifier } : {}),
      countryRestrictModule: modules.countryRestrict,
      maxBalanceModule: modules.maxBalance,
      supplyLimitModule: modules.supplyLimit,
      lockUpModule: modules.lockUp,
    },
    governance: {
      timelockMinDelaySeconds: s.delay,
      proposers: [safe.address],
      executors: s.executors,
      safe,
    },
    roles: { arranger: s.arrangers, servicer: s.servicers, operator: s.operators, pauser: s.pausers },
    oracles: { signers: s.oracleSigners, threshold: s.threshold },
    treasury: s.treasury,
  };
}

export interface DeployPlatformParams extends PlatformDeployOptions {
  /** JSON-RPC endpoint of the chain */
  rpcUrl: string;
  /** the deployer: an ethers Signer, or a hex private key (dev) */
  signer: Signer | string;
  /** where `<chainId>.json` is written (e.g. `.data/chain/deployments`) */
  manifestDir: string;
  /** remember sent transactions here to resume a crashed deployment (default: in memory, one-shot) */
  store?: IdempotencyStore;
  /** prefix of the deployment's idempotency keys (default `platform:<chainId>`) */
  keyPrefix?: string;
}

/**
 * Deploys the platform to the chain at `rpcUrl` and writes `<manifestDir>/<chainId>.json`.
 * A string `signer` is a private key (local dev); pass a keystore or KMS signer elsewhere. With a
 * durable `store`, re-running after a failure resumes the same deployment (see deployPlatformContracts).
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
    const chainId = Number((await provider.getNetwork()).chainId);
    const deployment = Deployment.of(signer, params.keyPrefix ?? `platform:${chainId}`, {
      store: params.store,
    });
    const manifest = await deployPlatformContracts(deployment, params);
    await writeManifest(params.manifestDir, manifest);
    return manifest;
  } finally {
    provider.destroy();
  }
}
