import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { Agent, type Dispatcher } from 'undici';

// Apollo Gateway's fetcher contract (from @apollo/utils.fetcher, which it does not re-export).
type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherRequestInit = NonNullable<Parameters<Fetcher>[1]>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;
type FetcherHeaders = FetcherResponse['headers'];

/** Timeouts of the gateway's calls to its subgraphs, milliseconds. */
export interface SubgraphFetcherOptions {
  /** From sending the request to the last response header. */
  headersTimeoutMs: number;
  /** Longest silence while the response body arrives. */
  bodyTimeoutMs: number;
}

type HeaderValue = string | string[] | undefined;

/** Response headers as undici hands them over (lower-case names), read through the Fetch API. */
class ResponseHeaders implements FetcherHeaders {
  constructor(private readonly raw: Record<string, HeaderValue>) {}
  private *pairs(): Generator<[string, string]> {
    for (const [name, value] of Object.entries(this.raw)) {
      if (value !== undefined) yield [name, Array.isArray(value) ? value.join(', ') : value];
    }
  }
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }
  append(name: string, value: string): void {
    const old = this.get(name);
    this.raw[name.toLowerCase()] = old === null ? value : `${old}, ${value}`;
  }
  set(name: string, value: string): void {
    this.raw[name.toLowerCase()] = value;
  }
  delete(name: string): void {
    this.raw[name.toLowerCase()] = undefined;
  }
  entries(): Iterator<[string, string]> {
    return this.pairs();
  }
  keys(): Iterator<string> {
    return Array.from(this.pairs(), ([name]) => name)[Symbol.iterator]();
  }
  values(): Iterator<string> {
    return Array.from(this.pairs(), ([, value]) => value)[Symbol.iterator]();
  }
  [Symbol.iterator](): Iterator<[string, string]> {
    return this.pairs();
  }
}

/** A subgraph's answer, read once as text and parsed on demand. */
class SubgraphResponse implements FetcherResponse {
  readonly redirected = false;
  readonly ok: boolean;
  readonly statusText: string;
  bodyUsed = false;
  constructor(
    readonly url: string,
    readonly status: number,
    readonly headers: ResponseHeaders,
    private readonly body: string,
  ) {
    this.ok = status >= 200 && status < 300;
    this.statusText = STATUS_TEXT[status] ?? '';
  }
  text(): Promise<string> {
    this.bodyUsed = true;
    return Promise.resolve(this.body);
  }
  json(): Promise<unknown> {
    this.bodyUsed = true;
    return Promise.resolve().then(() => JSON.parse(this.body) as unknown);
  }
  arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    const bytes = new TextEncoder().encode(this.body);
    return Promise.resolve(bytes.buffer);
  }
  clone(): FetcherResponse {
    return new SubgraphResponse(this.url, this.status, this.headers, this.body);
  }
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Payload Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * The HTTP client of the gateway's subgraph data sources: undici's dispatcher over one keep-alive
 * connection pool per subgraph origin, instead of Apollo Gateway's default `make-fetch-happen`,
 * which spends about 15 % of the gateway's CPU building an error stack per request (agent-base's
 * `isSecureEndpoint`) and wraps every body in a stream it then buffers anyway. The answer's
 * chunks are collected straight from the dispatcher (undici's `request()` would wrap them in a
 * `Readable` and an async resource first). Headers are sent as the data source set them
 * (`Authorization`, `x-request-id`, `Content-Type`), and a subgraph that sends no headers within
 * `headersTimeoutMs`, or stalls its body for `bodyTimeoutMs`, fails the call with undici's
 * timeout error (the gateway reports it as that subgraph's error).
 */
export function subgraphFetcher(options: SubgraphFetcherOptions): Fetcher & { close(): Promise<void> } {
  const dispatcher: Dispatcher = new Agent({
    keepAliveTimeout: 30_000,
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
  });
  const targets = new Map<string, { origin: string; path: string }>();
  const targetOf = (url: string) => {
    let target = targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
      targets.set(url, target);
    }
    return target;
  };
  const fetcher = (url: string, init: FetcherRequestInit = {}): Promise<FetcherResponse> =>
    new Promise((resolve, reject) => {
      const signal = init.signal as AbortSignal | undefined | null;
      const chunks: Buffer[] = [];
      let status = 0;
      let headers: Record<string, HeaderValue> = {};
      let onAbort: (() => void) | undefined;
      const done = () => {
        if (onAbort) signal?.removeEventListener('abort', onAbort);
      };
      dispatcher.dispatch(
        {
          ...targetOf(url),
          method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
          headers: init.headers as Record<string, string> | undefined,
          body: init.body as string | undefined,
        },
        {
          onRequestStart(controller) {
            if (!signal) return;
            if (signal.aborted) return controller.abort(signal.reason);
            onAbort = () => controller.abort(signal.reason);
            signal.addEventListener('abort', onAbort, { once: true });
          },
          onResponseStart(_controller, statusCode, responseHeaders) {
            if (statusCode < 200) return; // informational: the answer's own headers follow
            status = statusCode;
            headers = responseHeaders as Record<string, HeaderValue>;
          },
          onResponseData(_controller, chunk) {
            chunks.push(chunk);
          },
          onResponseEnd() {
            done();
            const body =
              chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
            resolve(new SubgraphResponse(url, status, new ResponseHeaders(headers), body));
          },
          onResponseError(_controller, err) {
            done();
            reject(err);
          },
        },
      );
    });
  return Object.assign(fetcher, { close: () => dispatcher.close() });
}
