// Serves the built back office (admin/dist) with a single-page-app fallback and answers
// /config.json from the environment, so one build runs against any gateway and issuer. Any path
// that is not a file, /auth/callback (the sign-in redirect URI) included, serves the app.
// Plain node:http, no dependencies: the lead's start command and the tests run it in-process
// through startAdminServer(); `node admin/serve.mjs` runs it standalone.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const DEFAULT_DIST = fileURLToPath(new URL('./dist/', import.meta.url));

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const originOf = (url) => new URL(url).origin;

/**
 * Security headers for every response. The CSP lets the page talk only to itself, the gateway, the
 * issuer and the chain's JSON-RPC endpoint (the auditor's checks read the chain); MUI (emotion)
 * injects style tags, hence 'unsafe-inline' for styles only. snarkjs verifies proofs in
 * WebAssembly on workers it starts from blob: URLs, hence 'wasm-unsafe-eval' and worker-src blob:.
 * The public verification page (`/verify`, no account, no session) may read any JSON-RPC endpoint
 * the auditor names: there connect-src also allows any http(s) origin.
 */
const securityHeaders = (gatewayUrl, issuerUrl, chainRpcUrl, anyRpc = false) => ({
  'Content-Security-Policy': [
    "default-src 'self'",
    anyRpc
      ? "connect-src 'self' http: https:"
      : `connect-src 'self' ${[gatewayUrl, issuerUrl, chainRpcUrl].filter(Boolean).map(originOf).join(' ')}`,
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
});

const requireHttpUrl = (value, name) => {
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`admin server: ${name} is not a URL: ${String(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`admin server: ${name} must be http(s): ${value}`);
  }
  return value;
};

/**
 * The sign-in settings of /config.json from the environment; unset variables are left out, and
 * the app fills in their defaults (src/config.ts, which also shows the Microsoft Entra ID values):
 *   ADMIN_OIDC_CLIENT_ID                 the back office's public client id (default tranche-admin)
 *   ADMIN_OIDC_SCOPE                     scopes (default "openid profile offline_access")
 *   ADMIN_OIDC_REDIRECT_URI              where the code comes back (default <origin>/auth/callback)
 *   ADMIN_OIDC_POST_LOGOUT_REDIRECT_URI  where sign-out returns (default <origin>/)
 *   ADMIN_OIDC_ISSUER_NAME               "Sign in with <name>" (default the issuer's host)
 *   OIDC_ROLES_CLAIM, OIDC_TENANT_CLAIM  the access-token claims with roles and tenant, as for the API
 *
 * @param {Record<string, string | undefined>} env
 */
export const signInConfigFromEnv = (env) => {
  const fields = {
    clientId: env.ADMIN_OIDC_CLIENT_ID,
    scope: env.ADMIN_OIDC_SCOPE,
    redirectUri: env.ADMIN_OIDC_REDIRECT_URI,
    postLogoutRedirectUri: env.ADMIN_OIDC_POST_LOGOUT_REDIRECT_URI,
    issuerName: env.ADMIN_OIDC_ISSUER_NAME,
    rolesClaim: env.OIDC_ROLES_CLAIM,
    tenantClaim: env.OIDC_TENANT_CLAIM,
  };
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined && value !== ''),
  );
};

/** Resolves a URL path inside distDir, or null when it would escape it (../, encoded or not). */
const fileInDist = (distDir, pathname) => {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const candidate = normalize(join(distDir, decoded));
  return candidate === distDir || candidate.startsWith(distDir.endsWith(sep) ? distDir : distDir + sep)
    ? candidate
    : null;
};

const isFile = async (path) => {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
};

/**
 * Starts the admin server. `port` 0 picks a free port. Resolves with the base URL
 * (`http://host:port`) and `close()`; rejects if the port cannot be bound or a URL is malformed.
 * A missing dist/index.html is not fatal: pages answer 503 naming the build command.
 *
 * `chainRpcUrl` is the JSON-RPC endpoint the verification page reads the chain from by default
 * (the auditor can name another).
 *
 * @param {{ port?: number, host?: string, gatewayUrl: string, issuerUrl: string, chainRpcUrl?: string, signIn?: Record<string, string>, distDir?: string }} options
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export const startAdminServer = async ({
  port = 4006,
  host = '127.0.0.1',
  gatewayUrl,
  issuerUrl,
  chainRpcUrl,
  signIn = {},
  distDir = DEFAULT_DIST,
}) => {
  const config = JSON.stringify({
    gatewayUrl: requireHttpUrl(gatewayUrl, 'gatewayUrl'),
    issuerUrl: requireHttpUrl(issuerUrl, 'issuerUrl'),
    ...(chainRpcUrl ? { chainRpcUrl: requireHttpUrl(chainRpcUrl, 'chainRpcUrl') } : {}),
    ...signIn,
  });
  const root = resolve(distDir);
  const appHeaders = securityHeaders(gatewayUrl, issuerUrl, chainRpcUrl);
  const verifyHeaders = securityHeaders(gatewayUrl, issuerUrl, chainRpcUrl, true);
  /** The page's headers: the public verification page's CSP for `/verify`, the app's otherwise. */
  const headersOf = (res) =>
    new URL(res.req?.url ?? '/', 'http://admin.invalid').pathname === '/verify' ? verifyHeaders : appHeaders;
  const indexHtml = join(root, 'index.html');

  const send = (res, status, type, body, extra = {}) => {
    res.writeHead(status, { ...headersOf(res), 'Content-Type': type, ...extra });
    res.end(body);
  };

  const sendFile = async (req, res, path, cacheControl) => {
    const info = await stat(path);
    res.writeHead(200, {
      ...headersOf(res),
      'Content-Type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Cache-Control': cacheControl,
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(path)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  const handle = async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'Method Not Allowed', { Allow: 'GET, HEAD' });
      return;
    }
    const { pathname } = new URL(req.url ?? '/', 'http://admin.invalid');
    if (pathname === '/config.json') {
      send(res, 200, 'application/json; charset=utf-8', req.method === 'HEAD' ? undefined : config, {
        'Cache-Control': 'no-store',
      });
      return;
    }
    if (pathname === '/healthz') {
      send(res, 200, 'text/plain; charset=utf-8', 'ok', { 'Cache-Control': 'no-store' });
      return;
    }
    const path = fileInDist(root, pathname);
    if (path === null) {
      send(res, 400, 'text/plain; charset=utf-8', 'Bad Request');
      return;
    }
    if (path !== root && (await isFile(path))) {
      // Vite fingerprints everything under assets/, so those can be cached for good.
      const immutable = pathname.startsWith('/assets/');
      await sendFile(req, res, path, immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      return;
    }
    // A missing asset is a 404; any other path is a client-side route: serve the app.
    if (pathname.startsWith('/assets/') || extname(pathname) !== '') {
      send(res, 404, 'text/plain; charset=utf-8', 'Not Found');
      return;
    }
    if (!(await isFile(indexHtml))) {
      send(
        res,
        503,
        'text/plain; charset=utf-8',
        'The admin is not built: run `pnpm --filter @tranche/admin build`.',
      );
      return;
    }
    await sendFile(req, res, indexHtml, 'no-cache');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Internal Server Error');
      else res.destroy();
    });
  });

  await new Promise((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(port, host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${boundPort}`,
    close: () =>
      new Promise((resolveClose, rejectClose) => {
        server.close((error) => (error ? rejectClose(error) : resolveClose()));
        server.closeAllConnections();
      }),
  };
};

const isMain =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;

if (isMain) {
  const env = process.env;
  const { url, close } = await startAdminServer({
    port: Number(env.ADMIN_PORT ?? 4006),
    host: env.ADMIN_HOST ?? '127.0.0.1',
    gatewayUrl: env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql',
    issuerUrl: env.OIDC_ISSUER ?? 'http://127.0.0.1:4005',
    chainRpcUrl: env.ADMIN_CHAIN_RPC_URL ?? env.CHAIN_RPC_URL,
    signIn: signInConfigFromEnv(env),
  });
  console.log(`admin listening on ${url}`);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      close().finally(() => process.exit(0));
    });
  }
}
