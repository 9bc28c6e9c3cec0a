import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A child service of the stack. */
export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** A port free on 127.0.0.1 right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface SpawnOptions {
  name: string;
  script: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  logDir: string;
  /** Also echo lines at warn level or above (pino level ≥ 40) to this stream. */
  echo?: (line: string) => void;
}

/**
 * Node flags every service runs with. `--experimental-async-context-frame` (Node 22.7+, the
 * default from Node 24) makes AsyncLocalStorage, which MikroORM's request and transaction contexts
 * use, keep its context in V8's continuation data instead of a promise hook on every promise the
 * process creates. Calling each subgraph as `bench:gateway`'s direct mode does (8 clients), the
 * distributions subgraph's `_entities` call for 300 tranches went from about 9 ms to 4 ms of CPU
 * and the investors one from 1.6 ms to 1 ms. Passed only where this Node accepts it.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--experimental-async-context-frame'].filter((flag) =>
  process.allowedNodeEnvironmentFlags.has(flag),
);

/**
 * Starts `node <script>` with the current Node binary and SERVICE_NODE_FLAGS, appending its output
 * to `<logDir>/<name>.log`. `stop()` sends SIGTERM, then SIGKILL after 5 s.
 */
export function spawnService(options: SpawnOptions): ServiceProcess {
  mkdirSync(options.logDir, { recursive: true });
  const log = createWriteStream(join(options.logDir, `${options.name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, options.script], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onData = (chunk: Buffer) => {
    log.write(chunk);
    if (!options.echo) return;
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (!level || Number(level) >= 40) options.echo(`[${options.name}] ${line}`);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      log.end();
      resolve(code);
    });
  });
  return {
    name: options.name,
    child,
    exited,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Polls `url` until it answers 2xx, failing fast when `service` exits first.
 *
 * @throws Error after `timeoutMs`, or when the process died (naming its log file).
 */
export async function waitForHttp(
  url: string,
  service: ServiceProcess | null,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let died = false;
  void service?.exited.then(() => {
    died = true;
  });
  while (Date.now() < deadline) {
    if (died) throw new Error(`${service?.name} exited during start-up (see its log)`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${service?.name ?? url} did not become ready within ${timeoutMs} ms`);
}
