import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A deployed contract: its address and the block it was deployed in (indexers start there). */
export interface DeployedContract {
  address: string;
  blockNumber: number;
}

/**
 * The governance Safe: the timelock's only proposer and canceller. `singleton`, `proxyFactory` and
 * `fallbackHandler` are present when the deployment deployed the Safe itself (absent for an existing one).
 */
export interface GovernanceSafe {
  address: string;
  owners: string[];
  threshold: number;
  /** the Safe contracts' version, e.g. `1.4.1` */
  version: string;
  blockNumber?: number;
  singleton?: string;
  proxyFactory?: string;
  fallbackHandler?: string;
}

/** What `deployPlatform` wrote for one chain: `<manifestDir>/<chainId>.json`. */
export interface Manifest {
  chainId: number;
  deployedAt: string;
  deployer: string;
  contracts: {
    timelock: DeployedContract;
    dealRegistry: DeployedContract;
    distributionManager: DeployedContract;
    auditAnchor: DeployedContract;
    /** auditors' signed verification results (absent from deployments made before it existed) */
    auditReportRegistry?: DeployedContract;
    /** the 6-decimals mock stablecoin: local chains only */
    stablecoin?: DeployedContract;
    /** PoolAttestationVerifier bound to the DealRegistry (absent when no circuit verifier was generated) */
    poolAttestationVerifier?: DeployedContract;
    countryRestrictModule: DeployedContract;
    maxBalanceModule: DeployedContract;
    supplyLimitModule: DeployedContract;
    lockUpModule: DeployedContract;
  };
  governance: {
    timelockMinDelaySeconds: number;
    /** the timelock's proposers (and cancellers): the Safe */
    proposers: string[];
    /** the timelock's executors; `0x000…0` alone means anyone may execute a ready operation */
    executors: string[];
    safe: GovernanceSafe;
  };
  roles: { arranger: string[]; servicer: string[]; operator: string[]; pauser: string[] };
  oracles: { signers: string[]; threshold: number };
  treasury: string;
}

/** Path of the manifest of `chainId` in `manifestDir`. */
export function manifestPath(manifestDir: string, chainId: number | bigint): string {
  return join(manifestDir, `${chainId.toString()}.json`);
}

/** Writes the manifest atomically (temp file + rename) so a reader never sees half a file. */
export async function writeManifest(manifestDir: string, manifest: Manifest): Promise<string> {
  await mkdir(manifestDir, { recursive: true });
  const path = manifestPath(manifestDir, manifest.chainId);
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(manifest, null, 2) + '\n');
  await rename(tmp, path);
  return path;
}

/** Reads the manifest of `chainId`, or `undefined` when none was written. Throws on a malformed file. */
export async function readManifest(
  manifestDir: string,
  chainId: number | bigint,
): Promise<Manifest | undefined> {
  let text: string;
  try {
    text = await readFile(manifestPath(manifestDir, chainId), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Manifest;
  if (typeof parsed.chainId !== 'number' || typeof parsed.contracts?.dealRegistry?.address !== 'string') {
    throw new Error(`malformed deployment manifest for chain ${chainId.toString()}`);
  }
  return parsed;
}
