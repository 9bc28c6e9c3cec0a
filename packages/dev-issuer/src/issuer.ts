import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { ADMIN_CLIENT_ID, MACHINE_CLIENTS, USERS, type DemoTenant } from './directory.js';

export interface DevIssuerOptions {
  port: number;
  host?: string;
  /** Keeps the signing key and client secrets across restarts (git-ignored). */
  dataDir: string;
  /** Audience of access tokens (the API). */
  audience?: string;
  /** Password of every demo user. */
  demoPassword?: string;
  /** Access token lifetime, seconds. */
  tokenTtl?: number;
  corsOrigins?: string[];
}

export interface RunningIssuer {
  url: string;
  /** Generated client-credentials secrets, by client id. */
  clientSecrets: Record<string, string>;
  close(): Promise<void>;
}

interface KeyMaterial {
  privateJwk: JWK;
  publicJwk: JWK;
}

async function loadOrCreateKey(dir: string): Promise<KeyMaterial> {
  const file = join(dir, 'signing-key.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as KeyMaterial;
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const material: KeyMaterial = {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
  };
  writeFileSync(file, JSON.stringify(material), { mode: 0o600 });
  return material;
}

function loadOrCreateSecrets(dir: string): Record<string, string> {
  const file = join(dir, 'client-secrets.json');
  const secrets: Record<string, string> = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>)
    : {};
  let changed = false;
  for (const c of MACHINE_CLIENTS) {
    if (!secrets[c.clientId]) {
      secrets[c.clientId] = randomBytes(24).toString('base64url');
      changed = true;
    }
  }
  if (changed) writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16_384) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    return new URLSearchParams(JSON.parse(raw) as Record<string, string>);
  }
  return new URLSearchParams(raw);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

function oauthError(res: ServerResponse, status: number, error: string, description: string): void {
  json(res, status, { error, error_description: description });
}

/**
 * A minimal OpenID Connect issuer for development and tests, following the discovery and
 * JWKS contract: `/.well-known/openid-configuration`, `/jwks`, and `/token` with the
 * `password` grant (the back office's demo users) and `client_credentials` (machine clients).
 * Tokens are RS256 JWTs with `roles`, `tenant` and `tenant_name` claims. It refuses to start
 * with `NODE_ENV=production`: production uses a real identity provider (e.g. Entra ID).
 */
