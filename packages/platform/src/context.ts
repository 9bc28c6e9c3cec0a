import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthContext } from './auth.js';
import type { Logger } from './logger.js';

/** Per-request DataLoaders, created on first use and dropped with the request. */
export class LoaderCache {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();

  /**
   * The request's loader called `name`; `batch` receives every key asked for in one tick and
   * must answer in the same order (one SQL statement per entity type per request).
   */
  get<K, V>(name: string, batch: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V> {
    let loader = this.loaders.get(name);
    if (!loader) {
      loader = new DataLoader<K, V>(batch, { maxBatchSize: 1000 }) as DataLoader<unknown, unknown>;
      this.loaders.set(name, loader);
    }
    return loader as DataLoader<K, V>;
  }
}

/** What every subgraph resolver receives. */
export interface SubgraphContext extends AuthContext {
  requestId: string;
  logger: Logger;
  /** A fork of the ORM's entity manager, private to this request. */
  em: EntityManager;
  loaders: LoaderCache;
}

/** Orders `rows` by `keys`, with `null` for keys that matched no row (DataLoader contract). */
export function byKeys<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): (T | null)[] {
  const index = new Map(rows.map((r) => [keyOf(r), r]));
  return keys.map((k) => index.get(k) ?? null);
}
