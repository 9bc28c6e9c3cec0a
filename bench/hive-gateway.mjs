#!/usr/bin/env node
// Hive Gateway with its Rust query planner (@graphql-hive/router-runtime) over the committed
// supergraph, as a second gateway in front of the same subgraphs: for bench:gateway and for the
// e2e test that the supergraph runs unchanged under it. Only the subgraphs' locations are given
// (the supergraph's routing URLs are the default ports); the bearer token and request id are
// forwarded to every subgraph, which verifies the token itself. Inbound and outbound request
// de-duplication stay off so that every request does its own work.
//
//   PORT=4100 SUPERGRAPH=gateway/supergraph.graphql \
//   SUBGRAPH_URLS='{"deals":"http://127.0.0.1:4001/graphql",...}' node bench/hive-gateway.mjs
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';

const port = Number(process.env.PORT ?? 4100);
const host = process.env.HOST ?? '127.0.0.1';
const supergraph = readFileSync(
  process.env.SUPERGRAPH ?? new URL('../gateway/supergraph.graphql', import.meta.url),
  'utf8',
);
const locations = JSON.parse(process.env.SUBGRAPH_URLS ?? '{}');

const FORWARDED = ['authorization', 'x-request-id'];

const gateway = createGatewayRuntime({
  supergraph,
  unifiedGraphHandler,
  logging: process.env.LOG_LEVEL === 'debug' ? 'debug' : 'error',
  landingPage: false,
  graphiql: false,
  inboundInflightRequestDeduplication: false,
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) =>
      Object.fromEntries(
        FORWARDED.map((name) => [name, request.headers.get(name)]).filter(([, value]) => value),
      ),
  },
  transportEntries: {
    '*.http': { options: { deduplicateInflightRequests: false } },
    ...Object.fromEntries(Object.entries(locations).map(([name, location]) => [name, { location }])),
  },
});

const server = createServer(gateway);
server.keepAliveTimeout = 65_000;
server.listen(port, host, () => console.log(`hive gateway on http://${host}:${port}/graphql`));
const stop = () => server.close(() => gateway.dispose().finally(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
