/**
 * A month's distribution in the back office, in a real browser against the real platform and a
 * Hardhat node: on an issued deal whose tokens are minted to three holders (through the API, as
 * tests/e2e/payouts.test.ts does), a servicer submits the report from the form, previews the
 * payouts, requests approval with the prefilled change request; compliance approves it; the
 * servicer executes it and the page follows the job to RECONCILED with each tranche's payout and
 * transactions. The deal page charts the paid period against the projection, and the investor's
 * portfolio shows what the distribution paid them, with their statement.
 * Needs `pnpm --filter @tranche/admin build` first and Chromium at /usr/bin/chromium.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChain, type ChainHandle } from '@tranche/chain';
import { takeDealThroughIssuance } from '@tranche/devstack';
import { Wallet } from 'ethers';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually, graphql, ROOT, startPlatform, type TestPlatform } from '../support/platform.js';
import { launchBrowser, signIn, signOut, reportFailure, type Browser } from './admin-ui.js';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.test-results', 'browser');
const DEAL_NAME = 'Browser Payouts 2026-1';

describe('a distribution in the back office: report, preview, approval, execution, reconciliation', () => {
  let chain: ChainHandle | undefined;
  let platform: TestPlatform | undefined;
  let browser: Browser | undefined;
  let db: pg.Client | undefined;
  let dealId = '';
  let distributionUrl = '';
  let requestUrl = '';
  const tranches: Record<string, { id: string }> = {};

  const session = () => {
    if (platform?.adminUrl == null || browser === undefined)
      throw new Error('platform or browser did not start');
    return { page: browser.page, adminUrl: platform.adminUrl };
  };
  const as = async (email: string, query: string, variables: Record<string, unknown> = {}) => {
    const res = await graphql(platform!.gatewayUrl, query, variables, await platform!.token(email));
    if (res.errors) throw new Error(`${email}: ${JSON.stringify(res.errors)}`);
    return (res.data ?? {}) as Record<string, unknown>;
  };

  /** A cleared investor holding `amount` of a tranche, minted through an approved token.mint. */
  const holding = async (name: string, tranche: string, amount: string) => {
    const wallet = Wallet.createRandom().address;
    const { createInvestor } = await as(
      'compliance@acme.test',
      'mutation($i: CreateInvestorInput!) { createInvestor(input: $i) { id } }',
      { i: { legalName: name, kind: 'ENTITY', jurisdiction: 'GB', dealIds: [dealId] } },
    );
    const investorId = (createInvestor as { id: string }).id;
    // KYC and screening have their own browser test; here the investor is simply cleared
    await db!.query(
      `update investors.investor set kyc_status = 'VERIFIED', kyc_expires_at = now() + interval '300 days', sanctions_status = 'CLEAR', wallet_address = $2 where id = $1`,
      [investorId, wallet],
    );
    const { subscribe } = await as(
      'compliance@acme.test',
      'mutation($i: SubscribeInput!) { subscribe(input: $i) { id } }',
      { i: { investorId, trancheId: tranches[tranche]!.id, amount } },
    );
    const subscriptionId = (subscribe as { id: string }).id;
    const { requestChange } = await as(
      'arranger@acme.test',
      'mutation($i: RequestChangeInput!) { requestChange(input: $i) { id } }',
      {
        i: {
          type: 'token.mint',
          dealId,
          title: `Mint ${name}`,
          rationale: 'Allocation',
          payload: JSON.stringify({ subscriptionId, trancheId: tranches[tranche]!.id, wallet, amount }),
        },
      },
    );
    const cr = (requestChange as { id: string }).id;
    await as('compliance@acme.test', 'mutation($id: ID!) { approveChange(id: $id) { status } }', { id: cr });
    await as(
      'arranger@acme.test',
      'mutation($id: ID!, $a: BigInt!, $cr: ID) { allocateSubscription(id: $id, amount: $a, changeRequestId: $cr) { status } }',
      { id: subscriptionId, a: amount, cr },
    );
    await eventually(async () => {
      const r = await db!.query('select status from investors.subscription where id = $1', [subscriptionId]);
      return r.rows[0]?.status === 'MINTED' ? true : undefined;
    }, 60_000);
    return investorId;
  };

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    const manifestDir = mkdtempSync(join(tmpdir(), 'tranche-manifest-'));
    chain = await ensureChain({ port: 0, manifestDir });
    platform = await startPlatform({
      admin: true,
      env: { CHAIN_RPC_URL: chain.rpcUrl, CHAIN_MANIFEST_DIR: manifestDir },
    });
    db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    const demo = (name: string) => readFileSync(join(ROOT, 'packages/devstack/src/demo', name), 'utf8');
    const { createDeal } = await as(
      'arranger@acme.test',
      'mutation($i: CreateDealInput!) { createDeal(input: $i) { id } }',
      {
        i: {
          name: DEAL_NAME,
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
    await as(
      'arranger@acme.test',
      'mutation($id: ID!, $s: DealStructureInput!) { setDealStructure(id: $id, input: $s) { id } }',
      {
        id: dealId,
        s: { waterfallRules: demo('acme-rules.json'), collateral: demo('acme-collateral.json') },
      },
    );
    await takeDealThroughIssuance(platform.gatewayUrl, platform.issuerUrl, {
      domain: 'acme.test',
      dealId,
      name: DEAL_NAME,
      terms: {
        regulatoryFramework: 'REG_S',
        accreditedOnly: false,
        allowedCountries: ['GB'],
        minimumInvestment: '1000000',
      },
    });
    const { deal } = await as(
      'arranger@acme.test',
      'query($id: ID!) { deal(id: $id) { tranches { id name } } }',
      {
        id: dealId,
      },
    );
    for (const t of (deal as { tranches: { id: string; name: string }[] }).tranches)
      tranches[t.name] = { id: t.id };
    // A: two holders, 3 to 1; M: one holder; B: nobody. The first is the demo portal user's investor.
    const alder = await holding('Alder Pension', 'A', '30000000000');
    await holding('Birch Mutual', 'A', '10000000000');
    await holding('Cedar Trust', 'M', '6000000000');
    await as(
      'compliance@acme.test',
      'mutation($id: ID!) { updateInvestorProfile(investorId: $id, input: { portalSubject: "acme-investor" }) { id } }',
      { id: alder },
    );
    browser = await launchBrowser();
  }, 600_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && browser !== undefined) {
      await reportFailure(browser, ARTIFACTS, 'distributions', task.name);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await db?.end();
    await platform?.stop();
    await chain?.stop();
  }, 60_000);

  it('lets a servicer submit the report, preview the payouts and request approval', async () => {
    const { page, adminUrl } = session();
    await signIn(page, adminUrl, 'servicer@acme.test');
    await page.goto(new URL('/#/distributions/create', adminUrl).href);
    await page.getByRole('combobox', { name: 'Deal' }).fill('Browser Payouts');
    await page.getByRole('option', { name: DEAL_NAME }).click();
    await page.getByRole('textbox', { name: 'Period' }).fill('1');
    await page.getByRole('textbox', { name: 'Pool balance, begin' }).fill('500,000,000.00');
    await page.getByRole('textbox', { name: 'Interest collected' }).fill('2,100,000.00');
    await page.getByRole('textbox', { name: 'Scheduled principal' }).fill('600,000.00');
    await page.getByRole('textbox', { name: 'Prepayments' }).fill('1,400,000.00');
    // a pool that does not roll forward is refused with the field named, under its input
    const poolEnd = page.getByRole('textbox', { name: 'Pool balance, end' });
    await poolEnd.fill('498,000,000.01');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => poolEnd.getAttribute('aria-invalid')).toBe('true');
    expect(page.url()).toContain('/distributions/create');
    await poolEnd.fill('498,000,000.00');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/#\/distributions\/[^/]+\/show/);
    distributionUrl = page.url();
    await page.getByTestId('distribution-title').getByText('Proposed').waitFor();
    await page.getByText('Not previewed yet').waitFor();

    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByTestId('distribution-title').getByText('Pending approval').waitFor({ timeout: 30_000 });
    const card = page.getByRole('table', { name: 'Approval card' });
    for (const figure of ['$4,100,000.00', '$4,166.67', '$4,095,833.33', 'A $3,583,333.33', 'M $312,500.00'])
      await card.getByText(figure).waitFor();
    await expect(card.getByRole('row', { name: /Recipients/ }).textContent()).resolves.toContain('3');
    const waterfall = page.getByRole('table', { name: 'Waterfall by class' });
    await expect(waterfall.getByRole('row').filter({ hasText: '4.75%' }).textContent()).resolves.toContain(
      '$1,583,333.33$0.00$2,000,000.00',
    );

    await page.getByRole('button', { name: 'Request approval' }).click();
    await page.waitForURL(/#\/changeRequests\/create/);
    await expect
      .poll(() => page.getByRole('textbox', { name: 'Payload' }).inputValue())
      .toContain('"inputSha256"');
    await expect(page.getByRole('textbox', { name: 'Title' }).inputValue()).resolves.toBe(
      `Distribution ${DEAL_NAME}, period 1`,
    );
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/#\/changeRequests\/[^/]+\/show/);
    requestUrl = page.url();
    await page.getByText('distribution.execute').first().waitFor();
  }, 120_000);

  it('lets compliance approve the distribution', async () => {
    const { page, adminUrl } = session();
    expect(requestUrl).not.toBe('');
    await signOut(page);
    await signIn(page, adminUrl, 'compliance@acme.test');
    await page.goto(requestUrl);
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Approval recorded').waitFor();
  }, 60_000);

  it('lets the servicer execute it and follows it to RECONCILED with each tranche’s payout', async () => {
    const { page, adminUrl } = session();
    await page.evaluate(() => window.scrollTo(0, 0));
    await signOut(page);
    await signIn(page, adminUrl, 'servicer@acme.test');
    await page.goto(distributionUrl);
    await page.getByRole('button', { name: 'Execute' }).click();
    const dialog = page.getByRole('dialog');
    await expect
      .poll(() => dialog.getByRole('radio', { name: /Distribution Browser Payouts/ }).isChecked())
      .toBe(true);
    await dialog.getByRole('button', { name: 'Execute' }).click();
    await page.getByText('Execution started').waitFor();
    await page.getByTestId('distribution-title').getByText('Reconciled').waitFor({ timeout: 150_000 });
    await page.getByTestId('execution-progress').getByText('100%').waitFor();
    const payouts = page.getByRole('table', { name: 'Payouts by tranche' });
    const rowOf = (tranche: string) =>
      payouts
        .getByRole('row')
        .filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${tranche}`) }) });
    await expect(rowOf('A').textContent()).resolves.toMatch(
      /\$3,583,333\.333,583,333\.33.*2 \/ 2.*0x[0-9a-f]{4}…/,
    );
    await expect(rowOf('M').textContent()).resolves.toContain('1 / 1');
    await expect(rowOf('B').textContent()).resolves.toContain('0 / 0');
    await page
      .getByTestId('reconciliation')
      .getByText(/^✓ Ties/)
      .waitFor();
    // each holder's payout, paid exactly (the servicer may see wallets)
    const holdersOfA = page.getByTestId('holders-A');
    await holdersOfA.waitFor();
    await expect.poll(() => holdersOfA.locator('[data-status="PAID"]').count()).toBe(2);
    await expect(page.getByTestId('holders-M').locator('[data-status="PAID"]').count()).resolves.toBe(1);

    // the approval queue lists it under its status
    await page.goto(
      new URL(`/#/distributions?filter=${encodeURIComponent('{"status":"RECONCILED"}')}`, adminUrl).href,
    );
    await page.getByRole('cell', { name: '$4,095,833.33' }).waitFor();
    // the deal page charts the paid period against the projection
    await page.goto(new URL(`/#/deals/${dealId}/show/cash-flows`, adminUrl).href);
    const chart = page.getByTestId('cash-flows-A');
    await chart.locator('svg rect').first().waitFor();
    await expect(chart.getByRole('table').getByRole('row').nth(1).textContent()).resolves.toContain(
      '$3,583,333.33',
    );
    expect(browser!.errors).toEqual([]);
  }, 200_000);

  it('shows the investor what the distribution paid them, with their statement', async () => {
    const { page, adminUrl } = session();
    await page.evaluate(() => window.scrollTo(0, 0));
    await signOut(page);
    await signIn(page, adminUrl, 'investor@acme.test');
    await page.getByTestId('portfolio-investor').getByText('Alder Pension').waitFor();
    await page.getByText('2,687,499.9975').first().waitFor();
    const statements = page.getByTestId('statements');
    await statements.getByRole('cell', { name: DEAL_NAME }).waitFor();
    const download = page.waitForEvent('download');
    await statements.getByRole('button', { name: 'CSV' }).click();
    expect((await download).suggestedFilename()).toMatch(/^statement-.+-\d{4}\.csv$/);
    expect(browser!.errors).toEqual([]);
  }, 60_000);
});
