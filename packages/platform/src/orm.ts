import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator, type Migration } from '@mikro-orm/migrations';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import type { Constructor, Logger as OrmLogger, LoggerNamespace, LogContext } from '@mikro-orm/core';
import type { Logger } from './logger.js';
import { OWNED_SCHEMAS } from './topology.js';
import { JOB_LIVENESS_SCHEMA, JOB_SCHEMA } from './jobs/queue.js';

/**
 * The comment that starts every statement sent by background work (the gate's refresh), so the
 * per-request statement counter skips it. A marker in the SQL itself survives every code path of
 * the driver's logging, which a logger-context label did not.
 */
export const BACKGROUND_QUERY = '/* background */';

/** Counts every SQL statement an ORM instance sends for requests (exposed on `/metrics`). */
export class QueryCounter {
  total = 0;
}

class CountingLogger implements OrmLogger {
  constructor(
    private readonly counter: QueryCounter,
    private readonly logger: Logger,
  ) {}
  log(namespace: string, message: string): void {
    if (namespace !== 'query') this.logger.debug({ namespace }, message);
  }
  error(namespace: string, message: string): void {
    this.logger.error({ namespace }, message);
  }
  warn(namespace: string, message: string): void {
    this.logger.warn({ namespace }, message);
  }
  logQuery(context: LogContext): void {
    if (!context.query?.startsWith(BACKGROUND_QUERY)) this.counter.total += 1;
    if (this.logger.isLevelEnabled('trace'))
      this.logger.trace({ sql: context.query, took: context.took }, 'sql');
  }
  setDebugMode(): void {}
  isEnabled(namespace: LoggerNamespace): boolean {
    return namespace === 'query';
  }
}

type Ctor<T> = new (...args: never[]) => T;

export interface OrmOptions {
  /** PostgreSQL connection string. */
  databaseUrl: string;
  /** The PostgreSQL schema this subgraph owns; its tables and migrations table live there. */
  schema: string;
  entities: Ctor<object>[];
  /** The subgraph's committed migrations, in order. */
  migrations: Constructor<Migration>[];
  logger: Logger;
  counter?: QueryCounter;
  poolMax?: number;
}

/**
 * Opens the ORM for one subgraph: one schema per subgraph, metadata from decorators
 * (type-graphql and MikroORM share the classes), the committed migration list, and a logger
 * that counts statements. The schema is never created from entities outside tests; call
 * {@link migrate} to apply the committed migrations.
 */
export async function createOrm(options: OrmOptions): Promise<MikroORM> {
  const counter = options.counter ?? new QueryCounter();
  const config: Options = {
    clientUrl: options.databaseUrl,
    schema: options.schema,
    entities: options.entities,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    debug: ['query'],
    loggerFactory: () => new CountingLogger(counter, options.logger),
    pool: { min: 0, max: options.poolMax ?? 10 },
    allowGlobalContext: false,
    // The schema diff only ever concerns the subgraph's own schema: the others belong to the job
    // queue (graphile_worker, and its workers' liveness) or to other subgraphs, and the migrations
    // table is the migrator's.
    schemaGenerator: {
      ignoreSchema: [
        'public',
        JOB_SCHEMA,
        JOB_LIVENESS_SCHEMA,
        ...OWNED_SCHEMAS.filter((s) => s !== options.schema),
      ],
      skipTables: ['mikro_orm_migrations', /mikro_orm_migrations$/],
      // Views and SQL functions are written by hand in migrations (e.g. the audit subgraph's
      // published gate views and claim function), not derived from entities.
      skipViews: [/.*/],
      ignoreRoutines: true,
    },
    migrations: {
      schema: options.schema,
      tableName: 'mikro_orm_migrations',
      migrationsList: options.migrations.map((m) => ({ name: m.name, class: m })),
      transactional: true,
      allOrNothing: true,
      snapshot: false,
    },
  };
  return MikroORM.init(config);
}

/** Applies pending committed migrations (creating the schema first); returns their names. */
export async function migrate(orm: MikroORM, schema: string): Promise<string[]> {
  await orm.em.getConnection().execute(`create schema if not exists "${schema}"`);
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}

/** SQL that would bring the database in line with the entities (empty when migrations match). */
export async function pendingSchemaDiff(orm: MikroORM): Promise<string> {
  return orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false });
}
