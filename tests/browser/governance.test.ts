/**
 * Governance in the back office, in a real browser against the real platform: an arranger
 * requests a change and cannot approve it (the page says why); a compliance officer approves it;
 * an admin pulls a GLOBAL kill switch, the banner appears on every page, and the next mutation
 * (editing a deal) shows the refusal with its reason.
 * Needs `pnpm --filter @tranche/admin build` first and Chromium at /usr/bin/chromium.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedDemo } from '@tranche/devstack';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { graphql, startPlatform } from '../support/platform.js';
import { launchBrowser, signIn, signOut, reportFailure, type Browser } from './admin-ui.js';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.test-results', 'browser');

describe('governance in the back office', () => {
  let platform: Awaited<ReturnType<typeof startPlatform>> | undefined;
  let browser: Browser | undefined;
  let dealId = '';
  let requestUrl = '';

  const session = () => {
    if (platform?.adminUrl == null || browser === undefined)
      throw new Error('platform or browser did not start');
    return { page: browser.page, adminUrl: platform.adminUrl };
  };

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    platform = await startPlatform({ admin: true });
    await seedDemo(platform.gatewayUrl, platform.issuerUrl);
    const deals = await graphql<{ deals: { items: { id: string }[] } }>(
      platform.gatewayUrl,
      '{ deals { items { id } } }',
      {},
      await platform.token('arranger@acme.test'),
    );
    dealId = deals.data?.deals.items[0]?.id ?? '';
    browser = await launchBrowser();
  }, 240_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && browser !== undefined) {
      await reportFailure(browser, ARTIFACTS, 'governance', task.name);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  }, 60_000);

  it('lets an arranger request a change but not approve it, and says why', async () => {
    const { page, adminUrl } = session();
    await signIn(page, adminUrl, 'arranger@acme.test');
    await page.goto(new URL('/#/changeRequests/create', adminUrl).href);
    await page.getByRole('combobox', { name: 'Change type' }).click();
    await page.getByRole('option', { name: 'attestation.submit' }).click();
    await page.getByRole('textbox', { name: 'Title' }).fill('Attest the pool for November');
    await page.getByRole('textbox', { name: 'Rationale' }).fill('Monthly covenant attestation');
    await page.getByRole('textbox', { name: 'Payload' }).fill(JSON.stringify({ dealId, tapeVersion: 2 }));
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/#\/changeRequests\/[^/]+\/show/);
    requestUrl = page.url();
    await page.getByTestId('cannot-approve').getByText('you requested this change (four-eyes)').waitFor();
    expect(await page.getByRole('button', { name: 'Approve' }).isDisabled()).toBe(true);
  });

  it('lets a compliance officer approve it', async () => {
    const { page, adminUrl } = session();
    expect(requestUrl).not.toBe('');
    await signOut(page);
    await signIn(page, adminUrl, 'compliance@acme.test');
    await page.goto(requestUrl);
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Approval recorded').waitFor();
    await page.getByText('Approved', { exact: true }).first().waitFor();
  });

  it('shows a banner on every page once an admin pulls a GLOBAL switch, and the next mutation is refused', async () => {
    const { page, adminUrl } = session();
    // The decision buttons sit at the bottom of a long page, and react-admin hides its app bar
    // (with the user menu) while scrolled down.
    await page.evaluate(() => window.scrollTo(0, 0));
    await signOut(page);
    await signIn(page, adminUrl, 'admin@acme.test');
    await page.goto(new URL('/#/killSwitches/create', adminUrl).href);
    await page.getByRole('textbox', { name: 'Reason' }).fill('Browser drill');
    await page.getByRole('button', { name: 'Save' }).click();
    const banner = page.getByTestId('kill-switch-banner');
    await banner.getByText(/GLOBAL.*Browser drill/).waitFor({ timeout: 20_000 });

    await page.goto(new URL(`/#/deals/${encodeURIComponent(dealId)}`, adminUrl).href);
    await banner.waitFor();
    const name = page.getByRole('textbox', { name: 'Name', exact: true });
    // Fill only once the record has loaded, or react-admin's reset to it undoes the edit. It can
    // reset the form once more when the record is refetched (Save then stays disabled, the form
    // no longer dirty): fill again until the edit holds.
    await expect.poll(() => name.inputValue(), { timeout: 15_000 }).not.toBe('');
    const save = page.getByRole('button', { name: 'Save' });
    await expect
      .poll(
        async () => {
          if ((await name.inputValue()) !== 'Renamed during the drill')
            await name.fill('Renamed during the drill');
          return save.isEnabled();
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    await save.click();
    await page.getByText(/stopped by a GLOBAL kill switch: Browser drill/i).waitFor();
  });
});
