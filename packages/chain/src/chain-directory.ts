// The chains a platform service may send to: each configured endpoint, its chain id (read from the
// node when not configured), its deployment manifest, and a TxSender with the platform's operator
// key over a durable idempotency store. One connection per chain, opened on first use.
import { JsonRpcProvider, Wallet } from 'ethers';

import { LOCAL_CHAIN_IDS } from './local-chain-ids.js';
import { type Manifest, readManifest } from './manifest.js';
import { DEV_DEPLOYER_KEY } from './platform-constants.js';
import { type IdempotencyStore, TxSender } from './tx-sender.js';

/** A configured chain: its id when known, a display name and the JSON-RPC endpoint. */
export interface ChainEndpoint {
  chainId?: number;
  name: string;
  rpcUrl: string;
}

/**
 * The chains of a service's configuration: `CHAINS`, or else the one chain at `CHAIN_RPC_URL` (its
 * id read from the node); none when neither is set.
 */
export function chainEndpointsOf(config: {
  CHAINS?: ChainEndpoint[];
  CHAIN_RPC_URL?: string;
}): ChainEndpoint[] {
  if (config.CHAINS) return config.CHAINS;
  return config.CHAIN_RPC_URL ? [{ name: 'default', rpcUrl: config.CHAIN_RPC_URL }] : [];
}

/**
 * The directory a service's jobs send through: its configured chains and manifests, the platform's
 * operator key, and the service's durable idempotency store.
 */
export function chainDirectoryOf(
  config: {
    CHAINS?: ChainEndpoint[];
    CHAIN_RPC_URL?: string;
    CHAIN_MANIFEST_DIR: string;
    CHAIN_OPERATOR_KEY?: string;
  },
  store: IdempotencyStore,
): ChainDirectory {
  return new ChainDirectory({
    chains: chainEndpointsOf(config),
    manifestDir: config.CHAIN_MANIFEST_DIR,
    operatorKey: config.CHAIN_OPERATOR_KEY,
    store,
  });
}

/** A chain a deal may name. */
export interface KnownChain {
  chainId: number;
  name: string;
  rpcUrl: string;
}

/** An open connection to one chain with the platform's deployment and service key. */
export interface ConnectedChain extends KnownChain {
  provider: JsonRpcProvider;
  manifest: Manifest;
  signer: Wallet;
  sender: TxSender;
}

export interface ChainDirectoryOptions {
  chains: ChainEndpoint[];
  manifestDir: string;
  /** the platform's service key; on a local chain the public dev deployer key when absent */
  operatorKey?: string;
  /** where sent transactions are remembered (the service's `chain_transaction` table) */
  store: IdempotencyStore;
  pollIntervalMs?: number;
}

/** The configured chains and connections to them (see the module comment). */
export class ChainDirectory {
  #known: Promise<KnownChain[]> | undefined;
  readonly #connections = new Map<number, Promise<ConnectedChain>>();

  constructor(private readonly options: ChainDirectoryOptions) {}

  /** The configured chains with their ids; an endpoint whose id cannot be read is left out (and retried next call). */
  async list(): Promise<KnownChain[]> {
    this.#known ??= Promise.all(
      this.options.chains.map(async (c): Promise<KnownChain | undefined> => {
        if (c.chainId !== undefined) return { chainId: c.chainId, name: c.name, rpcUrl: c.rpcUrl };
        const provider = new JsonRpcProvider(c.rpcUrl, undefined, { staticNetwork: false });
        try {
          const chainId = Number((await provider.getNetwork()).chainId);
          return { chainId, name: c.name, rpcUrl: c.rpcUrl };
        } catch {
          return undefined;
        } finally {
          provider.destroy();
        }
      }),
    ).then((all) => {
      const found = all.filter((c): c is KnownChain => c !== undefined);
      if (found.length < all.length) this.#known = undefined;
      return found;
    });
    return this.#known;
  }

  /** The chain of `chainId`, if configured. */
  async get(chainId: number): Promise<KnownChain | undefined> {
    return (await this.list()).find((c) => c.chainId === chainId);
  }

  /**
   * A connection to `chainId` (shared; a failed attempt is forgotten so the next call retries).
   *
   * @throws Error when the chain is not configured, its node answers another chain id, it has no
   *   deployment manifest, or no operator key is configured off a local chain.
   */
  connect(chainId: number): Promise<ConnectedChain> {
    let connection = this.#connections.get(chainId);
    if (!connection) {
      connection = this.#open(chainId).catch((err: unknown) => {
        this.#connections.delete(chainId);
        throw err;
      });
      this.#connections.set(chainId, connection);
    }
    return connection;
  }

  /** Closes every open connection. */
  async close(): Promise<void> {
    const open = [...this.#connections.values()];
    this.#connections.clear();
    for (const c of await Promise.allSettled(open)) if (c.status === 'fulfilled') c.value.provider.destroy();
  }

  async #open(chainId: number): Promise<ConnectedChain> {
    const chain = await this.get(chainId);
    if (!chain) throw new Error(`chain ${chainId} is not configured (CHAINS)`);
    const provider = new JsonRpcProvider(chain.rpcUrl, undefined, { cacheTimeout: -1, pollingInterval: 250 });
    try {
      const actual = Number((await provider.getNetwork()).chainId);
      if (actual !== chainId) throw new Error(`${chain.rpcUrl} is chain ${actual}, not ${chainId}`);
      const manifest = await readManifest(this.options.manifestDir, chainId);
      if (!manifest)
        throw new Error(`no deployment manifest for chain ${chainId} in ${this.options.manifestDir}`);
      const key =
        this.options.operatorKey ?? (LOCAL_CHAIN_IDS.includes(chainId) ? DEV_DEPLOYER_KEY : undefined);
      if (!key) throw new Error(`CHAIN_OPERATOR_KEY is required on chain ${chainId}`);
      const signer = new Wallet(key, provider);
      const sender = new TxSender(signer, {
        store: this.options.store,
        pollIntervalMs: this.options.pollIntervalMs ?? 250,
      });
      return { ...chain, provider, manifest, signer, sender };
    } catch (err) {
      provider.destroy();
      throw err;
    }
  }
}
