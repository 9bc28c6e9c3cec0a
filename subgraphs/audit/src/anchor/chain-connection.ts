import type { MikroORM } from '@mikro-orm/postgresql';
import {
  DEV_DEPLOYER_KEY,
  LOCAL_CHAIN_IDS,
  readManifest,
  TxSender,
  type IdempotencyStore,
  type Manifest,
} from '@tranche/chain';
import { chainTransactionStore, type Config } from '@tranche/platform';
import { JsonRpcProvider, Wallet } from 'ethers';

/** What the anchoring job needs of the chain: its id, the deployment, and a sender. */
export interface ChainConnection {
  chainId: number;
  manifest: Manifest;
  sender: TxSender;
  close(): void;
}

/**
 * Connects to the configured chain with the platform's service key (CHAIN_OPERATOR_KEY; on a
 * local chain the public dev deployer key) and a TxSender whose idempotency keys live in the
 * audit schema's `chain_transaction` table, so a re-run job never sends twice.
 *
 * @throws Error when no chain is configured, the chain has no deployment manifest, or no key
 *   is configured off a local chain.
 */
export async function connectChain(orm: MikroORM, config: Config): Promise<ChainConnection> {
  if (!config.CHAIN_RPC_URL) throw new Error('CHAIN_RPC_URL is not set: nothing can be anchored');
  const provider = new JsonRpcProvider(config.CHAIN_RPC_URL, undefined, {
    cacheTimeout: -1,
    pollingInterval: 250,
  });
  try {
    const chainId = Number((await provider.getNetwork()).chainId);
    const manifest = await readManifest(config.CHAIN_MANIFEST_DIR, chainId);
    if (!manifest)
      throw new Error(`no deployment manifest for chain ${chainId} in ${config.CHAIN_MANIFEST_DIR}`);
    const key = operatorKeyOf(config, chainId);
    const store = chainTransactionStore(orm) as IdempotencyStore;
    const sender = new TxSender(new Wallet(key, provider), { store, pollIntervalMs: 250 });
    return { chainId, manifest, sender, close: () => provider.destroy() };
  } catch (err) {
    provider.destroy();
    throw err;
  }
}

/**
 * The platform's service key on chain `chainId`: CHAIN_OPERATOR_KEY, or on a local chain the
 * public dev deployer key (which holds OPERATOR_ROLE there). It anchors the ledger and signs
 * audit bundles, so a bundle's signer can be checked on-chain.
 *
 * @throws Error off a local chain when CHAIN_OPERATOR_KEY is not set.
 */
export function operatorKeyOf(config: Config, chainId: number): string {
  const key = config.CHAIN_OPERATOR_KEY ?? (LOCAL_CHAIN_IDS.includes(chainId) ? DEV_DEPLOYER_KEY : undefined);
  if (!key) throw new Error(`CHAIN_OPERATOR_KEY is required on chain ${chainId}`);
  return key;
}

const shared = new WeakMap<MikroORM, () => Promise<ChainConnection>>();

/**
 * A connection opened on first use and shared by all of the subgraph's jobs (one sender per
 * process, so one key's nonces never collide between them); a failed attempt is forgotten, so
 * the next job tries again (e.g. once the chain is back).
 */
export function lazyChainConnection(orm: MikroORM, config: Config): () => Promise<ChainConnection> {
  const existing = shared.get(orm);
  if (existing) return existing;
  let chain: Promise<ChainConnection> | undefined;
  const connection = () => {
    chain ??= connectChain(orm, config).catch((err: unknown) => {
      chain = undefined;
      throw err;
    });
    return chain;
  };
  shared.set(orm, connection);
  return connection;
}
