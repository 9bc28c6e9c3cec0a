/**
 * Page helpers for the back-office browser tests: launching the system Chromium the way RECIPES.md
 * prescribes, and the few user journeys the tests share (sign in through the development issuer's
 * page, sign out, the stored sign-in). Elements are found by
 * role and accessible name, as a user would, because React 19 generates the input ids.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and app console errors seen so far (a clean run has none). */
  errors: string[];
  close(): Promise<void>;
}

/** Starts Chromium with a throwaway profile; `close()` also deletes the profile. */
export const launchBrowser = async (): Promise<Browser> => {
  const profile = await mkdtemp(join(tmpdir(), 'tranche-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // Chromium logs every non-2xx response as a console error; the tests provoke some (a 401) on purpose.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(`console: ${message.text()}`);
    }
  });
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
};

/** The back office's sign-in button ("Sign in with <issuer>"). */
export const signInButton = (page: Page) => page.getByRole('button', { name: /^Sign in with / });

/**
 * Signs in as a user would: the back office's "Sign in with …" button, the development issuer's
 * own sign-in page (authorization code with PKCE), and back to the app, whose menu it waits for.
 */
export const signIn = async (page: Page, adminUrl: string, email: string, password = 'demo-password') => {
  await page.goto(new URL('/#/login', adminUrl).href);
  await signInButton(page).click();
  await fillIssuerSignIn(page, email, password);
  await page.getByRole('button', { name: 'Profile' }).waitFor();
};

/** Fills and submits the development issuer's sign-in form (the browser is on the issuer's page). */
export const fillIssuerSignIn = async (page: Page, email: string, password = 'demo-password') => {
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
};

/** Signs out through the user menu (which ends the issuer's session too) and waits for the sign-in page. */
export const signOut = async (page: Page) => {
  // react-admin hides its app bar, and the user menu with it, while the page is scrolled down.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.getByRole('button', { name: 'Profile' }).click();
  await page.getByRole('menuitem', { name: 'Logout' }).click();
  await signInButton(page).waitFor();
};

/** The sign-in oidc-client-ts keeps in sessionStorage: its key and tokens, or null when signed out. */
export const storedSignIn = (page: Page) =>
  page.evaluate(() => {
    const key = Object.keys(sessionStorage).find((k) => k.startsWith('tranche.admin.user:'));
    if (key === undefined) return null;
    const user = JSON.parse(sessionStorage.getItem(key) ?? '{}') as {
      access_token?: string;
      refresh_token?: string;
      id_token?: string;
    };
    return { key, accessToken: user.access_token, refreshToken: user.refresh_token, idToken: user.id_token };
  });

/** Rewrites the stored sign-in's tokens in the page (e.g. to break a signature the server checks). */
export const alterStoredSignIn = (page: Page, change: { accessToken?: string; refreshToken?: string }) =>
  page.evaluate((change) => {
    const key = Object.keys(sessionStorage).find((k) => k.startsWith('tranche.admin.user:'));
    if (key === undefined) throw new Error('not signed in');
    const user = JSON.parse(sessionStorage.getItem(key) ?? '{}') as Record<string, unknown>;
    if (change.accessToken !== undefined) user.access_token = change.accessToken;
    if (change.refreshToken !== undefined) user.refresh_token = change.refreshToken;
    sessionStorage.setItem(key, JSON.stringify(user));
  }, change);

/** `token` with its signature replaced: the claims still decode, only the server can tell. */
export const withBrokenSignature = (token: string) => {
  const [header = '', payload = ''] = token.split('.');
  return `${header}.${payload}.invalid-signature`;
};

/**
 * What the page showed when test `testName` failed, for the CI log (which keeps no screenshots):
 * its URL, the start of its visible text, and the browser errors seen so far; plus a full-page
 * screenshot `failed-<suite>-<test name>.png` in `artifacts`.
 */
export const reportFailure = async (browser: Browser, artifacts: string, suite: string, testName: string) => {
  const { page } = browser;
  const text = await page
    .evaluate(() => document.body.innerText)
    .then((t) => t.replace(/\s+/g, ' ').slice(0, 1500))
    .catch((error: unknown) => `(no text: ${String(error)})`);
  console.error(`page at failure: ${page.url()}\n${text}\nbrowser errors: ${JSON.stringify(browser.errors)}`);
  const file = `failed-${suite}-${testName.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}.png`;
  await page.screenshot({ path: join(artifacts, file), fullPage: true }).catch(() => undefined);
};

/**
 * Opens a list's create form with its "Create" link and waits for `field` on it. CI once saw the
 * form never appear after the click, for a reason the run did not record; the link is now clicked
 * again if the form is not there after 8 s, at most three times, and each retry is logged with the
 * page's URL so that a recurrence says where the browser went.
 */
export const openCreateForm = async (page: Page, field: () => ReturnType<Page['getByRole']>) => {
  for (let attempt = 1; ; attempt += 1) {
    await page.getByRole('link', { name: 'Create' }).click();
    try {
      await field().waitFor({ timeout: 8_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      console.error(
        `create form not shown after clicking Create (attempt ${attempt}), page at ${page.url()}`,
      );
    }
  }
};
