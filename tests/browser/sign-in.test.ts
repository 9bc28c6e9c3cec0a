/**
 * Back-office sign-in in a real browser against the real platform: the back office sends the user
 * to the development issuer's own sign-in page (authorization code with PKCE, as with Entra ID),
 * never sees the password, keeps the session across a reload, renews the access token with the
 * rotating refresh token (before it expires, and when the API rejects it), and signing out ends
 * the session at the issuer too.
 * Needs `pnpm --filter @tranche/admin build` first and Chromium at /usr/bin/chromium.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform } from '../support/platform.js';
import {
  alterStoredSignIn,
  fillIssuerSignIn,
  launchBrowser,
  signInButton,
  signOut,
  storedSignIn,
  withBrokenSignature,
  reportFailure,
  type Browser,
} from './admin-ui.js';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.test-results', 'browser');

type Platform = Awaited<ReturnType<typeof startPlatform>>;

describe('back-office sign-in through the identity provider', () => {
  let platform: Platform | undefined;
  let browser: Browser | undefined;
  /** Authorization headers of the API requests the page made, in order. */
  const apiTokens: string[] = [];

  const session = () => {
    if (platform?.adminUrl == null || browser === undefined)
      throw new Error('platform or browser did not start');
    return { page: browser.page, adminUrl: platform.adminUrl, issuerUrl: platform.issuerUrl };
  };

  /** Waits until the page has sent the API a request with `token` as its bearer token. */
  const apiReceives = async (token: string) => {
    await expect.poll(() => apiTokens.includes(`Bearer ${token}`), { timeout: 15_000 }).toBe(true);
  };

  /** Asks the issuer directly to rotate `refreshToken`; its HTTP status. */
  const refreshStatus = async (refreshToken: string) => {
    const res = await fetch(`${session().issuerUrl}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: 'tranche-admin',
        refresh_token: refreshToken,
      }),
    });
    return res.status;
  };

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    platform = await startPlatform({ admin: true });
    browser = await launchBrowser();
    const gateway = platform.gatewayUrl;
    browser.page.on('request', (request) => {
      const authorization = request.headers().authorization;
      if (request.url().startsWith(gateway) && authorization) apiTokens.push(authorization);
    });
  }, 240_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && browser !== undefined) {
      await reportFailure(browser, ARTIFACTS, 'sign-in', task.name);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  }, 60_000);

  it('sends the user to the issuer with a PKCE S256 request, where a wrong password is refused', async () => {
    const { page, adminUrl, issuerUrl } = session();
    await page.goto(new URL('/#/deals', adminUrl).href);
    await signInButton(page).click();
    await page.waitForURL((url) => url.origin === new URL(issuerUrl).origin);
    const request = new URL(page.url());
    expect(request.pathname).toBe('/authorize');
    expect(Object.fromEntries(request.searchParams)).toMatchObject({
      client_id: 'tranche-admin',
      response_type: 'code',
      code_challenge_method: 'S256',
      redirect_uri: new URL('/auth/callback', adminUrl).href,
    });
    await fillIssuerSignIn(page, 'arranger@acme.test', 'not-the-password');
    await page.getByText('Wrong email or password.').waitFor();
    expect(new URL(page.url()).origin).toBe(new URL(issuerUrl).origin);
  });

  it('signs in on the issuer page, lands where the user was headed, shows who is signed in, and survives a reload', async () => {
    const { page, adminUrl } = session();
    await fillIssuerSignIn(page, 'arranger@acme.test');
    await page.getByRole('button', { name: 'Profile' }).waitFor();
    // Back on the back office at the page asked for, with the spent code gone from the address bar.
    expect(new URL(page.url()).origin).toBe(new URL(adminUrl).origin);
    expect(page.url()).toMatch(/\/#\/deals$/);
    expect(page.url()).not.toContain('code=');
    await page.getByText('Acme Capital Arranger').first().waitFor();
    const stored = await storedSignIn(page);
    expect(stored?.refreshToken).toBeTruthy();
    await apiReceives(stored?.accessToken ?? '');

    await page.reload();
    await page.getByRole('button', { name: 'Profile' }).waitFor();
    await page.getByText('Acme Capital Arranger').first().waitFor();
    expect(new URL(page.url()).origin).toBe(new URL(adminUrl).origin);
    expect((await storedSignIn(page))?.accessToken).toBe(stored?.accessToken);
  });

  it('renews the token when the API rejects it (401) and repeats the request, without a new sign-in', async () => {
    const { page } = session();
    const before = await storedSignIn(page);
    const broken = withBrokenSignature(before?.accessToken ?? '');
    await alterStoredSignIn(page, { accessToken: broken });
    await page.reload();
    await page.getByRole('menuitem', { name: 'Deals' }).click();
    await expect
      .poll(async () => (await storedSignIn(page))?.accessToken, { timeout: 15_000 })
      .not.toBe(broken);
    const after = await storedSignIn(page);
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    await apiReceives(after?.accessToken ?? '');
    expect(apiTokens).toContain(`Bearer ${broken}`);
    expect(await signInButton(page).count()).toBe(0);
    await page.getByRole('button', { name: 'Profile' }).waitFor();
  });

  it('signs out: back at the sign-in page, the issuer session ended, and the next sign-in asks for the password again', async () => {
    const { page, adminUrl } = session();
    const last = await storedSignIn(page);
    await signOut(page);
    expect(new URL(page.url()).origin).toBe(new URL(adminUrl).origin);
    expect(await storedSignIn(page)).toBeNull();
    // The issuer ended the session: the last refresh token the back office held is refused.
    expect(await refreshStatus(last?.refreshToken ?? '')).toBe(400);

    await page.goto(new URL('/#/changeRequests', adminUrl).href);
    await signInButton(page).click();
    await page.getByRole('textbox', { name: 'Email' }).waitFor();
    await fillIssuerSignIn(page, 'compliance@acme.test');
    await page.getByRole('button', { name: 'Profile' }).waitFor();
    expect(page.url()).toMatch(/\/#\/changeRequests$/);
    await page.getByText('Acme Capital Compliance').first().waitFor();
  });

  it('renews the access token with the refresh token a minute before it expires, and uses the new one', async () => {
    const { page } = session();
    // Take over the page's clock, then jump to just before the one-hour token expires.
    await page.clock.install();
    await page.reload();
    await page.getByRole('button', { name: 'Profile' }).waitFor();
    const before = await storedSignIn(page);
    await page.clock.fastForward('59:10');
    await expect
      .poll(async () => (await storedSignIn(page))?.accessToken, { timeout: 15_000 })
      .not.toBe(before?.accessToken);
    const after = await storedSignIn(page);
    expect(after?.refreshToken).toBeTruthy();
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    // The API gets the new token.
    await page.getByRole('menuitem', { name: 'Deals' }).click();
    await apiReceives(after?.accessToken ?? '');
    await page.getByRole('button', { name: 'Profile' }).waitFor();
  });

  it('left no uncaught errors in the page', () => {
    expect(browser?.errors ?? []).toEqual([]);
  });
});
