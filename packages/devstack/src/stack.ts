import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, envPrefix, SUBGRAPHS, TOPOLOGY, type SubgraphName } from '@tranche/platform';
import { ensureDatabase, type DatabaseHandle } from './database.js';
import { freePort, spawnService, waitForHttp, type ServiceProcess } from './processes.js';

/** The port of every service of the stack, from the platform's topology. */
export type StackPorts = Record<SubgraphName | 'gateway' | 'issuer' | 'admin' | 'kycSandbox', number>;

/** The topology's ports (4000-4006): what `npm start` listens on. */
export const DEFAULT_PORTS: Readonly<StackPorts> = {
  gateway: TOPOLOGY.gateway.port,
  ...(Object.fromEntries(SUBGRAPHS.map((name) => [name, TOPOLOGY.subgraphs[name].port])) as Record<
    SubgraphName,
    number
  >),
  issuer: TOPOLOGY.issuer.port,
  admin: TOPOLOGY.admin.port,
  kycSandbox: TOPOLOGY.kycSandbox.port,
};

export interface StackOptions {
  /** Repository root (where `subgraphs/`, `gateway/`, `admin/` are). */
  root: string;
  /** Embedded PostgreSQL cluster, issuer keys and logs live here. */
  dataDir: string;
  /** Use this PostgreSQL database instead of the embedded server. */
  databaseUrl?: string;
  embeddedPgPort?: number;
  /** Database created on the embedded server (default `tranche`). */
  databaseName?: string;
  /** Fixed ports (defaults 4000-4006) or `random` free ports (tests). */
  ports?: Partial<StackPorts> | 'random';
  /** Serve the built back office (`admin/dist`). */
  admin?: boolean;
  nodeEnv?: 'development' | 'test' | 'production';
  logLevel?: string;
  /** Receives warnings and errors from the services. */
  echo?: (line: string) => void;
  /** Extra environment for every service. */
  env?: NodeJS.ProcessEnv;
}

export interface RunningStack {
  gatewayUrl: string;
  issuerUrl: string;
  /** The local KYC provider (its hosted pages; the API under `/api/v1`). */
  kycSandboxUrl: string;
  /** The sandbox's API key and webhook secret of this run (tests sign and forge webhooks with it). */
  kyc: { apiKey: string; webhookSecret: string };
  adminUrl: string | null;
  subgraphUrls: Record<SubgraphName, string>;
  databaseUrl: string;
  ports: StackPorts;
  logDir: string;
  /**
   * Stops subgraph `name` (SIGKILL with `kill`, as a crash; else SIGTERM) and starts it again with
   * `env` added to its environment (e.g. a failpoint, or none); resolves once it is ready.
   */
  restartSubgraph(name: SubgraphName, options?: { env?: NodeJS.ProcessEnv; kill?: boolean }): Promise<void>;
  /** Resolves with the exit code once subgraph `name`'s current process exits (e.g. at a failpoint). */
  subgraphExited(name: SubgraphName): Promise<number | null>;
  stop(): Promise<void>;
}

async function resolvePorts(ports: StackOptions['ports']): Promise<StackPorts> {
  if (ports === 'random') {
    const out = {} as StackPorts;
    // each probe's port is released before the next: the OS may hand the same one out twice, and two
    // services on one port make the second exit at start-up
    const taken = new Set<number>();
    for (const key of Object.keys(DEFAULT_PORTS) as (keyof StackPorts)[]) {
      let port = await freePort();
      while (taken.has(port)) port = await freePort();
      taken.add(port);
      out[key] = port;
    }
    return out;
  }
  return { ...DEFAULT_PORTS, ...ports };
}

