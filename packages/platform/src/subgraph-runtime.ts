import { readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import type { Constructor } from '@mikro-orm/core';
import type { Migration } from '@mikro-orm/migrations';
import type { MikroORM } from '@mikro-orm/postgresql';
import { tokenVerifierFromConfig, type TokenVerifier } from './auth.js';
import { loadConfig, type Config } from './config.js';
import { LoaderCache, type SubgraphContext } from './context.js';
import { DomainError, formatError, httpStatusFor } from './errors.js';
import { Gate } from './gate/gate.js';
import { sqlGateStateSource } from './gate/sql-state-source.js';
import { installJobQueue, startJobWorker, type JobHandler } from './jobs/queue.js';
import { startGraphQLServer, type GraphQLHttpOptions, type RunningServer } from './http-server.js';
import { createLogger, requestLogger, type Logger } from './logger.js';
import { createOrm, migrate, QueryCounter } from './orm.js';
import { OutboxEvent } from './outbox.js';
import { buildFederatedSchema, type FederatedSchemaOptions } from './subgraph-schema.js';
import { envPrefix, TOPOLOGY, type SubgraphName } from './topology.js';

type Ctor<T> = new (...args: never[]) => T;

/** Everything that makes one subgraph: its schema, its tables, its migrations. */
export interface SubgraphDefinition extends FederatedSchemaOptions<SubgraphContext> {
  name: SubgraphName;
  /** The PostgreSQL schema the subgraph owns (from the topology). */
  dbSchema: string;
  /** Its entities, the outbox included. */
  entities: Ctor<object>[];
  migrations: Constructor<Migration>[];
  /** Background work bound to the subgraph's lifetime (e.g. the audit ledger writer). */
  workers?: (orm: MikroORM, config: Config, logger: Logger) => { stop(): Promise<void> };
  /**
   * The queue tasks this subgraph runs (its domains' `<x>.jobs.ts`), and recurring ones in
   * graphile-worker crontab syntax; they run in the subgraph's process.
   */
  jobs?: SubgraphJobs;
  /**
   * Plain HTTP routes served beside `/graphql` (e.g. a download), checked before GraphQL. They
   * authenticate themselves with `verify` (the same bearer-token check as GraphQL).
   */
  routes?: (deps: SubgraphRouteDeps) => NonNullable<GraphQLHttpOptions<SubgraphContext>['routes']>;
}

/** What a subgraph's HTTP routes are built with. */
export interface SubgraphRouteDeps {
  orm: MikroORM;
  config: Config;
  logger: Logger;
  verify: TokenVerifier;
  /** The subgraph's gate, for routes with side effects (an upload). */
  gate: Gate;
}

/**
 * The context of a plain HTTP route's request, as GraphQL resolvers get theirs: the caller from
 * the bearer token (or the reason there is none), a fresh entity manager, the gate, the config and
 * a request logger; `serviceFor` / `gatedService` authorize against it as they do for resolvers.
 */
export async function routeContext(
  deps: SubgraphRouteDeps,
  req: IncomingMessage,
  requestId: string,
): Promise<SubgraphContext> {
  const base = {
    requestId,
    logger: requestLogger(deps.logger, requestId),
    em: deps.orm.em.fork(),
    loaders: new LoaderCache(),
    gate: deps.gate,
    config: deps.config,
  };
  try {
    return { ...base, principal: await deps.verify(req.headers.authorization) };
  } catch (err) {
    return { ...base, principal: null, authError: err as Error };
  }
}

/** Answers a route's request with a domain error, shaped and statused as GraphQL's are. */
export function sendRouteError(
  res: ServerResponse,
  err: DomainError,
  status = httpStatusFor(err.code),
): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(
    JSON.stringify({ errors: [{ message: err.message, extensions: { code: err.code, ...err.details } }] }),
  );
}

/** The queue tasks of a subgraph (or of one of its domains) and their crontab lines. */
export interface JobSet {
  handlers: Record<string, JobHandler>;
  crontab?: string;
}

/** Builds a subgraph's (or a domain's) job set once the ORM, config, logger and gate exist. */
export type SubgraphJobs = (orm: MikroORM, config: Config, logger: Logger, gate: Gate) => JobSet;

/**
 * One subgraph job set from its domains' (`jobs: combineJobs(anchorJobs, bundleJobs)`).
 *
 * @throws Error at start-up when two domains declare the same task name.
 */
export function combineJobs(...domains: SubgraphJobs[]): SubgraphJobs {
  return (orm, config, logger, gate) => {
    const handlers: Record<string, JobHandler> = {};
    const crontab: string[] = [];
    for (const domain of domains) {
      const set = domain(orm, config, logger, gate);
      for (const [task, handler] of Object.entries(set.handlers)) {
        if (task in handlers) throw new Error(`job task ${task} is declared twice`);
        handlers[task] = handler;
      }
      if (set.crontab?.trim()) crontab.push(set.crontab.trim());
    }
    return { handlers, crontab: crontab.length ? crontab.join('\n') : undefined };
  };
}

/** What a subgraph declares; {@link defineSubgraph} adds what the topology and platform fix. */
export type SubgraphSpec = Omit<SubgraphDefinition, 'dbSchema'>;

/**
 * A subgraph's definition from its spec: its PostgreSQL schema comes from the topology, and
 * its transactional outbox (every subgraph has one) joins its entities.
 */
