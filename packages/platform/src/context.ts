import type { Config } from './config.js';
import DataLoader from 'dataloader';
import type { EntityName, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthContext } from './auth.js';
import type { Gate } from './gate/gate.js';
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

/**
 * Wraps a function that builds a request's loaders (authorizing the caller, creating the service
 * and looking the loaders up) so that it runs once per request context: a field resolved for each
 * of 300 entities then asks for it 300 times for the price of one. A build that throws (the wrong
 * role) caches nothing, so every later call throws the same.
 */
export function perRequest<C extends object, R>(build: (ctx: C) => R): (ctx: C) => R {
  const built = new WeakMap<C, R>();
  return (ctx) => {
    let value = built.get(ctx);
    if (value === undefined) {
      value = build(ctx);
      built.set(ctx, value);
    }
    return value;
  };
}

/** What every subgraph resolver receives. */
export interface SubgraphContext extends AuthContext {
  requestId: string;
  logger: Logger;
  /** A fork of the ORM's entity manager, private to this request. */
  em: EntityManager;
  loaders: LoaderCache;
  /** The enforcement gate: every side effect asks it first (`ctx.gate.check(ctx, …)`). */
  gate: Gate;
  /** The service's configuration (e.g. the chains a deal may name). */
  config: Config;
}

/** Orders `rows` by `keys`, with `null` for keys that matched no row (DataLoader contract). */
export function byKeys<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): (T | null)[] {
  const index = new Map(rows.map((r) => [keyOf(r), r]));
  return keys.map((k) => index.get(k) ?? null);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID (every entity id is; anything else can match no row). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * The batch function behind every entity-reference loader: the tenant's rows for `ids` in one
 * statement, answered in key order with `null` for unknown ids and other tenants' rows.
 */
export async function findByIds<T extends { id: string; tenantId: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  ids: readonly string[],
  tenantId: string,
): Promise<(T | null)[]> {
  const valid = ids.filter(isUuid);
  const where = { id: { $in: valid }, tenantId } as FilterQuery<T>;
  const rows = valid.length ? await em.find(entity, where) : [];
  return byKeys(ids, rows, (row) => row.id);
}
