import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { compactVerify, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { ADMIN_CLIENT_ID, MACHINE_CLIENTS, USERS, type DemoTenant, type DemoUser } from './directory.js';
import { renderLoginPage, renderMessagePage } from './login-page.js';
import {
  GrantError,
  SignInSessions,
  type AuthorizationRequest,
  type SessionGrant,
} from './sign-in-sessions.js';

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
  /**
   * Where the back office (client `tranche-admin`) may be sent back with an authorization code:
   * exact URIs, e.g. `http://127.0.0.1:4006/auth/callback`. Anything else is refused.
   */
  redirectUris?: string[];
  /** Where `/logout` may send the browser afterwards: exact URIs, e.g. `http://127.0.0.1:4006/`. */
  postLogoutRedirectUris?: string[];
  /** Authorization code lifetime, seconds (default 60). */
  codeTtl?: number;
  /** How long a sign-in's refresh tokens work after the password was typed, seconds (default 12 h). */
  sessionTtl?: number;
  /** Clock for codes and sessions, milliseconds since the epoch (tests move it). */
  now?: () => number;
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

function html(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader(
    'content-security-policy',
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  );
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(body);
}

function redirect(res: ServerResponse, status: 302 | 303, location: string): void {
  res.statusCode = status;
  res.setHeader('location', location);
  res.setHeader('cache-control', 'no-store');
  res.end();
}

/** `uri` with `params` added to its query (undefined values left out). */
function withQuery(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(name, value);
  return url.href;
}

/** Scopes the issuer grants; others (e.g. Entra-style `api://…/access_as_user`) are dropped. */
const SCOPES = ['openid', 'profile', 'email', 'offline_access'];

/** Parameters of an authorization request that travel through the sign-in form. */
const AUTHORIZE_PARAMS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
] as const;

type AuthorizeCheck =
  | { kind: 'ok'; request: AuthorizationRequest; state: string | undefined; fields: Record<string, string> }
  | { kind: 'page'; title: string; message: string }
  | { kind: 'redirect'; location: string };

