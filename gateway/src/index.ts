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
  type Config,
  type Logger,
  type Principal,
  type RunningServer,
  type SubgraphName,
} from '@tranche/platform';
import { downloadRoutes } from './downloads.js';
import { queryLimitsPlugin } from './limits.js';
import { fieldPricesFromSupergraph } from './prices.js';
import { useCompiledResultShaping } from './result-shaping.js';
import { subgraphFetcher } from './subgraph-fetcher.js';

export { measureOperation, queryLimitsPlugin } from './limits.js';
export { fieldPricesFromSupergraph, type FieldPrice, type FieldPrices } from './prices.js';

/** `GraphQLDataSourceRequestKind.INCOMING_OPERATION` (the enum is not exported). */
const INCOMING_OPERATION = 'incoming operation';

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

  /**
   * What `RemoteGraphQLDataSource.process` does without automatic persisted queries — the same
   * request body and headers, the same errors, the same cache-control hint from the answer — but
   * with the headers in a plain object: the original builds a node-fetch `Headers` and a
   * node-fetch `Request` on every call only to hand them to hooks this class does not use.
   */
  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    if (this.apq) return super.process(options);
    const { request, context } = options;
    const headers: Record<string, string> = {};
    for (const [name, value] of request.http?.headers ?? []) {
      const key = name.toLowerCase();
      headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
    }
    headers['content-type'] = 'application/json';
    if (context.authorization) headers.authorization = context.authorization;
    if (context.requestId) headers['x-request-id'] = context.requestId;
    if (!request.query) throw new Error('Missing query');
    const { query, http: _http, ...rest } = request;
    const init = { method: 'POST', headers, body: JSON.stringify({ query, ...rest }) };
    const response = await this.fetcher(this.url!, init);
    if (!response.ok) throw await this.errorFromResponse(response);
    const body = await this.parseBody(response);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new Error(`Expected JSON response body, but received: ${String(body)}`);
    }
    const respond = (this as unknown as { respond: Respond }).respond.bind(this);
    const incoming = options.kind === INCOMING_OPERATION ? (options as IncomingOperation) : undefined;
    const policy = incoming?.incomingRequestContext.overallCachePolicy;
    return respond({
      response: { ...body, http: response },
      request: { query, ...rest },
      context,
      overallCachePolicy:
        this.honorSubgraphCacheControlHeader && policy && 'restrict' in policy ? policy : null,
      pathInIncomingRequest: incoming?.pathInIncomingRequest,
    });
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

type GatewayGraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;
type IncomingOperation = Extract<
  GraphQLDataSourceProcessOptions<GatewayContext>,
  { pathInIncomingRequest?: unknown }
>;

/** `RemoteGraphQLDataSource`'s (private) last step: `didReceiveResponse`, the cache-control hint. */
type Respond = (args: {
  response: GatewayGraphQLResponse;
  request: GraphQLDataSourceProcessOptions['request'];
  context: GraphQLDataSourceProcessOptions<GatewayContext>['context'];
  overallCachePolicy: unknown;
  pathInIncomingRequest?: readonly (string | number)[];
}) => Promise<GatewayGraphQLResponse>;

/** What the gateway passes down to subgraph requests. */
export interface GatewayContext {
  requestId: string;
  authorization: string;
  principal: Principal;
}

/** What {@link gatewayApolloServer} is built from. */
export interface GatewayServerOptions {
  config: Pick<Config, 'NODE_ENV' | 'GATEWAY_MAX_DEPTH' | 'GATEWAY_MAX_COST'>;
  logger: Logger;
  supergraphSdl: string;
  urls: Record<SubgraphName, string>;
  /** The HTTP client of the subgraph calls ({@link subgraphFetcher} in production). */
  fetcher: RemoteGraphQLDataSource['fetcher'];
}

/**
 * The gateway's Apollo Server (not started, no HTTP listener): Apollo Gateway over the
 * supergraph with our data sources, depth and cost limits, CSRF prevention and compact JSON.
 * {@link startGateway} serves it; a benchmark may drive it in-process with its own fetcher.
 */
export function gatewayApolloServer(options: GatewayServerOptions): ApolloServer<GatewayContext> {
  const { config, logger, supergraphSdl, urls, fetcher } = options;
  useCompiledResultShaping();
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger,
    buildService: ({ name }) => new SubgraphDataSource({ url: urls[name as SubgraphName], fetcher }),
  });
  const development = config.NODE_ENV === 'development';
  return new ApolloServer<GatewayContext>({
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
  const verify = tokenVerifierFromConfig(config);
  const apollo = gatewayApolloServer({ config, logger, supergraphSdl, urls, fetcher });
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
