import { type Server, createServer } from 'node:http';

import { JsonRpcProvider, Network, Wallet } from 'ethers';

/** Hardhat's default dev accounts #0-#3 (public test keys). */
export const DEV_KEYS = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
] as const;

/** A provider without batching and with a fixed network, so a proxy sees one call per request. */
export function provider(rpcUrl: string): JsonRpcProvider {
  return new JsonRpcProvider(rpcUrl, Network.from(31337), {
    staticNetwork: true,
    batchMaxCount: 1,
    pollingInterval: 50,
    cacheTimeout: -1,
  });
}

export function wallet(index: number, p: JsonRpcProvider): Wallet {
  const key = DEV_KEYS[index];
  if (!key) throw new Error(`no dev key ${index}`);
  return new Wallet(key, p);
}

/**
 * A JSON-RPC proxy in front of the node to simulate outages: `down` resets every connection,
 * `failNext(method, n)` answers the next n calls of `method` with HTTP 503.
 */
export class FlakyRpcProxy {
  down = false;
  readonly #failures = new Map<string, number>();
  readonly calls: string[] = [];
  #server: Server | undefined;
  url = '';

  constructor(private readonly target: string) {}

  failNext(method: string, count: number): void {
    this.#failures.set(method, count);
  }

  async start(): Promise<string> {
    this.#server = createServer((req, res) => {
      if (this.down) {
        req.socket.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        const method = (JSON.parse(body) as { method?: string }).method ?? '';
        this.calls.push(method);
        const pending = this.#failures.get(method) ?? 0;
        if (pending > 0) {
          this.#failures.set(method, pending - 1);
          res.writeHead(503).end('Service Unavailable');
          return;
        }
        fetch(this.target, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
          .then(async (r) =>
            res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text()),
          )
          .catch(() => res.writeHead(502).end('Bad Gateway'));
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    const address = this.#server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }
}
