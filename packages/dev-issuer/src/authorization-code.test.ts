import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevIssuer, type RunningIssuer } from './issuer.js';

const ADMIN = 'http://127.0.0.1:4006';
const CALLBACK = `${ADMIN}/auth/callback`;
const SESSION_TTL = 3600;

let issuer: RunningIssuer;
let clock = Date.now();
const dataDir = mkdtempSync(join(tmpdir(), 'tranche-issuer-code-'));

beforeAll(async () => {
  issuer = await startDevIssuer({
    port: 0,
    dataDir,
    corsOrigins: [ADMIN],
    redirectUris: [CALLBACK],
    postLogoutRedirectUris: [`${ADMIN}/`],
    codeTtl: 60,
    sessionTtl: SESSION_TTL,
    now: () => clock,
  });
});

afterAll(async () => {
  await issuer.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

const authorizeParams = (challenge: string, overrides: Record<string, string | null> = {}) => {
  const params: Record<string, string | null> = {
    response_type: 'code',
    client_id: 'tranche-admin',
    redirect_uri: CALLBACK,
    scope: 'openid profile offline_access',
    state: 'state-123',
    nonce: 'nonce-456',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  return new URLSearchParams(
    Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== null),
  );
};

const getAuthorize = (params: URLSearchParams) =>
  fetch(`${issuer.url}/authorize?${params}`, { redirect: 'manual' });

/** Posts the sign-in form as a browser would; returns the issuer's answer (a redirect on success). */
const submitSignIn = (params: URLSearchParams, email = 'arranger@acme.test', password = 'demo-password') => {
  const form = new URLSearchParams(params);
  form.set('email', email);
  form.set('password', password);
  return fetch(`${issuer.url}/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
    redirect: 'manual',
  });
};

const token = (body: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${issuer.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(body),
  });

/** Signs in through the form and returns the code, with the verifier that redeems it. */
const obtainCode = async (overrides: Record<string, string | null> = {}) => {
  const { verifier, challenge } = pkce();
  const res = await submitSignIn(authorizeParams(challenge, overrides));
  expect(res.status).toBe(303);
  const location = new URL(res.headers.get('location') ?? '');
  const code = location.searchParams.get('code') ?? '';
  expect(code).not.toBe('');
  return { code, verifier, location };
};

const redeem = (code: string, verifier: string, overrides: Record<string, string> = {}) =>
  token({
    grant_type: 'authorization_code',
    client_id: 'tranche-admin',
    code,
    redirect_uri: CALLBACK,
    code_verifier: verifier,
    ...overrides,
  });

interface Tokens {
  access_token: string;
  id_token: string;
  refresh_token?: string;
  expires_in: number;
  scope: string;
}

const signIn = async () => {
  const { code, verifier } = await obtainCode();
  const res = await redeem(code, verifier);
  expect(res.status).toBe(200);
  return (await res.json()) as Tokens;
};

const refresh = (refreshToken: string, clientId = 'tranche-admin') =>
  token({ grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken });

describe('development issuer: authorization code with PKCE', () => {
  it('advertises the code flow, S256 only, refresh tokens and sign-out in its discovery document', async () => {
    const discovery = (await (
      await fetch(`${issuer.url}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      authorization_endpoint: `${issuer.url}/authorize`,
      end_session_endpoint: `${issuer.url}/logout`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
    });
    expect(discovery.grant_types_supported).toEqual(
      expect.arrayContaining(['authorization_code', 'refresh_token', 'password', 'client_credentials']),
    );
  });

  it('shows a sign-in form that carries the request and gives away no password or user list', async () => {
    const { challenge } = pkce();
    const res = await getAuthorize(authorizeParams(challenge, { state: '<script>x</script>' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain(`form-action 'self' ${ADMIN}`);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const page = await res.text();
    expect(page).toContain('<form method="post" action="/authorize">');
    expect(page).toMatch(/<input id="email" name="email" type="email"/);
    expect(page).toMatch(/<input id="password" name="password" type="password"/);
    expect(page).toContain(`name="code_challenge" value="${challenge}"`);
    expect(page).toContain('value="&lt;script&gt;x&lt;/script&gt;"');
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('demo-password');
    expect(page).not.toContain('@acme.test');
  });

  it('signs in: the code comes back with the state, and redeems for verifiable tokens with the nonce', async () => {
    const { code, verifier, location } = await obtainCode();
    expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
    expect(location.searchParams.get('state')).toBe('state-123');
    const res = await redeem(code, verifier, {});
    expect(res.status).toBe(200);
    const body = (await res.json()) as Tokens;
    expect(body.scope).toBe('openid profile offline_access');
    expect(body.refresh_token).toMatch(/^[\w-]{40,}$/);
    const jwks = createRemoteJWKSet(new URL(`${issuer.url}/jwks`));
    const access = await jwtVerify(body.access_token, jwks, { issuer: issuer.url, audience: 'tranche-api' });
    expect(access.payload).toMatchObject({
      sub: 'acme-arranger',
      roles: ['ARRANGER'],
      tenant: 'acme',
      tenant_name: 'Acme Capital',
      client_id: 'tranche-admin',
    });
    const id = await jwtVerify(body.id_token, jwks, { issuer: issuer.url, audience: 'tranche-admin' });
    expect(id.payload).toMatchObject({
      sub: 'acme-arranger',
      nonce: 'nonce-456',
      email: 'arranger@acme.test',
    });
    expect(id.payload.sid).toBe(access.payload.sid);
  });

  it('answers the token endpoint cross-origin for the back office', async () => {
    const { code, verifier } = await obtainCode();
    const res = await redeem(code, verifier, {});
    expect(res.status).toBe(200);
    const cors = await token(
      { grant_type: 'refresh_token', client_id: 'tranche-admin', refresh_token: 'x' },
      { origin: ADMIN },
    );
    expect(cors.headers.get('access-control-allow-origin')).toBe(ADMIN);
  });

  it('refuses a wrong code verifier, and the code is then spent', async () => {
    const { code, verifier } = await obtainCode();
    const wrong = await redeem(code, pkce().verifier);
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: 'code_verifier does not match the code_challenge',
    });
    expect((await redeem(code, verifier)).status).toBe(400);
  });

  it('refuses a code used twice and revokes what the first use issued', async () => {
    const { code, verifier } = await obtainCode();
    const first = (await (await redeem(code, verifier)).json()) as Tokens;
    const again = await redeem(code, verifier);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: 'authorization code already used',
    });
    expect((await refresh(first.refresh_token ?? '')).status).toBe(400);
  });

  it('refuses a code redeemed after it expired (60 s)', async () => {
    const { code, verifier } = await obtainCode();
    clock += 61_000;
    try {
      const res = await redeem(code, verifier);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: 'invalid_grant',
        error_description: 'authorization code expired',
      });
    } finally {
      clock -= 61_000;
    }
  });

  it('refuses a code presented with another redirect_uri or by another client', async () => {
    const first = await obtainCode();
    const otherUri = await redeem(first.code, first.verifier, { redirect_uri: `${ADMIN}/elsewhere` });
    expect(otherUri.status).toBe(400);
    expect(await otherUri.json()).toMatchObject({ error: 'invalid_grant' });
    const second = await obtainCode();
    const otherClient = await redeem(second.code, second.verifier, { client_id: 'acme-integration' });
    expect(otherClient.status).toBe(401);
    expect(await otherClient.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('never redirects for an unknown client or an unregistered redirect_uri', async () => {
    const { challenge } = pkce();
    const unknownClient = await getAuthorize(authorizeParams(challenge, { client_id: 'evil-app' }));
    expect(unknownClient.status).toBe(400);
    expect(unknownClient.headers.get('location')).toBeNull();
    expect(await unknownClient.text()).toContain('Unknown client_id');
    const foreignUri = await getAuthorize(
      authorizeParams(challenge, { redirect_uri: 'https://evil.test/cb' }),
    );
    expect(foreignUri.status).toBe(400);
    expect(foreignUri.headers.get('location')).toBeNull();
    const posted = await submitSignIn(authorizeParams(challenge, { redirect_uri: 'https://evil.test/cb' }));
    expect(posted.status).toBe(400);
    expect(posted.headers.get('location')).toBeNull();
  });

  it('requires response_type=code and a S256 code challenge, answering errors to the client with the state', async () => {
    const { challenge } = pkce();
    const cases: [Record<string, string | null>, string][] = [
      [{ code_challenge: null, code_challenge_method: null }, 'invalid_request'],
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ scope: 'profile' }, 'invalid_scope'],
    ];
    for (const [overrides, error] of cases) {
      const res = await getAuthorize(authorizeParams(challenge, overrides));
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('location') ?? '');
      expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
      expect(location.searchParams.get('error')).toBe(error);
      expect(location.searchParams.get('state')).toBe('state-123');
      expect(location.searchParams.get('code')).toBeNull();
    }
  });

  it('shows the form again on a wrong password, without a code', async () => {
    const { challenge } = pkce();
    const res = await submitSignIn(authorizeParams(challenge), 'arranger@acme.test', 'nope');
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBeNull();
    const page = await res.text();
    expect(page).toContain('Wrong email or password.');
    expect(page).toContain('value="arranger@acme.test"');
  });

  it('rotates refresh tokens: each is single use, and reusing a spent one ends the session', async () => {
    const first = await signIn();
    const res = await refresh(first.refresh_token ?? '');
    expect(res.status).toBe(200);
    const second = (await res.json()) as Tokens;
    expect(second.refresh_token).toBeDefined();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(decodeJwt(second.access_token)).toMatchObject({ sub: 'acme-arranger', roles: ['ARRANGER'] });
    const firstId = decodeJwt(first.id_token);
    expect(decodeJwt(second.id_token)).toMatchObject({ sub: firstId.sub, auth_time: firstId.auth_time });
    expect(decodeJwt(second.id_token).nonce).toBeUndefined();

    const reused = await refresh(first.refresh_token ?? '');
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: 'refresh token already used',
    });
    // The reuse may be an attacker's: the legitimate holder's newest token is revoked as well.
    expect((await refresh(second.refresh_token ?? '')).status).toBe(400);
  });

  it('refuses a refresh token presented by another client, or after the session expired', async () => {
    const tokens = await signIn();
    expect((await refresh(tokens.refresh_token ?? '', 'acme-integration')).status).toBe(401);
    clock += SESSION_TTL * 1000;
    try {
      const expired = await refresh(tokens.refresh_token ?? '');
      expect(expired.status).toBe(400);
      expect(await expired.json()).toMatchObject({ error_description: 'the session has expired' });
    } finally {
      clock -= SESSION_TTL * 1000;
    }
  });

  it('issues no refresh token without offline_access', async () => {
    const { code, verifier } = await obtainCode({ scope: 'openid profile' });
    const body = (await (await redeem(code, verifier)).json()) as Tokens;
    expect(body.refresh_token).toBeUndefined();
    expect(body.scope).toBe('openid profile');
  });

  it('signs out: the session’s refresh tokens stop working and the browser goes back to the back office', async () => {
    const tokens = await signIn();
    const other = await signIn();
    const params = new URLSearchParams({
      id_token_hint: tokens.id_token,
      post_logout_redirect_uri: `${ADMIN}/`,
      state: 'bye',
    });
    const res = await fetch(`${issuer.url}/logout?${params}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${ADMIN}/?state=bye`);
    expect((await refresh(tokens.refresh_token ?? '')).status).toBe(400);
    // Another sign-in (another session) is untouched.
    expect((await refresh(other.refresh_token ?? '')).status).toBe(200);
  });

  it('refuses to sign out to an unregistered address or with a hint it did not sign', async () => {
    const tokens = await signIn();
    const foreign = new URLSearchParams({
      id_token_hint: tokens.id_token,
      post_logout_redirect_uri: 'https://evil.test/',
    });
    const refused = await fetch(`${issuer.url}/logout?${foreign}`, { redirect: 'manual' });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('location')).toBeNull();
    const [header, payload] = tokens.id_token.split('.');
    const forged = new URLSearchParams({ id_token_hint: `${header}.${payload}.bm90LWEtc2lnbmF0dXJl` });
    expect((await fetch(`${issuer.url}/logout?${forged}`, { redirect: 'manual' })).status).toBe(400);
    // Neither ended the session.
    expect((await refresh(tokens.refresh_token ?? '')).status).toBe(200);
    const plain = await fetch(`${issuer.url}/logout`);
    expect(plain.status).toBe(200);
    expect(await plain.text()).toContain('Signed out');
  });
});
