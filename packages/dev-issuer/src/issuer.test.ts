import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchClientToken, fetchUserToken, startDevIssuer, type RunningIssuer } from './issuer.js';

let issuer: RunningIssuer;
const dataDir = mkdtempSync(join(tmpdir(), 'tranche-issuer-'));

beforeAll(async () => {
  issuer = await startDevIssuer({ port: 0, dataDir, corsOrigins: ['http://127.0.0.1:4006'] });
});

afterAll(async () => {
  await issuer.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const token = (body: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${issuer.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(body),
  });

describe('development OIDC issuer', () => {
  it('publishes discovery and a JWKS that verifies the tokens it issues', async () => {
    const discovery = (await (
      await fetch(`${issuer.url}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer: issuer.url,
      token_endpoint: `${issuer.url}/token`,
      jwks_uri: `${issuer.url}/jwks`,
    });
    const access = await fetchUserToken(issuer.url, 'compliance@borealis.test');
    const { payload, protectedHeader } = await jwtVerify(
      access,
      createRemoteJWKSet(new URL(`${issuer.url}/jwks`)),
      {
        issuer: issuer.url,
        audience: 'tranche-api',
      },
    );
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      roles: ['COMPLIANCE'],
      tenant: 'borealis',
      tenant_name: 'Borealis Bank',
    });
  });

  it('issues an id token for the admin client alongside the access token', async () => {
    const res = await token({
      grant_type: 'password',
      client_id: 'tranche-admin',
      username: 'Admin@Acme.test',
      password: 'demo-password',
    });
    const body = (await res.json()) as { id_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe('Bearer');
    expect(decodeJwt(body.id_token)).toMatchObject({
      aud: 'tranche-admin',
      email: 'admin@acme.test',
      roles: ['ADMIN'],
    });
  });

  it('rejects a wrong password, an unknown user and an unknown client', async () => {
    const bad = await token({
      grant_type: 'password',
      client_id: 'tranche-admin',
      username: 'admin@acme.test',
      password: 'nope',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_grant' });
    const unknown = await token({
      grant_type: 'password',
      client_id: 'tranche-admin',
      username: 'eve@acme.test',
      password: 'demo-password',
    });
    expect(unknown.status).toBe(400);
    const client = await token({
      grant_type: 'password',
      client_id: 'other',
      username: 'admin@acme.test',
      password: 'demo-password',
    });
    expect(client.status).toBe(401);
  });

  it('issues client-credentials tokens to machine clients with their generated secret only', async () => {
    const secret = issuer.clientSecrets['acme-integration'] ?? '';
    expect(secret.length).toBeGreaterThan(20);
    const claims = decodeJwt(await fetchClientToken(issuer.url, 'acme-integration', secret));
    expect(claims).toMatchObject({
      sub: 'acme-integration',
      client_id: 'acme-integration',
      tenant: 'acme',
      roles: ['ARRANGER', 'SERVICER'],
    });
    await expect(fetchClientToken(issuer.url, 'acme-integration', 'wrong')).rejects.toThrow(
      /invalid client credentials/,
    );
    await expect(fetchClientToken(issuer.url, 'borealis-integration', secret)).rejects.toThrow();
  });

  it('refuses unsupported grants and malformed requests', async () => {
    const res = await token({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: 'x' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'unsupported_grant_type' });
    const junk = await fetch(`${issuer.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(junk.status).toBe(400);
  });

  it('keeps its signing key and client secrets across restarts', async () => {
    const first = await fetch(`${issuer.url}/jwks`).then((r) => r.json());
    const again = await startDevIssuer({ port: 0, dataDir });
    try {
      expect(await fetch(`${again.url}/jwks`).then((r) => r.json())).toEqual(first);
      expect(again.clientSecrets).toEqual(issuer.clientSecrets);
    } finally {
      await again.close();
    }
  });

  it('allows CORS only for configured origins', async () => {
    const ok = await fetch(`${issuer.url}/jwks`, { headers: { origin: 'http://127.0.0.1:4006' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:4006');
    const other = await fetch(`${issuer.url}/jwks`, { headers: { origin: 'http://evil.test' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
