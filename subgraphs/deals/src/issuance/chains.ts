import {
  ChainDirectory,
  chainEndpointsOf,
  InMemoryIdempotencyStore,
  type ChainEndpoint,
  type KnownChain,
} from '@tranche/chain';
import type { Config } from '@tranche/platform';

/** The chains of the configuration: CHAINS, or else the one chain at CHAIN_RPC_URL. */
export const chainEndpoints = (config: Config): ChainEndpoint[] => chainEndpointsOf(config);

const listings = new WeakMap<Config, ChainDirectory>();

/** The configured chains with their ids (cached per configuration; nothing is sent through it). */
export function knownChains(config: Config): Promise<KnownChain[]> {
  let directory = listings.get(config);
  if (!directory) {
    directory = new ChainDirectory({
      chains: chainEndpoints(config),
      manifestDir: config.CHAIN_MANIFEST_DIR,
      store: new InMemoryIdempotencyStore(),
    });
    listings.set(config, directory);
  }
  return directory.list();
}