export function defineSubgraph(spec: SubgraphSpec): SubgraphDefinition {
  const entities = spec.entities.includes(OutboxEvent) ? spec.entities : [...spec.entities, OutboxEvent];
  return { ...spec, entities, dbSchema: TOPOLOGY.subgraphs[spec.name].dbSchema };
}

export interface RunningSubgraph extends RunningServer {
  orm: MikroORM;
  counter: QueryCounter;
  gate: Gate;
}

/**
 * Starts a subgraph: connects the ORM to `DATABASE_URL`, applies committed migrations when
 * `DB_MIGRATE_ON_START` is on (the default outside production), verifies every request's
 * bearer token against the OIDC issuer, and serves GraphQL on `port` (0 picks a free one).
 */
export async function startSubgraph(
  definition: SubgraphDefinition,
  port: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningSubgraph> {
  const config = loadConfig(env);
  const logger = createLogger(`${definition.name}-subgraph`, config.LOG_LEVEL);
  if (!config.DATABASE_URL) {
    throw new Error(`${definition.name} subgraph: DATABASE_URL is required (the start command provides it)`);
  }
  const counter = new QueryCounter();
  const orm = await createOrm({
    databaseUrl: config.DATABASE_URL,
    schema: definition.dbSchema,
    entities: definition.entities,
    migrations: definition.migrations,
    logger,
    counter,
  });
  const migrateOnStart =
    (config.DB_MIGRATE_ON_START ?? (config.NODE_ENV === 'production' ? 'false' : 'true')) === 'true';
  if (migrateOnStart) {
    const applied = await migrate(orm, definition.dbSchema);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    if (definition.jobs) await installJobQueue(config.DATABASE_URL);
  }
  const { schema } = await buildFederatedSchema(definition);
  const verify = tokenVerifierFromConfig(config);
  const development = config.NODE_ENV === 'development';
  const apollo = new ApolloServer<SubgraphContext>({
    schema,
    includeStacktraceInErrorResponses: development,
    formatError: (formatted, error) => formatError(formatted, error, development),
    introspection: config.NODE_ENV !== 'production',
    // No subgraph sets cache hints, and the cache-control plugin wraps every field's resolver to
    // collect them (2 % of a 100-deal page's CPU in a profile), for nothing.
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled()],
    // compact JSON: Apollo Server pretty-prints by default, which the gateway then reads back
    stringifyResult: (result) => JSON.stringify(result),
  });
  const gate = new Gate(sqlGateStateSource(orm, { databaseUrl: config.DATABASE_URL }), {
    refreshMs: config.GATE_REFRESH_MS,
    maxStalenessMs: config.GATE_MAX_STALENESS_MS,
    rateLimitPerMinute: config.GATE_RATE_LIMIT_PER_MINUTE,
    logger,
  });
  await gate.start();
  const workers = definition.workers?.(orm, config, logger);
  const jobs = definition.jobs?.(orm, config, logger, gate);
  const jobWorker = jobs
    ? await startJobWorker({
        databaseUrl: config.DATABASE_URL,
        handlers: jobs.handlers,
        crontab: jobs.crontab,
        logger,
        livenessGraceMs: config.JOB_LIVENESS_GRACE_SECONDS * 1000,
      })
    : undefined;
  const running = await startGraphQLServer<SubgraphContext>({
    apollo,
    port,
    host: config.HOST,
    logger,
    context: async (req, requestId) => {
      const log = requestLogger(logger, requestId);
      const base = { requestId, logger: log, em: orm.em.fork(), loaders: new LoaderCache(), gate, config };
      try {
        return { ...base, principal: await verify(req.headers.authorization) };
      } catch (err) {
        return { ...base, principal: null, authError: err as Error };
      }
    },
    ready: async () => orm.isConnected(),
    metrics: () => `# TYPE sql_statements_total counter\nsql_statements_total ${counter.total}\n`,
    routes: definition.routes?.({ orm, config, logger, verify, gate }),
  });
  logger.info({ url: running.url }, `${definition.name} subgraph ready`);
  return {
    ...running,
    orm,
    counter,
    gate,
    close: async () => {
      await jobWorker?.stop();
      await gate.stop();
      await workers?.stop();
      await running.close();
      await orm.close();
    },
  };
}

/**
 * The command line every subgraph's `main.js` shares: `--emit-schema` writes the SDL to
 * `schemaFile`, `--check-schema` fails when the committed file differs, otherwise it serves on
 * `<NAME>_PORT` (default: its port in the topology) and stops cleanly on SIGINT/SIGTERM.
 */
export async function subgraphMain(definition: SubgraphDefinition, schemaFile: string): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--emit-schema') || args.includes('--check-schema')) {
    const { sdl } = await buildFederatedSchema(definition);
    const text = `# generated by \`pnpm --filter @tranche/${definition.name}-subgraph emit-schema\`; do not edit\n${sdl}`;
    if (args.includes('--check-schema')) {
      let committed = '';
      try {
        committed = readFileSync(schemaFile, 'utf8');
      } catch {
        /* missing counts as stale */
      }
      if (committed !== text) {
        console.error(`${schemaFile} is stale: run the emit-schema script and commit the result`);
        process.exit(1);
      }
      console.log(`${definition.name}: schema.graphql is current`);
      return;
    }
    writeFileSync(schemaFile, text);
    console.log(`wrote ${schemaFile}`);
    return;
  }
  const port = loadConfig()[`${envPrefix(definition.name)}_PORT`];
  const running = await startSubgraph(definition, port);
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