/**
 * A minimal OpenID Connect issuer for development and tests, following the discovery and
 * JWKS contract: `/.well-known/openid-configuration`, `/jwks`, `/authorize` (a sign-in form;
 * authorization code with PKCE S256 for the back office, client `tranche-admin`, to the
 * registered `redirectUris` only), `/token` (`authorization_code`, rotating single-use
 * `refresh_token`, `password` for test tooling and scripts, `client_credentials` for machine
 * clients) and `/logout` (ends the session and its refresh tokens). Tokens are RS256 JWTs with
 * `roles`, `tenant` and `tenant_name` claims. It refuses to start with `NODE_ENV=production`:
 * production uses a real identity provider (e.g. Entra ID).
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

  const redirectUris = options.redirectUris ?? [];
  const postLogoutRedirectUris = options.postLogoutRedirectUris ?? [];
  const sessions = new SignInSessions({
    codeTtlMs: (options.codeTtl ?? 60) * 1000,
    sessionTtlMs: (options.sessionTtl ?? 12 * 3600) * 1000,
    now: options.now ?? Date.now,
  });
  const verifyKey = await importJWK(key.publicJwk, 'RS256');

  const userClaims = (u: DemoUser) => ({
    email: u.email,
    name: u.name,
    roles: u.roles,
    ...tenantClaims(u.tenant),
  });

  /**
   * Checks an authorization request (RFC 6749 4.1.1 with PKCE, RFC 7636). An unknown client or an
   * unregistered redirect URI gets an error page, never a redirect (the URI cannot be trusted);
   * other faults go back to the client's redirect URI as `error` with the `state`.
   */
  function checkAuthorizationRequest(params: URLSearchParams): AuthorizeCheck {
    const repeated = AUTHORIZE_PARAMS.find((name) => params.getAll(name).length > 1);
    if (repeated) return { kind: 'page', title: 'Sign-in refused', message: `${repeated} is given twice.` };
    const clientId = params.get('client_id') ?? '';
    if (clientId !== ADMIN_CLIENT_ID)
      return { kind: 'page', title: 'Sign-in refused', message: `Unknown client_id "${clientId}".` };
    const redirectUri = params.get('redirect_uri') ?? '';
    if (!redirectUris.includes(redirectUri))
      return {
        kind: 'page',
        title: 'Sign-in refused',
        message: `redirect_uri "${redirectUri}" is not registered for ${clientId}.`,
      };
    const state = params.get('state') ?? undefined;
    const refuse = (error: string, description: string): AuthorizeCheck => ({
      kind: 'redirect',
      location: withQuery(redirectUri, { error, error_description: description, state }),
    });
    if (params.get('response_type') !== 'code')
      return refuse('unsupported_response_type', 'only response_type=code is supported');
    const codeChallenge = params.get('code_challenge') ?? '';
    if (params.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(codeChallenge))
      return refuse('invalid_request', 'PKCE is required: a code_challenge with code_challenge_method=S256');
    const requested = (params.get('scope') ?? '').split(' ').filter(Boolean);
    if (!requested.includes('openid')) return refuse('invalid_scope', 'scope must include openid');
    if ((params.get('prompt') ?? '').split(' ').includes('none'))
      return refuse('login_required', 'this issuer keeps no browser session: sign in interactively');
    const fields: Record<string, string> = {};
    for (const name of AUTHORIZE_PARAMS) {
      const value = params.get(name);
      if (value !== null) fields[name] = value;
    }
    return {
      kind: 'ok',
      state,
      fields,
      request: {
        clientId,
        redirectUri,
        scope: SCOPES.filter((scope) => requested.includes(scope)).join(' '),
        nonce: params.get('nonce') ?? undefined,
        codeChallenge,
      },
    };
  }

  const loginPage = (res: ServerResponse, fields: Record<string, string>, error?: string, email?: string) =>
    html(res, 200, renderLoginPage({ action: '/authorize', request: fields, error, email }), {
      // The form's answer redirects to the client, which CSP's form-action also governs.
      'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self' ${new URL(fields.redirect_uri ?? issuerUrl).origin}`,
    });

  /** GET /authorize: the sign-in form for a valid request. */
  function authorizeForm(res: ServerResponse, params: URLSearchParams): void {
    const checked = checkAuthorizationRequest(params);
    if (checked.kind === 'page') return html(res, 400, renderMessagePage(checked.title, checked.message));
    if (checked.kind === 'redirect') return redirect(res, 302, checked.location);
    loginPage(res, checked.fields);
  }

  /** POST /authorize: checks the credentials and sends the browser back with a code and the state. */
  async function authorizeSubmit(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req);
    const checked = checkAuthorizationRequest(form);
    if (checked.kind === 'page') return html(res, 400, renderMessagePage(checked.title, checked.message));
    if (checked.kind === 'redirect') return redirect(res, 303, checked.location);
    const email = (form.get('email') ?? '').trim().toLowerCase();
    const user = USERS.find((u) => u.email === email);
    if (!user || !safeEqual(form.get('password') ?? '', password))
      return loginPage(res, checked.fields, 'Wrong email or password.', email);
    const code = sessions.issueCode(user, checked.request);
    redirect(res, 303, withQuery(checked.request.redirectUri, { code, state: checked.state }));
  }

  /** The token response of a redeemed code or a rotated refresh token. */
  async function sessionTokens(res: ServerResponse, grant: SessionGrant): Promise<void> {
    const claims = userClaims(grant.user);
    json(res, 200, {
      access_token: await sign(
        { ...claims, client_id: grant.clientId, scope: grant.scope, sid: grant.sid },
        grant.user.sub,
        audience,
      ),
      id_token: await sign(
        {
          ...claims,
          sid: grant.sid,
          auth_time: grant.authTime,
          ...(grant.nonce ? { nonce: grant.nonce } : {}),
        },
        grant.user.sub,
        grant.clientId,
      ),
      ...(grant.refreshToken ? { refresh_token: grant.refreshToken } : {}),
      token_type: 'Bearer',
      expires_in: ttl,
      scope: grant.scope,
    });
  }

  /**
   * GET /logout (RP-initiated logout): ends the session named by `id_token_hint`'s `sid`, so its
   * refresh tokens stop working, then redirects to `post_logout_redirect_uri` when it is
   * registered, else shows a "signed out" page. An unregistered URI or a hint this issuer did not
   * sign gets an error page.
   */
  async function endSession(res: ServerResponse, params: URLSearchParams): Promise<void> {
    const target = params.get('post_logout_redirect_uri');
    if (target !== null && !postLogoutRedirectUris.includes(target))
      return html(
        res,
        400,
        renderMessagePage('Sign-out refused', `post_logout_redirect_uri "${target}" is not registered.`),
      );
    const hint = params.get('id_token_hint');
    if (hint !== null) {
      // Expired hints are fine (the user may sign out long after signing in): check the signature only.
      let sid: unknown;
      try {
        const { payload } = await compactVerify(hint, verifyKey);
        const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
        if (claims.iss !== issuerUrl) throw new Error('foreign issuer');
        sid = claims.sid;
      } catch {
        return html(res, 400, renderMessagePage('Sign-out refused', 'id_token_hint was not issued here.'));
      }
      if (typeof sid === 'string') sessions.endSession(sid);
    }
    if (target !== null)
      return redirect(res, 302, withQuery(target, { state: params.get('state') ?? undefined }));
    html(res, 200, renderMessagePage('Signed out', 'You are signed out of the Tranche development issuer.'));
  }

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
      const claims = userClaims(user);
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
    if (grant === 'authorization_code' || grant === 'refresh_token') {
      const clientId = form.get('client_id') ?? '';
      if (clientId !== ADMIN_CLIENT_ID) return oauthError(res, 401, 'invalid_client', 'unknown client');
      try {
        if (grant === 'refresh_token') {
          const refreshToken = form.get('refresh_token');
          if (!refreshToken) return oauthError(res, 400, 'invalid_request', 'refresh_token is required');
          return await sessionTokens(res, sessions.rotateRefreshToken(refreshToken, clientId));
        }
        const code = form.get('code');
        const redirectUri = form.get('redirect_uri');
        const codeVerifier = form.get('code_verifier');
        if (!code || !redirectUri || !codeVerifier)
          return oauthError(res, 400, 'invalid_request', 'code, redirect_uri and code_verifier are required');
        return await sessionTokens(res, sessions.redeemCode(code, { clientId, redirectUri, codeVerifier }));
      } catch (err) {
        if (err instanceof GrantError) return oauthError(res, 400, err.error, err.message);
        throw err;
      }
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
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const handle = async () => {
      if (req.method === 'OPTIONS') {
        res.statusCode = 204;
        res.end();
      } else if (path === '/.well-known/openid-configuration') {
        json(res, 200, {
          issuer: issuerUrl,
          authorization_endpoint: `${issuerUrl}/authorize`,
          token_endpoint: `${issuerUrl}/token`,
          end_session_endpoint: `${issuerUrl}/logout`,
          jwks_uri: `${issuerUrl}/jwks`,
          // The password grant stays for test tooling and scripts; the back office uses the code flow.
          grant_types_supported: ['authorization_code', 'refresh_token', 'password', 'client_credentials'],
          response_types_supported: ['code'],
          response_modes_supported: ['query'],
          code_challenge_methods_supported: ['S256'],
          scopes_supported: SCOPES,
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
          claims_supported: [
            'sub',
            'email',
            'name',
            'roles',
            'tenant',
            'tenant_name',
            'sid',
            'auth_time',
            'nonce',
          ],
        });
      } else if (path === '/jwks') {
        json(res, 200, { keys: [key.publicJwk] });
      } else if (path === '/token' && req.method === 'POST') {
        await token(req, res);
      } else if (path === '/authorize' && req.method === 'GET') {
        authorizeForm(res, url.searchParams);
      } else if (path === '/authorize' && req.method === 'POST') {
        await authorizeSubmit(req, res);
      } else if (path === '/logout' && req.method === 'GET') {
        await endSession(res, url.searchParams);
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
