/**
 * The structuring desk in a real browser against the real platform (no chain: projections need
 * only the deal's structure): an arranger opens a deal's Structuring tab, sees each class's WAL,
 * the balance chart, the prospectus decrement table and the scenario grid at 100% PSA; changes
 * the prepayment speed to 300% PSA, projects again and sees every WAL shorten and the chart
 * redrawn; adds the scenario to the comparison, which then lines both speeds up side by side.
 * Needs `pnpm --filter @tranche/admin build` first and Chromium at /usr/bin/chromium.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { graphql, ROOT, startPlatform, type TestPlatform } from '../support/platform.js';
import { launchBrowser, signIn, reportFailure, type Browser } from './admin-ui.js';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.test-results', 'browser');

describe('the structuring desk: an arranger changes the PSA speed and sees the WALs and the chart change', () => {
  let platform: TestPlatform | undefined;
  let browser: Browser | undefined;
  let dealId = '';

  const session = () => {
    if (platform?.adminUrl == null || browser === undefined)
      throw new Error('platform or browser did not start');
    return { page: browser.page, adminUrl: platform.adminUrl };
  };
  const asArranger = async (query: string, variables: Record<string, unknown>) => {
    if (!platform) throw new Error('platform did not start');
    const res = await graphql(
      platform.gatewayUrl,
      query,
      variables,
      await platform.token('arranger@acme.test'),
    );
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return (res.data ?? {}) as Record<string, unknown>;
  };

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    platform = await startPlatform({ admin: true });
    const demo = (name: string) => readFileSync(join(ROOT, 'packages/devstack/src/demo', name), 'utf8');
    const { createDeal } = await asArranger(
      'mutation($i: CreateDealInput!) { createDeal(input: $i) { id } }',
      {
        i: {
          name: 'Browser Structuring 2026-1',
          assetClass: 'RMBS',
          currency: 'USD',
          tranches: [
            { name: 'A', seniority: 1, originalBalance: '40000000000', couponBps: 475 },
            { name: 'M', seniority: 2, originalBalance: '6000000000', couponBps: 625 },
            { name: 'B', seniority: 3, originalBalance: '4000000000', couponBps: 850 },
          ],
        },
      },
    );
    dealId = (createDeal as { id: string }).id;
    await asArranger(
      'mutation($id: ID!, $s: DealStructureInput!) { setDealStructure(id: $id, input: $s) { id } }',
      {
        id: dealId,
        s: { waterfallRules: demo('acme-rules.json'), collateral: demo('acme-collateral.json') },
      },
    );
    browser = await launchBrowser();
  }, 240_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && browser !== undefined) {
      await reportFailure(browser, ARTIFACTS, 'structuring', task.name);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  }, 60_000);

  it('shows shorter WALs and a redrawn balance chart after the arranger raises the speed from 100% to 300% PSA', async () => {
    const { page, adminUrl } = session();
    await signIn(page, adminUrl, 'arranger@acme.test');
    await page.goto(new URL(`/#/deals/${dealId}/show/structuring`, adminUrl).href);

    const results = page.getByTestId('structuring-results');
    await expect.poll(() => results.getAttribute('data-scenario'), { timeout: 30_000 }).toBe('PSA 100');
    const wals = async () =>
      Object.fromEntries(
        await Promise.all(
          ['A', 'M', 'B'].map(
            async (id) => [id, Number(await page.getByTestId(`wal-${id}`).innerText())] as const,
          ),
        ),
      );
    const slow = await wals();
    expect(slow.A).toBeGreaterThan(0);
    expect(slow.A).toBeLessThan(slow.M ?? 0);
    const balanceLine = page.getByTestId('balances-chart').locator('polyline[data-series="A"]');
    const slowLine = await balanceLine.getAttribute('points');
    expect(await page.getByRole('table', { name: 'Class A' }).innerText()).toContain('Initial percentage');
    expect(await page.getByRole('table', { name: 'Scenarios compared' }).innerText()).toContain('PSA 100');

    await page.getByRole('spinbutton', { name: 'Prepayment speed' }).fill('300');
    await page.getByRole('button', { name: 'Project' }).click();
    await expect.poll(() => results.getAttribute('data-scenario'), { timeout: 30_000 }).toBe('PSA 300');

    const fast = await wals();
    for (const id of ['A', 'M', 'B']) expect(fast[id]).toBeLessThan(slow[id] ?? 0);
    expect(await balanceLine.getAttribute('points')).not.toBe(slowLine);

    await page.getByRole('button', { name: 'Add to comparison' }).click();
    const grid = page.getByRole('table', { name: 'Scenarios compared' });
    await expect.poll(() => grid.getByRole('row').count(), { timeout: 30_000 }).toBe(3); // header + 2
    expect(await grid.innerText()).toContain('PSA 300');
    expect(browser?.errors ?? []).toEqual([]);
  }, 120_000);
});
