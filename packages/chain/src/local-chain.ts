import { JsonRpcProvider, type Signer } from 'ethers';

import {
  DEV_DEPLOYER_KEY,
  type GovernanceSafeOption,
  LOCAL_CHAIN_IDS,
  deployPlatform,
} from './deploy-platform.js';
import { type HardhatNodeHandle, startHardhatNode } from './hardhat-node.js';
import { type Manifest, readManifest } from './manifest.js';

export interface EnsureChainParams {
  /** an external chain (CHAIN_RPC_URL); when absent a local Hardhat node is started */
  rpcUrl?: string;
  /** port of the local node (default 8545) */
  port?: number;
  /** chain id of the local node (default Hardhat's 31337) */
  chainId?: number;
  manifestDir: string;
  /** deployer; default: Hardhat's dev account #0 (local chains only) */
  signer?: Signer | string;
  /** timelock delay of a new deployment (default: 60 s on local chains, 48 h elsewhere; see deployPlatform) */
  timelockMinDelaySeconds?: number;
  /** governance Safe of a new deployment (default on local chains: dev accounts #4-#6, 2-of-3) */
  safe?: GovernanceSafeOption;
}

/** Governance settings of `ensureChain` read from the environment (see `governanceOptionsFromEnv`). */
export type GovernanceEnvOptions = Pick<EnsureChainParams, 'timelockMinDelaySeconds' | 'safe'>;

/**
 * Reads the governance settings of a deployment from environment variables, for the start command:
 * `CHAIN_TIMELOCK_DELAY_SECONDS` (the timelock delay), and either `CHAIN_SAFE_ADDRESS` (an existing
 * Safe) or `CHAIN_SAFE_OWNERS` (comma-separated addresses) with `CHAIN_SAFE_THRESHOLD` (k). Unset
 * variables are left out, so the chain's defaults apply. Throws on a malformed value.
 */
export function governanceOptionsFromEnv(env: Record<string, string | undefined>): GovernanceEnvOptions {
  const options: GovernanceEnvOptions = {};
  const delay = env['CHAIN_TIMELOCK_DELAY_SECONDS']?.trim();
  if (delay) {
    if (!/^\d+$/.test(delay))
      throw new Error(`CHAIN_TIMELOCK_DELAY_SECONDS=${delay} is not a number of seconds`);
    options.timelockMinDelaySeconds = Number(delay);
  }
  const address = env['CHAIN_SAFE_ADDRESS']?.trim();
  const owners = env['CHAIN_SAFE_OWNERS']?.trim();
  if (address && owners) throw new Error('set CHAIN_SAFE_ADDRESS or CHAIN_SAFE_OWNERS, not both');
  if (address) options.safe = { address };
  if (owners) {
    const threshold = env['CHAIN_SAFE_THRESHOLD']?.trim() ?? '';
    if (!/^\d+$/.test(threshold))
      throw new Error('CHAIN_SAFE_OWNERS needs CHAIN_SAFE_THRESHOLD (k of the owners)');
    options.safe = { owners: owners.split(',').map((o) => o.trim()), threshold: Number(threshold) };
  }
  return options;
}

export interface ChainHandle {
  rpcUrl: string;
  chainId: number;
  manifest: Manifest;
  /** whether this call deployed the platform (false when a manifest for the chain existed) */
  deployed: boolean;
  /** stops the local node if one was started (no-op for an external chain) */
  stop(): Promise<void>;
}

/**
 * What the start command needs: with `rpcUrl`, use that chain and its manifest (deploying when the
 * chain has none, which requires `signer`); without, start a local Hardhat node on `port` and deploy.
 * A manifest is reused only if its DealRegistry still has code on the chain (a restarted local node
 * is empty again). On a local chain id (LOCAL_CHAIN_IDS) the deployment opts in to the dev-ceremony
 * pool attestation verifier, so the dev stack can verify proofs; on any other chain it is left out.
 * `timelockMinDelaySeconds` and `safe` configure a new deployment's governance (spread
 * `governanceOptionsFromEnv(process.env)` in to take them from the environment); a reused manifest keeps
 * what it was deployed with.
 */
export async function ensureChain(params: EnsureChainParams): Promise<ChainHandle> {
  let node: HardhatNodeHandle | undefined;
  const rpcUrl =
    params.rpcUrl ??
    (node = await startHardhatNode({ port: params.port ?? 8545, chainId: params.chainId })).rpcUrl;
  try {
    const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
    const chainId = Number((await provider.getNetwork()).chainId);
    const existing = await readManifest(params.manifestDir, chainId);
    const live = existing
      ? (await provider.getCode(existing.contracts.dealRegistry.address)) !== '0x'
      : false;
    provider.destroy();
    if (existing && live) {
      return { rpcUrl, chainId, manifest: existing, deployed: false, stop: async () => node?.stop() };
    }
    const signer = params.signer ?? (params.rpcUrl === undefined ? DEV_DEPLOYER_KEY : undefined);
    if (signer === undefined)
      throw new Error(`no deployment manifest for chain ${chainId} and no deployer signer`);
    const manifest = await deployPlatform({
      rpcUrl,
      signer,
      manifestDir: params.manifestDir,
      devAttestationVerifier: LOCAL_CHAIN_IDS.includes(chainId),
      ...(params.timelockMinDelaySeconds !== undefined
        ? { timelockMinDelaySeconds: params.timelockMinDelaySeconds }
        : {}),
      ...(params.safe ? { safe: params.safe } : {}),
    });
    return { rpcUrl, chainId, manifest, deployed: true, stop: async () => node?.stop() };
  } catch (error) {
    await node?.stop();
    throw error;
  }
}
