import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subgraphFetcher } from './subgraph-fetcher.js';

let server: Server;
let base: string;
let handler: (req: IncomingMessage, body: string, res: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('subgraphFetcher', () => {
  const fetcher = subgraphFetcher({ headersTimeoutMs: 300, bodyTimeoutMs: 300 });
  afterAll(() => fetcher.close());

  it('sends the method, path, headers and body, and reads status, headers and a chunked UTF-8 body', async () => {
    let seen: { method?: string; url?: string; auth?: string; id?: string; type?: string; body?: string } =
      {};
    const answer = JSON.stringify({ data: { name: 'Crédit €'.repeat(5000) } });
    handler = (req, body, res) => {
      seen = {
        method: req.method,
        url: req.url,
        auth: req.headers.authorization,
        id: req.headers['x-request-id'] as string | undefined,
        type: req.headers['content-type'],
        body,
      };
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'private, max-age=5' });
      // split inside a multi-byte character, over several writes
      const bytes = Buffer.from(answer);
      res.write(bytes.subarray(0, 7));
      res.write(bytes.subarray(7, 20_001));
      res.end(bytes.subarray(20_001));
    };
    const res = await fetcher(`${base}/graphql?x=1`, {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'x-request-id': 'r-1', 'content-type': 'application/json' },
      body: '{"query":"{ a }"}',
    });
    expect(seen).toEqual({
      method: 'POST',
      url: '/graphql?x=1',
      auth: 'Bearer t',
      id: 'r-1',
      type: 'application/json',
      body: '{"query":"{ a }"}',
    });
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.url).toBe(`${base}/graphql?x=1`);
    expect(res.headers.get('Content-Type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('private, max-age=5');
    expect(await res.clone().text()).toBe(answer);
    expect(await res.json()).toEqual(JSON.parse(answer));
  });

  it('hands over an error status with its body', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"errors":[{"message":"bad","extensions":{"code":"BAD_USER_INPUT"}}]}');
    };
    const res = await fetcher(`${base}/graphql`, { method: 'POST', body: '{}' });
    expect(res.ok).toBe(false);
    expect(res.status).toBe(400);
    expect(res.statusText).toBe('Bad Request');
    expect(JSON.parse(await res.text())).toMatchObject({ errors: [{ message: 'bad' }] });
  });

  it('fails a call whose headers do not come in time, and one that is aborted', async () => {
    handler = () => undefined; // never answers
    await expect(fetcher(`${base}/graphql`, { method: 'POST', body: '{}' })).rejects.toMatchObject({
      code: 'UND_ERR_HEADERS_TIMEOUT',
    });
    const controller = new AbortController();
    const call = fetcher(`${base}/graphql`, { method: 'POST', body: '{}', signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 20);
    await expect(call).rejects.toThrow('stop');
  });

  it('fails a call to a subgraph that is down', async () => {
    await expect(fetcher('http://127.0.0.1:1/graphql', { method: 'POST', body: '{}' })).rejects.toMatchObject(
      {
        code: 'ECONNREFUSED',
      },
    );
  });
});