export async function startDevIssuer(options: DevIssuerOptions): Promise<RunningIssuer> {
  if (process.env.NODE_ENV === 'production')
    throw new Error('the development issuer must not run in production');
  const dir = join(options.dataDir, 'issuer');
  mkdirSync(dir, { recursive: true });
  const key = await loadOrCreateKey(dir);
  const signingKey = await importJWK(key.privateJwk, 'RS256');
  const secrets = loadOrCreateSecrets(dir);
  const audience = options.audience ?? 'tranche-api';
  const password = options.demoPassword ?? 'demo-password';
  const ttl = options.tokenTtl ?? 3600;
  const host = options.host ?? '127.0.0.1';
  let issuerUrl = '';

  const sign = (claims: Record<string, unknown>, sub: string, aud: string) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: key.publicJwk.kid, typ: 'JWT' })
      .setIssuer(issuerUrl)
      .setSubject(sub)
      .setAudience(aud)
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime(`${ttl}s`)
      .sign(signingKey);

  const tenantClaims = (t: DemoTenant) => ({ tenant: t.id, tenant_name: t.name });

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req);
    const grant = form.get('grant_type');
    if (grant === 'password') {
      if (form.get('client_id') !== ADMIN_CLIENT_ID)
        return oauthError(res, 401, 'invalid_client', 'unknown client');
      const email = (form.get('username') ?? '').trim().toLowerCase();
      const user = USERS.find((u) => u.email === email);
      if (!user || !safeEqual(form.get('password') ?? '', password)) {
        return oauthError(res, 400, 'invalid_grant', 'invalid username or password');
      }
      const claims = { email: user.email, name: user.name, roles: user.roles, ...tenantClaims(user.tenant) };
      return json(res, 200, {
        access_token: await sign(
          { ...claims, client_id: ADMIN_CLIENT_ID, scope: 'openid profile' },
          user.sub,
          audience,
        ),
        id_token: await sign(claims, user.sub, ADMIN_CLIENT_ID),
        token_type: 'Bearer',
        expires_in: ttl,
      });
    }
    if (grant === 'client_credentials') {
      let clientId = form.get('client_id') ?? '';
      let secret = form.get('client_secret') ?? '';
      const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
      if (basic?.[1]) {
        const [id, pw] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
        clientId = decodeURIComponent(id ?? '');
        secret = decodeURIComponent(pw ?? '');
      }
      const client = MACHINE_CLIENTS.find((c) => c.clientId === clientId);
      const expected = client ? secrets[client.clientId] : undefined;
      if (!client || !expected || !safeEqual(secret, expected)) {
        return oauthError(res, 401, 'invalid_client', 'invalid client credentials');
      }
      return json(res, 200, {
        access_token: await sign(
          { roles: client.roles, client_id: client.clientId, ...tenantClaims(client.tenant) },
          client.clientId,
          audience,
        ),
        token_type: 'Bearer',
        expires_in: ttl,
      });
    }
    return oauthError(res, 400, 'unsupported_grant_type', `grant_type ${grant ?? '(none)'} is not supported`);
  }

  const server: Server = createServer((req, res) => {
    const origin = req.headers.origin;
    if (origin && (options.corsOrigins ?? []).includes(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-headers', 'authorization, content-type');
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      res.setHeader('vary', 'origin');
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const handle = async () => {
      if (req.method === 'OPTIONS') {
        res.statusCode = 204;
        res.end();
      } else if (path === '/.well-known/openid-configuration') {
        json(res, 200, {
          issuer: issuerUrl,
          token_endpoint: `${issuerUrl}/token`,
          jwks_uri: `${issuerUrl}/jwks`,
          grant_types_supported: ['password', 'client_credentials'],
          response_types_supported: ['token'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
          claims_supported: ['sub', 'email', 'name', 'roles', 'tenant', 'tenant_name'],
        });
      } else if (path === '/jwks') {
        json(res, 200, { keys: [key.publicJwk] });
      } else if (path === '/token' && req.method === 'POST') {
        await token(req, res);
      } else if (path === '/health/live') {
        json(res, 200, { status: 'ok' });
      } else {
        json(res, 404, { error: 'not_found' });
      }
    };
    handle().catch(() => {
      if (!res.headersSent) oauthError(res, 400, 'invalid_request', 'malformed request');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  issuerUrl = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    url: issuerUrl,
    clientSecrets: { ...secrets },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Asks `issuerUrl` for a demo user's access token (password grant). */
export async function fetchUserToken(
  issuerUrl: string,
  email: string,
  password = 'demo-password',
): Promise<string> {
  const res = await fetch(`${issuerUrl}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: ADMIN_CLIENT_ID,
      username: email,
      password,
      scope: 'openid profile',
    }),
  });
  const body = (await res.json()) as { access_token?: string; error_description?: string };
  if (!res.ok || !body.access_token)
    throw new Error(`token request for ${email} failed: ${body.error_description ?? res.status}`);
  return body.access_token;
}

/** Asks `issuerUrl` for a machine client's access token (client-credentials grant). */
export async function fetchClientToken(issuerUrl: string, clientId: string, secret: string): Promise<string> {
  const res = await fetch(`${issuerUrl}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  const body = (await res.json()) as { access_token?: string; error_description?: string };
  if (!res.ok || !body.access_token)
    throw new Error(`client token for ${clientId} failed: ${body.error_description ?? res.status}`);
  return body.access_token;
}