/**
 * Starts the whole platform as child processes: the database (embedded unless
 * `databaseUrl`), the development OIDC issuer, the four subgraphs (each applies its committed
 * migrations), the gateway and, optionally, the back office. Resolves once every service
 * answers its readiness check; `stop()` stops them all and the embedded database.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const logger = createLogger('devstack', options.logLevel ?? 'info');
  const ports = await resolvePorts(options.ports);
  const logDir = join(options.dataDir, 'logs');
  const services: ServiceProcess[] = [];
  let database: DatabaseHandle | undefined;

  const stop = async () => {
    await Promise.all([...services].reverse().map((s) => s.stop()));
    await database?.stop();
  };

  try {
    database = await ensureDatabase({
      databaseUrl: options.databaseUrl,
      dataDir: options.dataDir,
      port: options.embeddedPgPort ?? 5488,
      databaseName: options.databaseName,
      logger,
    });
    const issuerUrl = `http://127.0.0.1:${ports.issuer}`;
    const adminOrigin = `http://127.0.0.1:${ports.admin}`;
    const kycSandboxUrl = `http://127.0.0.1:${ports.kycSandbox}`;
    const subgraphUrls = Object.fromEntries(
      SUBGRAPHS.map((name) => [name, `http://127.0.0.1:${ports[name]}/graphql`]),
    ) as Record<SubgraphName, string>;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...options.env,
      NODE_ENV: options.nodeEnv ?? 'development',
      LOG_LEVEL: options.logLevel ?? process.env.LOG_LEVEL ?? 'info',
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir,
      DATABASE_URL: database.url,
      OIDC_ISSUER: issuerUrl,
      ISSUER_PORT: String(ports.issuer),
      CORS_ORIGINS: `${adminOrigin},http://localhost:${ports.admin}`,
      GATEWAY_PORT: String(ports.gateway),
      ADMIN_PORT: String(ports.admin),
      GATEWAY_URL: `http://127.0.0.1:${ports.gateway}/graphql`,
      ...Object.fromEntries(SUBGRAPHS.map((n) => [`${envPrefix(n)}_PORT`, String(ports[n])])),
      ...Object.fromEntries(SUBGRAPHS.map((n) => [`${envPrefix(n)}_URL`, subgraphUrls[n]])),
      // the local KYC provider: its key and webhook secret are made for this run unless given
      KYC_SANDBOX_PORT: String(ports.kycSandbox),
      KYC_PROVIDER_URL: `${kycSandboxUrl}/api/v1`,
      KYC_API_KEY: options.env?.KYC_API_KEY ?? `sk_sandbox_${randomBytes(16).toString('hex')}`,
      KYC_WEBHOOK_SECRET: options.env?.KYC_WEBHOOK_SECRET ?? `wbhsec_${randomBytes(24).toString('hex')}`,
      KYC_WEBHOOK_URL: `http://127.0.0.1:${ports.gateway}/webhooks/kyc`,
    };
    const spawnOne = (name: string, script: string) => {
      const service = spawnService({
        name,
        script: join(options.root, script),
        env,
        cwd: options.root,
        logDir,
        echo: options.echo,
      });
      services.push(service);
      return service;
    };

    const issuer = spawnOne('issuer', 'packages/dev-issuer/dist/main.js');
    await waitForHttp(`${issuerUrl}/.well-known/openid-configuration`, issuer);
    const kyc = spawnOne('kyc-sandbox', 'packages/devstack/dist/kyc-sandbox-main.js');
    await waitForHttp(`${kycSandboxUrl}/health`, kyc);
    // Subgraphs migrate their own schemas on start; they start concurrently.
    const subgraphs = SUBGRAPHS.map(
      (name) => [name, spawnOne(name, `subgraphs/${name}/dist/main.js`)] as const,
    );
    await Promise.all(
      subgraphs.map(([name, svc]) =>
        waitForHttp(subgraphUrls[name].replace(/graphql$/, 'health/ready'), svc, 120_000),
      ),
    );
    const gateway = spawnOne('gateway', 'gateway/dist/main.js');
    await waitForHttp(`http://127.0.0.1:${ports.gateway}/health/ready`, gateway);
    let adminUrl: string | null = null;
    if (options.admin) {
      if (!existsSync(join(options.root, 'admin/dist/index.html'))) {
        throw new Error(
          'admin/dist is missing: build the back office first (pnpm --filter @tranche/admin build)',
        );
      }
      const admin = spawnOne('admin', 'admin/serve.mjs');
      adminUrl = `${adminOrigin}/`;
      await waitForHttp(`${adminOrigin}/config.json`, admin);
    }
    const current = new Map<SubgraphName, ServiceProcess>(subgraphs);
    const restartSubgraph: RunningStack['restartSubgraph'] = async (name, restart = {}) => {
      const old = current.get(name);
      if (old) {
        if (restart.kill && old.child.exitCode === null && old.child.signalCode === null) {
          old.child.kill('SIGKILL');
          await old.exited;
        } else await old.stop();
        services.splice(services.indexOf(old), 1);
      }
      const svc = spawnService({
        name,
        script: join(options.root, `subgraphs/${name}/dist/main.js`),
        env: { ...env, ...restart.env },
        cwd: options.root,
        logDir,
        echo: options.echo,
      });
      services.push(svc);
      current.set(name, svc);
      await waitForHttp(subgraphUrls[name].replace(/graphql$/, 'health/ready'), svc, 120_000);
    };
    return {
      restartSubgraph,
      subgraphExited: (name) => current.get(name)?.exited ?? Promise.resolve(null),
      gatewayUrl: env.GATEWAY_URL ?? '',
      issuerUrl,
      kycSandboxUrl,
      kyc: { apiKey: env.KYC_API_KEY!, webhookSecret: env.KYC_WEBHOOK_SECRET! },
      adminUrl,
      subgraphUrls,
      databaseUrl: database.url,
      ports,
      logDir,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
