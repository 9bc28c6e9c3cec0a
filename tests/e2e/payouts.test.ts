/**
 * A month of the platform's heartbeat on a real Hardhat node, through the gateway: the servicer's
 * report is validated and run through the waterfall, previewed against the holders at a record
 * block, approved (four-eyes), executed by a job (oracles recompute and sign, the escrow is funded,
 * the root published, the claims pushed), and reconciled holder by holder to the cent; a tampered
 * record fails reconciliation and blocks the next period until it ties again.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEV_DEPLOYER_KEY,
  DistributionManager__factory,
  ensureChain,
  MockStablecoin__factory,
  Token__factory,
  type ChainHandle,
} from '@tranche/chain';
import { JsonRpcProvider, Wallet } from 'ethers';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issuedDeal, mintTo } from '../support/payouts.js';
import { eventually, graphql, startPlatform, type TestPlatform } from '../support/platform.js';

let chain: ChainHandle;
let platform: TestPlatform;
let db: pg.Client;
let dealId = '';
const tranches: Record<string, { id: string; token: string }> = {};
const holders = {
  a1: Wallet.createRandom().address,
  a2: Wallet.createRandom().address,
  m1: Wallet.createRandom().address,
};

const as = async (email: string, query: string, variables: Record<string, unknown> = {}) =>
  graphql(platform.gatewayUrl, query, variables, await platform.token(email));

beforeAll(async () => {
  const manifestDir = mkdtempSync(join(tmpdir(), 'tranche-manifest-'));
  chain = await ensureChain({ port: 0, manifestDir });
  platform = await startPlatform({
    admin: false,
    env: { CHAIN_RPC_URL: chain.rpcUrl, CHAIN_MANIFEST_DIR: manifestDir, DISTRIBUTION_BATCH_SIZE: '1' },
  });
  db = new pg.Client({ connectionString: platform.databaseUrl });
  await db.connect();
  const issued = await issuedDeal(platform, 'Payouts 2026-1');
  dealId = issued.dealId;
  Object.assign(tranches, issued.tranches);
  // A: two holders, 3 to 1; M: one holder; B: nobody
  await mintTo(platform, db, issued, {
    name: 'Alder Pension',
    wallet: holders.a1,
    tranche: 'A',
    amount: '30000000000',
  });
  await mintTo(platform, db, issued, {
    name: 'Birch Mutual',
    wallet: holders.a2,
    tranche: 'A',
    amount: '10000000000',
  });
  await mintTo(platform, db, issued, {
    name: 'Cedar Trust',
    wallet: holders.m1,
    tranche: 'M',
    amount: '6000000000',
  });
}, 400_000);

afterAll(async () => {
  await db?.end();
  await platform?.stop();
  await chain?.stop();
}, 60_000);

const REPORT = {
  period: 1,
  poolBalanceBegin: '500000000.00',
  interestCollected: '2100000.00',
  scheduledPrincipal: '600000.00',
  prepayments: '1400000.00',
  poolBalanceEnd: '498000000.00',
};
const SUBMIT =
  'mutation($d: ID!, $r: String!) { submitServicerReport(dealId: $d, report: $r) { id period status reportSha256 inputSha256 engineVersion } }';

describe('a month: report, waterfall, preview, approval, execution, reconciliation', () => {
  let reportId = '';
  let executionPayload = '';

  it('refuses a report that does not roll forward, for the wrong period, or from the wrong role or tenant, storing nothing', async () => {
    const bad = await as('servicer@acme.test', SUBMIT, {
      d: dealId,
      r: JSON.stringify({ ...REPORT, poolBalanceEnd: '498000000.01' }),
    });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(Object.keys(bad.errors?.[0]?.extensions?.fields as object)).toEqual(['report.poolBalanceEnd']);
    const wrongPeriod = await as('servicer@acme.test', SUBMIT, {
      d: dealId,
      r: JSON.stringify({ ...REPORT, period: 2 }),
    });
    expect(Object.keys(wrongPeriod.errors?.[0]?.extensions?.fields as object)).toEqual(['report.period']);
    const notJson = await as('servicer@acme.test', SUBMIT, { d: dealId, r: '{period: 1' });
    expect(notJson.errors?.[0]?.extensions?.fields).toEqual({ report: 'not JSON' });
    const investor = await as('investor@acme.test', SUBMIT, { d: dealId, r: JSON.stringify(REPORT) });
    expect(investor.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const otherTenant = await as('servicer@borealis.test', SUBMIT, { d: dealId, r: JSON.stringify(REPORT) });
    expect(otherTenant.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // the same as a servicer's CSV, and pulled from the servicer's file drop (nothing delivered yet)
    const csv = await as(
      'servicer@acme.test',
      'mutation($d: ID!, $r: String!) { submitServicerReport(dealId: $d, report: $r, format: CSV) { id } }',
      {
        d: dealId,
        r: 'period,pool_balance_begin,interest_collected,scheduled_principal,prepayments,pool_balance_end\n1,500000000.00,2100000.00,600000.00,1400000.00,498000000.01\n',
      },
    );
    expect(Object.keys(csv.errors?.[0]?.extensions?.fields as object)).toEqual(['report.poolBalanceEnd']);
    const pulled = await as(
      'servicer@acme.test',
      'mutation($d: ID!) { pullServicerReport(dealId: $d, period: 1) { id } }',
      {
        d: dealId,
      },
    );
    expect(pulled.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const stored = await db.query(
      'select count(*)::int as n from distributions.servicer_report where deal_id = $1',
      [dealId],
    );
    expect(stored.rows[0].n).toBe(0);
  });

  it('runs the report through the waterfall and previews each holder’s payout at a record block', async () => {
    const submitted = await as('servicer@acme.test', SUBMIT, { d: dealId, r: JSON.stringify(REPORT) });
    expect(submitted.errors).toBeUndefined();
    const report = (
      submitted.data as {
        submitServicerReport: { id: string; status: string; engineVersion: string; inputSha256: string };
      }
    ).submitServicerReport;
    expect(report).toMatchObject({ status: 'PROPOSED', engineVersion: '0.1.0' });
    expect(report.inputSha256).toMatch(/^[0-9a-f]{64}$/);
    reportId = report.id;
    const preview = await as(
      'servicer@acme.test',
      `mutation($d: ID!) { previewDistribution(dealId: $d, period: 1) {
         report { status recordBlock } roundingRule executionPayload
         totals { grossCollections feesAndExpenses netDistributable recipients }
         payouts { classId classCash total remainder recipients merkleRoot } } }`,
      { d: dealId },
    );
    expect(preview.errors).toBeUndefined();
    const p = (
      preview.data as {
        previewDistribution: {
          report: { status: string; recordBlock: number };
          executionPayload: string;
          totals: Record<string, unknown>;
          payouts: {
            classId: string;
            classCash: string;
            total: string;
            remainder: string;
            recipients: number;
          }[];
        };
      }
    ).previewDistribution;
    executionPayload = p.executionPayload;
    expect(p.report.status).toBe('PENDING');
    expect(p.totals).toEqual({
      grossCollections: '4100000.00',
      feesAndExpenses: '4166.67',
      netDistributable: '4095833.33',
      recipients: 3,
    });
    const byClass = Object.fromEntries(p.payouts.map((x) => [x.classId, x]));
    // A: 1,583,333.33 interest + 2,000,000.00 principal, in 6-decimal stablecoin units, split 3:1
    expect(byClass.A).toMatchObject({
      classCash: '358333333',
      total: '3583333330000',
      remainder: '0',
      recipients: 2,
    });
    expect(byClass.M).toMatchObject({ classCash: '31250000', total: '312500000000', recipients: 1 });
    expect(byClass.B).toMatchObject({
      classCash: '20000000',
      total: '0',
      remainder: '200000000000',
      recipients: 0,
    });
  });

  it('executes only with an approved change request for exactly these payouts, then pays every holder once and reconciles', async () => {
    const EXECUTE =
      'mutation($id: ID!, $cr: ID) { executeDistribution(id: $id, changeRequestId: $cr) { status } }';
    const bare = await as('servicer@acme.test', EXECUTE, { id: reportId });
    expect(bare.errors?.[0]?.extensions?.code).toBe('APPROVAL_REQUIRED');
    const request = async (payload: string) => {
      const r = await as(
        'servicer@acme.test',
        'mutation($i: RequestChangeInput!) { requestChange(input: $i) { id } }',
        {
          i: {
            type: 'distribution.execute',
            dealId,
            title: 'Pay period 1',
            rationale: 'Monthly distribution',
            payload,
          },
        },
      );
      const id = (r.data as { requestChange: { id: string } }).requestChange.id;
      const self = await as(
        'servicer@acme.test',
        'mutation($id: ID!) { approveChange(id: $id) { status } }',
        { id },
      );
      expect(self.errors?.[0]?.extensions?.code).toBe('FORBIDDEN'); // four-eyes
      await as('compliance@acme.test', 'mutation($id: ID!) { approveChange(id: $id) { status } }', { id });
      return id;
    };
    // an approval of other payouts does not execute these
    const tampered = JSON.parse(executionPayload) as { tranches: { total: string }[] };
    tampered.tranches[0]!.total = '1';
    const wrong = await request(JSON.stringify(tampered));
    const refused = await as('servicer@acme.test', EXECUTE, { id: reportId, cr: wrong });
    expect(refused.errors?.[0]?.extensions?.code).toBe('APPROVAL_REQUIRED');
    const cr = await request(executionPayload);
    const started = await as('servicer@acme.test', EXECUTE, { id: reportId, cr });
    expect(started.errors).toBeUndefined();
    const again = await as('servicer@acme.test', EXECUTE, { id: reportId, cr });
    expect(again.errors?.[0]?.extensions?.code).toMatch(/CONFLICT|APPROVAL_REQUIRED/);
    const done = await eventually(async () => {
      const r = await db.query(
        'select status, progress, error, reconciliation from distributions.servicer_report where id = $1',
        [reportId],
      );
      return ['RECONCILED', 'EXECUTED', 'FAILED'].includes(r.rows[0].status) ? r.rows[0] : undefined;
    }, 120_000);
    expect(done.error).toBeNull();
    expect(done.status).toBe('RECONCILED');
    expect(done.progress).toBe(100);
    const provider = new JsonRpcProvider(chain.rpcUrl);
    try {
      const coin = MockStablecoin__factory.connect(chain.manifest.contracts.stablecoin!.address, provider);
      expect(await coin.balanceOf(holders.a1)).toBe(2_687_499_997_500n); // 3/4 of 3,583,333.33, floored
      expect(await coin.balanceOf(holders.a2)).toBe(895_833_332_500n);
      expect(await coin.balanceOf(holders.m1)).toBe(312_500_000_000n);
      const dm = DistributionManager__factory.connect(
        chain.manifest.contracts.distributionManager.address,
        provider,
      );
      const payouts = await db.query(
        'select distribution_id, total from distributions.tranche_payout where report_id = $1 and total > 0',
        [reportId],
      );
      for (const row of payouts.rows) {
        const d = await dm.distribution(row.distribution_id);
        expect(d.claimed).toBe(BigInt(row.total));
        expect(d.funded).toBe(BigInt(row.total));
      }
    } finally {
      provider.destroy();
    }
  });

  it('lists each holder’s payout with what the chain paid them, to the roles that may see wallets', async () => {
    const query = `query($id: ID!) { servicerReport(id: $id) { payouts { classId holders(page: { offset: 0, limit: 10 }) {
      total items { index account amount paid status } } } } }`;
    const res = await as('auditor@acme.test', query, { id: reportId });
    expect(res.errors).toBeUndefined();
    const payouts = (
      res.data as {
        servicerReport: {
          payouts: {
            classId: string;
            holders: {
              total: number;
              items: { index: number; account: string; amount: string; paid: string; status: string }[];
            };
          }[];
        };
      }
    ).servicerReport.payouts;
    const a = payouts.find((p) => p.classId === 'A')!;
    expect(a.holders.total).toBe(2);
    expect(a.holders.items).toEqual(
      expect.arrayContaining([
        {
          index: expect.any(Number),
          account: holders.a1,
          amount: '2687499997500',
          paid: '2687499997500',
          status: 'PAID',
        },
        {
          index: expect.any(Number),
          account: holders.a2,
          amount: '895833332500',
          paid: '895833332500',
          status: 'PAID',
        },
      ]),
    );
    const page = await as(
      'servicer@acme.test',
      `query($id: ID!) { servicerReport(id: $id) { payouts { classId holders(page: { offset: 1, limit: 1 }) { total items { index } } } } }`,
      { id: reportId },
    );
    const paged = (
      page.data as {
        servicerReport: { payouts: { classId: string; holders: { total: number; items: unknown[] } }[] };
      }
    ).servicerReport.payouts.find((p) => p.classId === 'A')!;
    expect(paged.holders).toEqual({ total: 2, items: [{ index: 1 }] });
    const arranger = await as('arranger@acme.test', query, { id: reportId });
    expect(arranger.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('a re-run of the execution job pays nobody twice, even with a batch’s transaction record lost', async () => {
    const provider = new JsonRpcProvider(chain.rpcUrl);
    const coin = MockStablecoin__factory.connect(chain.manifest.contracts.stablecoin!.address, provider);
    const before = await Promise.all(Object.values(holders).map((h) => coin.balanceOf(h)));
    try {
      // the worker died after its last batch was mined but before anything after it was recorded:
      // the queue runs the job again, and the record of that batch is gone too
      const lost = await db.query(
        `delete from distributions.chain_transaction where key = (select key from distributions.chain_transaction
           where key like 'payout:%:batch:%' order by updated_at desc limit 1) returning key`,
      );
      expect(lost.rowCount).toBe(1);
      await db.query(
        `update distributions.servicer_report set status = 'APPROVED', progress = 0 where id = $1`,
        [reportId],
      );
      await db.query(
        `select graphile_worker.add_job('distributions:execute', json_build_object('reportId', $1::text))`,
        [reportId],
      );
      const done = await eventually(async () => {
        const r = await db.query('select status, error from distributions.servicer_report where id = $1', [
          reportId,
        ]);
        return ['RECONCILED', 'EXECUTED', 'FAILED'].includes(r.rows[0].status) ? r.rows[0] : undefined;
      }, 60_000);
      expect(done).toEqual({ status: 'RECONCILED', error: null });
      // the resent batch was skipped on-chain (already claimed): the balances did not move
      const after = await Promise.all(Object.values(holders).map((h) => coin.balanceOf(h)));
      expect(after).toEqual(before);
    } finally {
      provider.destroy();
    }
  });

  it('detects a tampered payout record, blocks the next period, and reconciles again once it ties', async () => {
    const RECONCILE = 'mutation($id: ID!) { reconcileDistribution(id: $id) { status reconciliation } }';
    const original = await db.query(
      `select id, leaves from distributions.tranche_payout where report_id = $1 and class_id = 'A'`,
      [reportId],
    );
    const leaves = original.rows[0].leaves as [number, string, string][];
    const edited = leaves.map(([i, a, v], k) => [i, a, k === 0 ? (BigInt(v) + 1n).toString() : v]);
    await db.query('update distributions.tranche_payout set leaves = $2 where id = $1', [
      original.rows[0].id,
      JSON.stringify(edited),
    ]);
    const differs = await as('auditor@acme.test', RECONCILE, { id: reportId });
    const r = (differs.data as { reconcileDistribution: { status: string; reconciliation: string } })
      .reconcileDistribution;
    expect(r.status).toBe('EXECUTED');
    const detail = JSON.parse(r.reconciliation) as {
      ties: boolean;
      tranches: { differences: { index: number }[] }[];
    };
    expect(detail.ties).toBe(false);
    expect(detail.tranches.flatMap((t) => t.differences.map((x) => x.index))).toEqual([0]);
    const blocked = await as('servicer@acme.test', SUBMIT, {
      d: dealId,
      r: JSON.stringify({
        ...REPORT,
        period: 2,
        poolBalanceBegin: '498000000.00',
        poolBalanceEnd: '496000000.00',
      }),
    });
    expect(blocked.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    await db.query('update distributions.tranche_payout set leaves = $2 where id = $1', [
      original.rows[0].id,
      JSON.stringify(leaves),
    ]);
    const ties = await as('auditor@acme.test', RECONCILE, { id: reportId });
    expect((ties.data as { reconcileDistribution: { status: string } }).reconcileDistribution.status).toBe(
      'RECONCILED',
    );
    // the deal's state advanced: the next report is period 2 and starts from this one's end
    const next = await as('servicer@acme.test', SUBMIT, {
      d: dealId,
      r: JSON.stringify({
        ...REPORT,
        period: 2,
        poolBalanceBegin: '498000000.00',
        poolBalanceEnd: '496000000.00',
      }),
    });
    expect(next.errors).toBeUndefined();
    expect((next.data as { submitServicerReport: { period: number } }).submitServicerReport.period).toBe(2);
  });

  it('pays only holders still eligible on-chain, reports who was not paid, and sweeps their share back after the deadline', async () => {
    const provider = new JsonRpcProvider(chain.rpcUrl);
    try {
      const agent = new Wallet(DEV_DEPLOYER_KEY, provider);
      const coin = MockStablecoin__factory.connect(chain.manifest.contracts.stablecoin!.address, provider);
      // period 2 was submitted above; preview it, then a holder is frozen before it is paid
      const preview = await as(
        'servicer@acme.test',
        'mutation($d: ID!) { previewDistribution(dealId: $d, period: 2) { report { id } executionPayload } }',
        { d: dealId },
      );
      expect(preview.errors).toBeUndefined();
      const { report, executionPayload: payload } = (
        preview.data as { previewDistribution: { report: { id: string }; executionPayload: string } }
      ).previewDistribution;
      await (
        await Token__factory.connect(tranches.A!.token, agent).setAddressFrozen(holders.a2, true)
      ).wait();
      const before = await coin.balanceOf(holders.a2);
      const r = await as(
        'servicer@acme.test',
        'mutation($i: RequestChangeInput!) { requestChange(input: $i) { id } }',
        {
          i: {
            type: 'distribution.execute',
            dealId,
            title: 'Pay period 2',
            rationale: 'Monthly distribution',
            payload,
          },
        },
      );
      const cr = (r.data as { requestChange: { id: string } }).requestChange.id;
      await as('compliance@acme.test', 'mutation($id: ID!) { approveChange(id: $id) { status } }', {
        id: cr,
      });
      const started = await as(
        'servicer@acme.test',
        'mutation($id: ID!, $cr: ID) { executeDistribution(id: $id, changeRequestId: $cr) { status } }',
        {
          id: report.id,
          cr,
        },
      );
      expect(started.errors).toBeUndefined();
      const done = await eventually(async () => {
        const x = await db.query(
          'select status, reconciliation from distributions.servicer_report where id = $1',
          [report.id],
        );
        return ['RECONCILED', 'EXECUTED', 'FAILED'].includes(x.rows[0].status) ? x.rows[0] : undefined;
      }, 120_000);
      // the frozen holder was skipped on-chain: the difference is reported and blocks period 3
      expect(done.status).toBe('EXECUTED');
      const detail = JSON.parse(done.reconciliation) as {
        tranches: { differences: { account: string; paid: string }[] }[];
      };
      expect(detail.tranches.flatMap((t) => t.differences)).toEqual([
        expect.objectContaining({ account: holders.a2, paid: '0' }),
      ]);
      expect(await coin.balanceOf(holders.a2)).toBe(before);
      // 91 days later the unclaimed share goes back to the treasury
      await provider.send('evm_increaseTime', [91 * 86_400]);
      await provider.send('evm_mine', []);
      await db.query(
        `update distributions.tranche_payout set claim_deadline = now() - interval '1 second' where report_id = $1`,
        [report.id],
      );
      await db.query(`select graphile_worker.add_job('distributions:sweep')`);
      const swept = await eventually(async () => {
        const x = await db.query(
          `select swept, swept_tx, distribution_id from distributions.tranche_payout where report_id = $1 and class_id = 'A'`,
          [report.id],
        );
        return x.rows[0].swept_tx ? x.rows[0] : undefined;
      }, 30_000);
      const dm = DistributionManager__factory.connect(
        chain.manifest.contracts.distributionManager.address,
        provider,
      );
      const onChain = await dm.distribution(swept.distribution_id);
      expect(onChain.swept).toBe(true);
      expect(BigInt(swept.swept)).toBe(onChain.funded - onChain.claimed);
      expect(BigInt(swept.swept)).toBeGreaterThan(0n);
    } finally {
      provider.destroy();
    }
  });

  it('shows the linked investor their position’s factor, current value and the distributions the chain paid them', async () => {
    const alder = await db.query(`select id from investors.investor where legal_name = 'Alder Pension'`);
    await as(
      'compliance@acme.test',
      'mutation($id: ID!) { updateInvestorProfile(investorId: $id, input: { portalSubject: "acme-investor" }) { id } }',
      {
        id: alder.rows[0].id,
      },
    );
    const r = await as(
      'investor@acme.test',
      '{ portfolio { wallet positions { trancheId balance factor currentValue distributionsReceived } } }',
    );
    expect(r.errors).toBeUndefined();
    const p = (
      r.data as {
        portfolio: {
          wallet: string;
          positions: {
            trancheId: string;
            balance: string;
            factor: number;
            currentValue: string;
            distributionsReceived: string;
          }[];
        };
      }
    ).portfolio;
    expect(p.wallet).toBe(holders.a1);
    const [position] = p.positions;
    // two periods each paid class A 2,000,000.00 of principal: 396,000,000 of 400,000,000 remain
    expect(position).toMatchObject({
      trancheId: tranches.A!.id,
      balance: '30000000000',
      currentValue: '29700000000',
    });
    expect(position!.factor).toBeCloseTo(0.99, 9);
    const provider = new JsonRpcProvider(chain.rpcUrl);
    try {
      const coin = MockStablecoin__factory.connect(chain.manifest.contracts.stablecoin!.address, provider);
      expect(BigInt(position!.distributionsReceived)).toBe(await coin.balanceOf(holders.a1));
    } finally {
      provider.destroy();
    }
  });

  it('gives each investor statements that tie to the chain to the unit, as CSV and PDF, and only their own', async () => {
    const ids = await db.query(
      `select id, legal_name from investors.investor where legal_name in ('Alder Pension', 'Birch Mutual')`,
    );
    const alder = ids.rows.find((r) => r.legal_name === 'Alder Pension').id as string;
    const birch = ids.rows.find((r) => r.legal_name === 'Birch Mutual').id as string;
    const year = new Date().getUTCFullYear();
    const STATEMENT = `query($id: ID!, $y: Int!) { investorStatement(investorId: $id, year: $y) {
      wallet lines { tranche period amount interest principal } totals { amount interest principal }
      taxSummary { tranche interestIncome principalReturned } csvPath pdfPath taxSummaryPdfPath } }`;
    const mine = await as('investor@acme.test', STATEMENT, { id: alder, y: year });
    expect(mine.errors).toBeUndefined();
    const st = (
      mine.data as {
        investorStatement: {
          lines: { amount: string; interest: string; principal: string }[];
          totals: { amount: string; interest: string; principal: string };
          taxSummary: { interestIncome: string }[];
          csvPath: string;
          pdfPath: string;
          taxSummaryPdfPath: string;
        };
      }
    ).investorStatement;
    expect(st.lines).toHaveLength(2);
    for (const l of st.lines) expect(BigInt(l.interest) + BigInt(l.principal)).toBe(BigInt(l.amount));
    const provider = new JsonRpcProvider(chain.rpcUrl);
    try {
      const coin = MockStablecoin__factory.connect(chain.manifest.contracts.stablecoin!.address, provider);
      expect(BigInt(st.totals.amount)).toBe(await coin.balanceOf(holders.a1));
    } finally {
      provider.destroy();
    }
    expect(st.taxSummary.reduce((s, t) => s + BigInt(t.interestIncome), 0n)).toBe(BigInt(st.totals.interest));
    const base = platform.gatewayUrl.replace(/\/graphql$/, '');
    const token = await platform.token('investor@acme.test');
    const csv = await fetch(`${base}${st.csvPath}`, { headers: { authorization: `Bearer ${token}` } });
    expect(csv.status).toBe(200);
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toBe(
      'paid_at,deal,tranche,period,amount_usdc,interest_usdc,principal_usdc,distribution_id',
    );
    const total = text
      .split('\r\n')
      .find((l) => l.startsWith('total'))!
      .split(',');
    expect(total[4]!.replace('.', '')).toBe(st.totals.amount.padStart(7, '0'));
    for (const path of [st.pdfPath, st.taxSummaryPdfPath]) {
      const pdf = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(
        Buffer.from(await pdf.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
    }
    // another investor's statement: refused to the investor, given to staff; nothing for another tenant
    const theirs = await as('investor@acme.test', STATEMENT, { id: birch, y: year });
    expect(theirs.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const download = await fetch(`${base}/statements/${birch}/${year}.csv`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(download.status).toBe(403);
    const staff = await as('compliance@acme.test', STATEMENT, { id: birch, y: year });
    expect(staff.errors).toBeUndefined();
    const otherTenant = await as('compliance@borealis.test', STATEMENT, { id: alder, y: year });
    expect(otherTenant.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const anonymous = await fetch(`${base}${st.csvPath}`);
    expect(anonymous.status).toBe(401);
  });
});
