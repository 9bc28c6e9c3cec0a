import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DomainError,
  httpStatusFor,
  type Logger,
  type SubgraphName,
  type TokenVerifier,
} from '@tranche/platform';

/** Plain-HTTP downloads the gateway forwards, by path prefix, to the subgraph that serves them. */
export const DOWNLOAD_ROUTES: Readonly<Record<string, SubgraphName>> = {
  '/audit-bundles/': 'audit', // audit bundle archives (subgraphs/audit/src/bundle)
  '/loan-tapes/': 'deals', // loan tape uploads, PUT (subgraphs/deals/src/tape)
  '/statements/': 'distributions', // investor statements, CSV and PDF (subgraphs/distributions/src/statement)
};

/**
 * Provider webhooks the gateway forwards as they come, without a bearer token: the owning subgraph
 * authenticates them by their signature (the raw body and the signature header pass unchanged).
 */
export const WEBHOOK_ROUTES: Readonly<Record<string, { subgraph: SubgraphName; headers: string[] }>> = {
  '/webhooks/kyc': { subgraph: 'investors', headers: ['persona-signature'] }, // subgraphs/investors/src/kyc
};
const MAX_WEBHOOK_BYTES = 256 * 1024;

/** The prefixes that take a request body (an upload), streamed through as it arrives. */
const UPLOAD_PREFIXES = new Set(['/loan-tapes/']);
const UPLOAD_METHODS = new Set(['PUT', 'POST']);

/** The response headers a download keeps on its way through the gateway. */
const FORWARDED_HEADERS = [
  'content-type',
  'content-length',
  'content-disposition',
  'x-content-sha256',
  'cache-control',
];

/**
 * The gateway's download and upload routes: a request under a prefix of {@link DOWNLOAD_ROUTES} is
 * checked for a valid bearer token (401 before anything is forwarded, as for GraphQL), then
 * forwarded with its `Authorization` and `x-request-id` to the owning subgraph (which checks role,
 * tenant and the gate) — an upload's body streamed through as it arrives — and the answer
 * streamed back. Clients only ever talk to the gateway.
 */
export function downloadRoutes(urls: Record<SubgraphName, string>, verify: TokenVerifier, logger: Logger) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const webhook = WEBHOOK_ROUTES[url.pathname];
    if (webhook) {
      await forwardWebhook(req, res, new URL(url.pathname, urls[webhook.subgraph]), webhook.headers, logger);
      return true;
    }
    const route = Object.entries(DOWNLOAD_ROUTES).find(([prefix]) => url.pathname.startsWith(prefix));
    if (!route) return false;
    const authorization = req.headers.authorization ?? '';
    try {
      await verify(authorization || undefined);
    } catch (err) {
      const code = err instanceof DomainError ? err.code : 'UNAUTHENTICATED';
      if (!req.readableEnded) {
        // an upload's body is not read: close the connection rather than wait for it
        res.setHeader('connection', 'close');
        req.resume();
      }
      res.statusCode = httpStatusFor(code);
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify({ errors: [{ message: (err as Error).message, extensions: { code } }] }));
      return true;
    }
    const target = new URL(`${url.pathname}${url.search}`, urls[route[1]]);
    const upload = UPLOAD_PREFIXES.has(route[0]) && UPLOAD_METHODS.has(req.method ?? '');
    const headers: Record<string, string> = {
      authorization,
      'x-request-id': String(res.getHeader('x-request-id') ?? ''),
    };
    if (upload) {
      for (const name of ['content-type', 'content-length']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
    }
    let upstream: Response;
    try {
      upstream = await fetch(target, {
        method: upload
          ? req.method!
          : req.method === 'HEAD'
            ? 'HEAD'
            : req.method === 'GET'
              ? 'GET'
              : 'OPTIONS',
        headers,
        ...(upload ? { body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } : {}),
      } as RequestInit);
    } catch (err) {
      logger.error({ err, subgraph: route[1] }, 'download: subgraph unreachable');
      res.statusCode = 502;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(
        JSON.stringify({
          errors: [{ message: 'the subgraph is unreachable', extensions: { code: 'SERVICE_UNAVAILABLE' } }],
        }),
      );
      return true;
    }
    res.statusCode = upstream.status;
    for (const name of FORWARDED_HEADERS) {
      const value = upstream.headers.get(name);
      if (value !== null) res.setHeader(name, value);
    }
    if (!upstream.body) {
      res.end();
      return true;
    }
    await pipeline(Readable.fromWeb(upstream.body), res);
    return true;
  };
}

/** Forwards a webhook's POST (at most 256 KiB) with its signature headers and relays the answer. */
async function forwardWebhook(
  req: IncomingMessage,
  res: ServerResponse,
  target: URL,
  signatureHeaders: string[],
  logger: Logger,
): Promise<void> {
  const reply = (status: number, code: string, message: string) => {
    res.statusCode = status;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ code, message }));
  };
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    return reply(405, 'METHOD_NOT_ALLOWED', 'webhooks are POSTed');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_WEBHOOK_BYTES) {
      res.setHeader('connection', 'close');
      return reply(413, 'PAYLOAD_TOO_LARGE', `a webhook is at most ${MAX_WEBHOOK_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  const headers: Record<string, string> = {
    'content-type': String(req.headers['content-type'] ?? 'application/json'),
    'x-request-id': String(res.getHeader('x-request-id') ?? ''),
  };
  for (const name of signatureHeaders) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  let upstream: Response;
  try {
    upstream = await fetch(target, { method: 'POST', headers, body: Buffer.concat(chunks) });
  } catch (err) {
    logger.error({ err, target: target.pathname }, 'webhook: subgraph unreachable');
    return reply(502, 'SERVICE_UNAVAILABLE', 'the subgraph is unreachable');
  }
  res.statusCode = upstream.status;
  res.setHeader('content-type', upstream.headers.get('content-type') ?? 'application/json');
  res.end(Buffer.from(await upstream.arrayBuffer()));
}
