/**
 * Issuance in the back office, in a real browser against the real platform and a Hardhat node: an
 * arranger fills the deal's terms and chain, adds its offering memorandum (hashed in the page),
 * submits it for review; Deploy stays disabled until compliance and an admin approve; then Deploy
 * runs the job and the page shows every transaction and token. The servicer uploads the loan tape
 * from the page: a malformed one shows its report by row and column, a good one its stratification.
 * Needs `pnpm --filter @tranche/admin build` first and Chromium at /usr/bin/chromium.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChain, type ChainHandle } from '@tranche/chain';
import { sampleTapeCsv } from '@tranche/devstack';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually, graphql, ROOT, startPlatform } from '../support/platform.js';
import { launchBrowser, signIn, signOut, reportFailure, type Browser } from './admin-ui.js';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.test-results', 'browser');

describe('issuing a deal and uploading its tape in the back office', () => {
  let chain: ChainHandle | undefined;
  let platform: Awaited<ReturnType<typeof startPlatform>> | undefined;
  let browser: Browser | undefined;
  let dealId = '';
  let files = '';

  const session = () => {
    if (platform?.adminUrl == null || browser === undefined)
      throw new Error('platform or browser did not start');
    return { page: browser.page, adminUrl: platform.adminUrl };
  };
  const as = async (email: string, query: string, variables: Record<string, unknown> = {}) =>
    graphql(platform!.gatewayUrl, query, variables, await platform!.token(email));

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    files = await mkdtemp(join(tmpdir(), 'tranche-browser-files-'));
    const manifestDir = await mkdtemp(join(tmpdir(), 'tranche-manifest-'));
    chain = await ensureChain({ port: 0, manifestDir });
    platform = await startPlatform({
      admin: true,
      env: {
        CHAIN_RPC_URL: chain.rpcUrl,
        CHAIN_MANIFEST_DIR: manifestDir,
        CHAINS: JSON.stringify([{ chainId: chain.chainId, name: 'Hardhat', rpcUrl: chain.rpcUrl }]),
      },
    });
    const created = await as(
      'arranger@acme.test',
      'mutation($i: CreateDealInput!) { createDeal(input: $i) { id } }',
      {
        i: {
          name: 'Browser Issuance 2026-1',
          assetClass: 'RMBS',
          currency: 'USD',
          tranches: [
            { name: 'A', seniority: 1, originalBalance: '45000000000', couponBps: 475 },
            { name: 'B', seniority: 2, originalBalance: '5000000000', couponBps: 800 },
          ],
        },
      },
    );
    dealId = (created.data as { createDeal: { id: string } }).createDeal.id;
    // The waterfall rules (what the review approves with the terms); the page does the rest.
    const demo = (name: string) => readFileSync(join(ROOT, 'packages/devstack/src/demo', name), 'utf8');
    const structured = await as(
      'arranger@acme.test',
      'mutation($id: ID!, $s: DealStructureInput!) { setDealStructure(id: $id, input: $s) { id } }',
      {
        id: dealId,
        s: { waterfallRules: demo('acme-rules.json'), collateral: demo('acme-collateral.json') },
      },
    );
    expect(structured.errors).toBeUndefined();
    browser = await launchBrowser();
  }, 240_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && browser !== undefined) {
      await reportFailure(browser, ARTIFACTS, 'issuance', task.name);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await chain?.stop();
  }, 60_000);

  it('takes the terms and the offering memorandum, and submits the deal; Deploy stays disabled', async () => {
    const { page, adminUrl } = session();
    await signIn(page, adminUrl, 'arranger@acme.test');
    await page.goto(new URL(`/#/deals/${dealId}/show/issuance`, adminUrl).href);
    await page.getByRole('textbox', { name: 'SPV legal name' }).fill('Browser Issuance 2026-1 Trust');
    await page.getByRole('textbox', { name: 'SPV jurisdiction (ISO 3166)' }).fill('US-DE');
    await page.getByRole('combobox', { name: 'Regulatory framework' }).click();
    await page.getByRole('option', { name: 'REG_D_506C' }).click();
    await page.getByRole('textbox', { name: 'Allowed countries' }).fill('US, GB');
    await page.getByRole('combobox', { name: 'Chain' }).click();
    await page.getByRole('option', { name: `Hardhat (${chain!.chainId})` }).click();
    await page.getByRole('button', { name: 'Save terms' }).click();
    await page.getByText('Terms saved').waitFor();

    const om = join(files, 'offering-memorandum.pdf');
    await writeFile(om, 'the offering memorandum of Browser Issuance 2026-1');
    await page.getByRole('textbox', { name: 'URI', exact: true }).fill('https://documents.acme.test/om.pdf');
    await page.getByLabel('document file').setInputFiles(om);
    await page.getByText(/SHA-256 [0-9a-f]{12}/).waitFor();
    await page.getByRole('button', { name: 'Add document' }).click();
    await page.getByRole('cell', { name: 'offering-memorandum.pdf' }).waitFor();

    await expect(page.getByRole('button', { name: 'Deploy' }).isDisabled()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByText('Deal status: IN_REVIEW').waitFor();
    await expect(page.getByRole('button', { name: 'Deploy' }).isDisabled()).resolves.toBe(true);
  }, 90_000);

  it('deploys once approved, showing every transaction and token', async () => {
    const { page } = session();
    const { deal } = (
      await as('arranger@acme.test', 'query($id: ID!) { deal(id: $id) { reviewChangeRequestId } }', {
        id: dealId,
      })
    ).data as { deal: { reviewChangeRequestId: string } };
    for (const who of ['compliance@acme.test', 'admin@acme.test']) {
      const res = await as(who, 'mutation($id: ID!) { approveChange(id: $id, comment: "ok") { status } }', {
        id: deal.reviewChangeRequestId,
      });
      expect(res.errors).toBeUndefined();
    }
    await page.getByText('Deal status: APPROVED').waitFor({ timeout: 30_000 });
    const deploy = page.getByRole('button', { name: 'Deploy' });
    await expect(deploy.isDisabled()).resolves.toBe(false);
    await deploy.click();
    await page.getByText(/Deployment DEPLOYED: (\d+) of \1 transactions/).waitFor({ timeout: 120_000 });
    const transactions = page.getByRole('table', { name: 'Transactions' }).getByRole('row');
    expect(await transactions.count()).toBeGreaterThan(10);
    const tokens = page.getByRole('table', { name: 'Tokens' });
    await expect(tokens.getByRole('row').count()).resolves.toBe(3);
    await expect(tokens.getByText(/0x[0-9a-fA-F]{40}/).count()).resolves.toBe(2);
    await page.getByRole('cell', { name: /✓ 0x/ }).waitFor();
    await signOut(page);
  }, 180_000);

  it('uploads a loan tape: a bad one shows its report, a good one its stratification', async () => {
    const { page, adminUrl } = session();
    await signIn(page, adminUrl, 'servicer@acme.test');
    await page.goto(new URL(`/#/deals/${dealId}/show/tape`, adminUrl).href);
    await page.getByText('No loan tape yet.').waitFor();

    const lines = sampleTapeCsv(300, 17).split('\n');
    lines[9] = lines[9]!.replace(/,(PRIMARY|SECOND_HOME|INVESTMENT),/, ',RENTED,');
    const bad = join(files, 'bad-tape.csv');
    await writeFile(bad, lines.join('\n'));
    await page.getByLabel('cut-off date').fill('2026-09-30');
    await page.getByLabel('loan tape file').setInputFiles(bad);
    await page.getByRole('button', { name: 'Upload' }).click();
    const report = page.getByRole('table', { name: 'Validation report' });
    await report.waitFor({ timeout: 30_000 });
    await expect(report.getByRole('row').nth(1).textContent()).resolves.toContain('10occupancy');

    const good = join(files, 'good-tape.csv');
    await writeFile(good, sampleTapeCsv(800, 18));
    await page.getByLabel('cut-off date').fill('2026-10-31');
    await page.getByLabel('loan tape file').setInputFiles(good);
    await page.getByRole('button', { name: 'Upload' }).click();
    const summary = page.getByTestId('stratification-summary');
    await summary.waitFor({ timeout: 60_000 });
    await expect(summary.textContent()).resolves.toContain('800 loans');
    await page.getByRole('table', { name: 'By state' }).waitFor();
    await page.getByText(/DealRegistry anchor: ANCHORED 0x/).waitFor({ timeout: 60_000 });
    const counts = await eventually(async () => {
      const res = await as(
        'servicer@acme.test',
        'query($id: ID!) { deal(id: $id) { loanTapes { status } } }',
        {
          id: dealId,
        },
      );
      return (res.data as { deal: { loanTapes: { status: string }[] } }).deal.loanTapes.map((t) => t.status);
    });
    expect(counts).toEqual(['VALIDATED', 'REJECTED']);
    expect(browser!.errors).toEqual([]);
  }, 180_000);
});
