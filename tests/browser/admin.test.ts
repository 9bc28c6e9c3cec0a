/**
 * The back office end to end in a real browser against the real platform (fresh database, dev
 * issuer, the four subgraphs, the gateway, and the built admin served by admin/serve.mjs):
 * an arranger signs in, creates a deal with tranches (recovering from a server-side field error),
 * finds it in the server-sorted, searchable list and edits it (an illegal status change is refused
 * on the field); an auditor then finds the deal's `deal.created` and `deal.updated` events, newest
 * first, by filtering the audit log on the deal id; a Borealis Bank user cannot see the Acme deal;
 * a token the gateway rejects signs the user out.
 * Needs `pnpm --filter @tranche/admin build` first and Chromium at /usr/bin/chromium.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform } from '../support/platform.js';
import {
  alterStoredSignIn,
  launchBrowser,
  signIn,
  signInButton,
  signOut,
  storedSignIn,
  withBrokenSignature,
  openCreateForm,
  reportFailure,
  type Browser,
} from './admin-ui.js';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.test-results', 'browser');

type Platform = Awaited<ReturnType<typeof startPlatform>>;

describe('admin back office in Chromium', () => {
  let platform: Platform | undefined;
  let browser: Browser | undefined;
  const dealName = `Browser Test RMBS ${Date.now()}`;
  let dealId = '';

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
      await reportFailure(browser, ARTIFACTS, 'admin', task.name);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  }, 60_000);

  it('lets an arranger create a deal with two tranches, fixing a server-side field error, and list it', async () => {
    const { page, adminUrl } = session();
    await signIn(page, adminUrl, 'arranger@acme.test');
    const nameInput = () => page.getByRole('textbox', { name: 'Name', exact: true });
    await openCreateForm(page, nameInput);
    await nameInput().fill(dealName);
    await page.getByLabel('Closing date').fill('2026-12-15');
    const addTranche = page.getByRole('button', { name: 'Add' });
    const rows = [
      { name: 'Class A', seniority: '1', balance: '250,000,000.00', coupon: '350' },
      // Same seniority as Class A on purpose: only the server checks that across tranches.
      { name: 'Class B', seniority: '1', balance: '12,345,678.90', coupon: '575' },
    ];
    for (const [index, row] of rows.entries()) {
      await addTranche.click();
      await page.getByRole('textbox', { name: 'Tranche name' }).nth(index).fill(row.name);
      await page.getByRole('spinbutton', { name: 'Seniority' }).nth(index).fill(row.seniority);
      await page.getByRole('textbox', { name: 'Original balance' }).nth(index).fill(row.balance);
      await page.getByRole('spinbutton', { name: 'Coupon (bps)' }).nth(index).fill(row.coupon);
    }
    await page.getByRole('button', { name: 'Save' }).click();

    // The API's BAD_USER_INPUT field error lands under the offending input; fix it and save again.
    await page.getByText('duplicate seniority 1', { exact: true }).waitFor();
    expect(page.url()).toMatch(/#\/deals\/create/);
    await page.getByRole('spinbutton', { name: 'Seniority' }).nth(1).fill('2');
    await page.getByRole('button', { name: 'Save' }).click();

    // Saved: react-admin redirects to the new deal's show page, whose URL carries the server's id.
    await page.waitForURL(/#\/deals\/[^/]+\/show/);
    dealId = decodeURIComponent(/#\/deals\/([^/]+)\/show/.exec(page.url())?.[1] ?? '');
    expect(dealId).not.toBe('');
    // The balance is the exact sum of the tranches (minor units, no float rounding on the way).
    await expect.poll(() => page.getByText('€262,345,678.90').count()).toBeGreaterThan(0);
    await page.getByRole('tab', { name: 'Tranches' }).click();
    await page.getByRole('cell', { name: 'Class B' }).waitFor();

    await page.getByRole('menuitem', { name: 'Deals' }).click();
    await page.getByRole('cell', { name: dealName }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'deals-list.png'), fullPage: true });

    // Server-side sort: by name ascending, the list is still served and our row is still findable.
    await page.getByRole('button', { name: 'Name' }).click();
    await page.waitForURL(/sort=name/);
    await page.getByRole('textbox', { name: 'Search' }).fill(dealName);
    await page.waitForURL((url) => decodeURIComponent(url.hash).includes(`"q":"${dealName}"`));
    await expect.poll(() => page.getByRole('row').count()).toBe(2); // header + our deal
    await page.getByRole('cell', { name: dealName }).waitFor();
  });

  it('lets the arranger edit the deal, showing the API refusal of an illegal status change on the field', async () => {
    const { page, adminUrl } = session();
    await page.goto(new URL(`/#/deals/${encodeURIComponent(dealId)}/show`, adminUrl).href);
    await page.getByRole('link', { name: 'Edit' }).click();
    const status = page.getByRole('combobox', { name: 'Status' });
    // A PROPOSED deal moves on only through review and issuance: the server answers BAD_USER_INPUT
    // on `status`.
    await status.click();
    await page.getByRole('option', { name: 'Matured' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('cannot move from PROPOSED to MATURED', { exact: true }).waitFor();

    // Back to PROPOSED, with a legal edit: a closing date, which saves.
    await status.click();
    await page.getByRole('option', { name: 'Proposed' }).click();
    await page.getByLabel('Closing date').fill('2026-12-30');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/#\/deals\/[^/]+\/show/);
    await page.getByText('Proposed', { exact: true }).waitFor();
  });

  it("lets an auditor find that deal's deal.created event, newest first, filtered by aggregate id", async () => {
    const { page, adminUrl } = session();
    expect(dealId).not.toBe('');
    await signOut(page);
    await signIn(page, adminUrl, 'auditor@acme.test');
    await page.getByRole('menuitem', { name: 'Audit events' }).click();
    await page.getByRole('textbox', { name: 'Aggregate id' }).fill(dealId);
    await page.waitForURL((url) => decodeURIComponent(url.hash).includes(`"aggregateId":"${dealId}"`));

    // The audit chain is fed through an outbox, so events may land a moment after the change.
    const row = (action: string) =>
      page.getByRole('row').filter({ hasText: action }).filter({ hasText: dealId });
    await expect
      .poll(
        async () => {
          if ((await row('deal.created').count()) > 0 && (await row('deal.updated').count()) > 0) return true;
          await page.getByRole('button', { name: 'Refresh' }).click();
          return false;
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(true);
    // Only this deal's events are listed once the filter applies.
    await expect
      .poll(async () =>
        (await page.getByRole('row').allInnerTexts()).slice(1).every((t) => t.includes(dealId)),
      )
      .toBe(true);
    // Newest first: the status change recorded after the creation is listed above it.
    const actions = await page.getByRole('row').allInnerTexts();
    const updatedAt = actions.findIndex((t) => t.includes('deal.updated'));
    const createdAt = actions.findIndex((t) => t.includes('deal.created'));
    expect(updatedAt).toBeGreaterThan(0);
    expect(updatedAt).toBeLessThan(createdAt);
    await page.screenshot({ path: join(ARTIFACTS, 'audit-events.png'), fullPage: true });
    // An auditor reads deals but may not create them: no Create button on the deals list.
    await page.getByRole('menuitem', { name: 'Deals' }).click();
    await page.getByRole('cell', { name: dealName }).waitFor();
    expect(await page.getByRole('link', { name: 'Create' }).count()).toBe(0);
  });

  it("keeps the Acme deal out of a Borealis Bank user's reach", async () => {
    const { page, adminUrl } = session();
    await signOut(page);
    await signIn(page, adminUrl, 'arranger@borealis.test');
    const search = encodeURIComponent(JSON.stringify({ q: dealName }));
    await page.goto(new URL(`/#/deals?filter=${search}`, adminUrl).href);
    await page.getByText(/^No .* found/).waitFor();
    expect(await page.getByRole('cell', { name: dealName }).count()).toBe(0);
    // Even by its id the other tenant's deal does not exist.
    await page.goto(new URL(`/#/deals/${encodeURIComponent(dealId)}/show`, adminUrl).href);
    await page.getByText('Element does not exist').waitFor();
  });

  it('signs the user out when the gateway rejects the token (UNAUTHENTICATED / 401) and it cannot be renewed', async () => {
    const { page, adminUrl } = session();
    // Keep the claims (the app still thinks it is signed in) but break the signature: only the
    // server can tell. The refresh token is unknown to the issuer, so the renewal the 401 triggers
    // fails too, and the answer must end the session.
    const stored = await storedSignIn(page);
    await alterStoredSignIn(page, {
      accessToken: withBrokenSignature(stored?.accessToken ?? ''),
      refreshToken: 'not-a-refresh-token',
    });
    await page.goto(new URL('/#/deals', adminUrl).href);
    await page.reload();
    await signInButton(page).waitFor();
    expect(await storedSignIn(page)).toBeNull();
  });

  it('left no uncaught errors in the page', () => {
    expect(browser?.errors ?? []).toEqual([]);
  });
});
