import { readFileSync } from 'node:fs';
import { GraphQLError } from 'graphql';
import {
  ApolloGateway,
  RemoteGraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
} from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import {
  createLogger,
  tokenVerifierFromConfig,
  DomainError,
  formatError,
  httpStatusFor,
  HttpError,
  loadConfig,
  startGraphQLServer,
  subgraphUrl,
  SUBGRAPHS,
  type Principal,
  type RunningServer,
  type SubgraphName,
} from '@tranche/platform';
import { downloadRoutes } from './downloads.js';
import { queryLimitsPlugin } from './limits.js';
import { fieldPricesFromSupergraph } from './prices.js';
import { subgraphFetcher } from './subgraph-fetcher.js';

export { measureOperation, queryLimitsPlugin } from './limits.js';
export { fieldPricesFromSupergraph, type FieldPrice, type FieldPrices } from './prices.js';

/**
 * Forwards `Authorization` (which carries the tenant) and `x-request-id` over the keep-alive
 * {@link subgraphFetcher}, and keeps a subgraph's own GraphQL error (its
 * message and `extensions.code`) when it answers with an HTTP error status, e.g. 400
 * BAD_USER_INPUT for a malformed variable, instead of a bare "400: Bad Request".
 */
class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
    if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
  }

  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]) {
    const text = await response.text();
    try {
      const body = JSON.parse(text) as {
        errors?: { message?: string; extensions?: Record<string, unknown> }[];
      };
      const first = body.errors?.[0];
      if (first?.message && typeof first.extensions?.code === 'string') {
        return new GraphQLError(first.message, {
          extensions: { ...first.extensions, http: { status: response.status } },
        });
      }
    } catch {
      /* not a GraphQL response */
    }
    return new GraphQLError(`${response.status}: ${response.statusText}`, {
      extensions: { code: response.status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL_SERVER_ERROR' },
    });
  }
}

/** What the gateway passes down to subgraph requests. */
export interface GatewayContext {
  requestId: string;
  authorization: string;
  principal: Principal;
}

/**
 * Starts the gateway over the committed supergraph: verifies the bearer token (401 without a
 * valid one, before any planning), forwards `Authorization` and `x-request-id` to the
 * subgraphs, enforces depth and cost limits, keeps CSRF prevention on, hides stack traces
 * outside development, and serves `/health/live` and `/health/ready` (every subgraph ready).
 */
export async function startGateway(
  port: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningServer> {
  const config = loadConfig(env);
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const supergraphSdl = readFileSync(new URL('../supergraph.graphql', import.meta.url), 'utf8');
  const urls = Object.fromEntries(SUBGRAPHS.map((name) => [name, subgraphUrl(config, name)])) as Record<
    SubgraphName,
    string
  >;
  const fetcher = subgraphFetcher({
    headersTimeoutMs: config.GATEWAY_SUBGRAPH_TIMEOUT_MS,
    bodyTimeoutMs: config.GATEWAY_SUBGRAPH_TIMEOUT_MS,
  });
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger,
    buildService: ({ name }) => new SubgraphDataSource({ url: urls[name as SubgraphName], fetcher }),
  });
  const verify = tokenVerifierFromConfig(config);
  const development = config.NODE_ENV === 'development';
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: development,
    introspection: config.NODE_ENV !== 'production',
    formatError: (formatted, error) => formatError(formatted, error, development),
    // compact JSON (Apollo Server pretty-prints by default): less CPU and fewer bytes per answer
    stringifyResult: (result) => JSON.stringify(result),
    plugins: [
      queryLimitsPlugin({
        maxDepth: config.GATEWAY_MAX_DEPTH,
        maxCost: config.GATEWAY_MAX_COST,
        prices: fieldPricesFromSupergraph(supergraphSdl),
      }),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
    ],
  });
  const running = await startGraphQLServer<GatewayContext>({
    apollo,
    port,
    host: config.HOST,
    logger,
    corsOrigins: config.CORS_ORIGINS,
    routes: downloadRoutes(urls, verify, logger),
    context: async (req, requestId) => {
      const authorization = req.headers.authorization ?? '';
      try {
        const principal = await verify(authorization || undefined);
        return { requestId, authorization, principal };
      } catch (err) {
        const code = err instanceof DomainError ? err.code : 'UNAUTHENTICATED';
        const message = err instanceof Error ? err.message : 'authentication failed';
        throw new HttpError(httpStatusFor(code), { errors: [{ message, extensions: { code } }] });
      }
    },
    ready: async () => {
      const checks = await Promise.all(
        Object.values(urls).map((url) =>
          fetch(url.replace(/\/graphql$/, '/health/ready'), { signal: AbortSignal.timeout(2000) })
            .then((r) => r.ok)
            .catch(() => false),
        ),
      );
      return checks.every(Boolean);
    },
  });
  logger.info({ url: running.url, subgraphs: urls }, 'gateway ready');
  return {
    ...running,
    close: async () => {
      await running.close();
      await fetcher.close();
    },
  };
}
