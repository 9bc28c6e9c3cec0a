/**
 * Investor onboarding in the back office, in a real browser against the real platform and the local
 * KYC sandbox: compliance creates an investor, finds it in the review queue, starts KYC and opens
 * the one-time hosted link (the sandbox's page, "Pass verification"); the provider's webhook turns
 * the KYC badge VERIFIED on the open page; "Screen now" clears sanctions; the profile form links the
 * portal user `acme-investor`. Signed in as that user (investor@acme.test), the landing page is the
 * investor's portfolio, with no staff menu.
 * Needs `pnpm --filter @tranche/admin build` first and Chromium at /usr/bin/chromium.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform } from '../support/platform.js';
import { launchBrowser, signIn, signOut, openCreateForm, reportFailure, type Browser } from './admin-ui.js';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.test-results', 'browser');
const INVESTOR = `Browser Onboarding Fund ${Date.now()}`;

describe('onboarding an investor in the back office', () => {
  let platform: Awaited<ReturnType<typeof startPlatform>> | undefined;
  let browser: Browser | undefined;
  let investorId = '';

  const session = () => {
    if (platform?.adminUrl == null || browser === undefined)
      throw new Error('platform or browser did not start');
    return { page: browser.page, adminUrl: platform.adminUrl };
  };

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    platform = await startPlatform({ admin: true });
    browser = await launchBrowser();
  }, 240_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && browser !== undefined) {
      await reportFailure(browser, ARTIFACTS, 'investors', task.name);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  }, 60_000);

  it('creates an investor, who waits in the review queue for KYC', async () => {
    const { page, adminUrl } = session();
    await signIn(page, adminUrl, 'compliance@acme.test');
    await page.getByRole('menuitem', { name: 'Investors' }).click();
    const legalName = () => page.getByRole('textbox', { name: 'Legal name' });
    await openCreateForm(page, legalName);
    await legalName().fill(INVESTOR);
    await page.getByRole('textbox', { name: 'Jurisdiction' }).fill('US');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/#\/investors\/[^/]+\/show/);
    investorId = decodeURIComponent(/#\/investors\/([^/]+)\/show/.exec(page.url())?.[1] ?? '');
    expect(investorId).not.toBe('');
    await expect(page.getByTestId('kyc-badge').textContent()).resolves.toBe('KYC pending');

    await page.getByRole('menuitem', { name: 'Review queue' }).click();
    const kycQueue = page.getByRole('table', { name: 'KYC not verified' });
    const queued = kycQueue.getByRole('link', { name: INVESTOR });
    await queued.waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'investor-review-queue.png'), fullPage: true });
    await queued.click();
    await page.waitForURL(new RegExp(`#/investors/${investorId}/show`));
  }, 90_000);

  it('starts KYC, and the badge turns VERIFIED once the investor passes on the provider’s page', async () => {
    const { page } = session();
    await page.getByRole('button', { name: 'Start KYC' }).click();
    const link = page.getByTestId('kyc-link').getByRole('link');
    const hostedUrl = await link.getAttribute('href');
    expect(hostedUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/verify\?/);

    // The investor's side: the provider's hosted page, in another tab.
    const provider = await browser!.context.newPage();
    await provider.goto(hostedUrl!);
    await provider.getByRole('button', { name: 'Pass verification' }).click();
    await provider.getByText('Verification passed').waitFor();
    await provider.close();

    // The webhook arrives within seconds; the open page re-reads the investor until it has.
    await expect
      .poll(() => page.getByTestId('kyc-badge').textContent(), { timeout: 30_000 })
      .toBe('KYC verified');
    await page.getByText('kyc-sandbox', { exact: true }).waitFor();
    await page.getByRole('cell', { name: 'APPROVED' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'investor-credentials.png'), fullPage: true });
  }, 90_000);

  it('screens the investor (clear) and links the portal user through the profile form', async () => {
    const { page } = session();
    await page.getByRole('tab', { name: 'Sanctions' }).click();
    // (A background job may have screened the new investor already; Screen now screens again.)
    await page.getByRole('button', { name: 'Screen now' }).click();
    await page.getByText('Screened: no match').waitFor();
    await expect.poll(() => page.getByTestId('sanctions-badge').textContent()).toBe('Sanctions clear');
    await page.getByRole('cell', { name: 'CLEAR' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'investor-sanctions.png'), fullPage: true });

    await page.getByRole('tab', { name: 'Credentials' }).click();
    await page.getByRole('link', { name: 'Edit profile' }).click();
    await page.getByRole('textbox', { name: 'Portal user' }).fill('acme-investor');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/#\/investors\/[^/]+\/show/);
    await page.getByText('acme-investor', { exact: true }).waitFor();
    await signOut(page);
  }, 90_000);

  it('shows the linked investor their portfolio as the landing page, without staff menus', async () => {
    const { page, adminUrl } = session();
    await signIn(page, adminUrl, 'investor@acme.test');
    await page.waitForURL(/#\/portfolio/);
    await page.getByTestId('portfolio-investor').getByText(INVESTOR).waitFor();
    await page.getByText('No positions yet.').waitFor();
    await page.getByRole('menuitem', { name: 'My portfolio' }).waitFor();
    await expect(page.getByRole('menuitem', { name: 'Deals' }).count()).resolves.toBe(0);
    await expect(page.getByRole('menuitem', { name: 'Investors' }).count()).resolves.toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'investor-portfolio.png'), fullPage: true });
    expect(browser!.errors).toEqual([]);
  }, 90_000);
});
