import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInConfigFromEnv, startAdminServer } from '../serve.mjs';

describe('admin/serve.mjs', () => {
  let dist: string;
  let server: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    dist = await mkdtemp(join(tmpdir(), 'tranche-admin-dist-'));
    await mkdir(join(dist, 'assets'));
    await writeFile(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    await writeFile(join(dist, 'assets', 'app-abc123.js'), 'console.log(1)');
    server = await startAdminServer({
      port: 0,
      gatewayUrl: 'http://127.0.0.1:4100/graphql',
      issuerUrl: 'http://127.0.0.1:4105',
      distDir: dist,
    });
  });

  afterAll(async () => {
    await server.close();
    await rm(dist, { recursive: true, force: true });
  });

  it('answers /config.json from its options, uncached', async () => {
    const response = await fetch(`${server.url}/config.json`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      gatewayUrl: 'http://127.0.0.1:4100/graphql',
      issuerUrl: 'http://127.0.0.1:4105',
    });
  });

  it('serves fingerprinted assets as immutable and falls back to index.html for app routes', async () => {
    const asset = await fetch(`${server.url}/assets/app-abc123.js`);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const route = await fetch(`${server.url}/deals/123/show`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('id="root"');
    // The sign-in redirect URI is an app route too: the app completes the sign-in there.
    const callback = await fetch(`${server.url}/auth/callback?code=c&state=s`);
    expect(callback.status).toBe(200);
    expect(await callback.text()).toContain('id="root"');
  });

  it('takes the sign-in settings from ADMIN_OIDC_* and the claim names the API uses', () => {
    expect(
      signInConfigFromEnv({
        ADMIN_OIDC_CLIENT_ID: 'client-guid',
        ADMIN_OIDC_SCOPE: 'openid profile offline_access api://api-guid/access_as_user',
        ADMIN_OIDC_ISSUER_NAME: 'Microsoft Entra ID',
        ADMIN_OIDC_REDIRECT_URI: '',
        OIDC_TENANT_CLAIM: 'tid',
        GATEWAY_URL: 'http://ignored',
      }),
    ).toEqual({
      clientId: 'client-guid',
      scope: 'openid profile offline_access api://api-guid/access_as_user',
      issuerName: 'Microsoft Entra ID',
      tenantClaim: 'tid',
    });
  });

  it('limits the page to its own origin, the gateway and the issuer', async () => {
    const csp = (await fetch(`${server.url}/`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:4100 http://127.0.0.1:4105");
  });

  it('answers 404 for a missing asset and never serves files outside dist', async () => {
    expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404);
    const escape = await fetch(`${server.url}/..%2f..%2f..%2fetc%2fpasswd`);
    expect(escape.status).toBe(400);
    expect(await escape.text()).not.toContain('root:');
    expect((await fetch(`${server.url}/x`, { method: 'POST' })).status).toBe(405);
  });

  it('rejects a malformed gateway URL at start', async () => {
    await expect(
      startAdminServer({
        port: 0,
        gatewayUrl: 'not a url',
        issuerUrl: 'http://127.0.0.1:4105',
        distDir: dist,
      }),
    ).rejects.toThrow('gatewayUrl');
  });
});
