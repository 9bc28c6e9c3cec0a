/**
 * An issued deal with cleared holders, for the distribution tests: the demo's rules and collateral,
 * issued on the chain through the API, and investors minted their tranche tokens through approved
 * `token.mint` change requests. Also the monthly servicer report and the steps that take it to an
 * executed distribution (preview, four-eyes approval, execution).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { takeDealThroughIssuance } from '@tranche/devstack';
import type pg from 'pg';
import { eventually, graphql, ROOT, type TestPlatform } from './platform.js';

export interface IssuedDeal {
  dealId: string;
  /** By tranche name (A, M, B): its id and token address. */
  tranches: Record<string, { id: string; token: string }>;
}

const caller =
  (platform: TestPlatform) =>
  async (email: string, query: string, variables: Record<string, unknown> = {}) => {
    const res = await graphql(platform.gatewayUrl, query, variables, await platform.token(email));
    if (res.errors) throw new Error(`${email}: ${JSON.stringify(res.errors)}`);
    return (res.data ?? {}) as Record<string, unknown>;
  };

/** Creates, structures and issues a three-tranche deal (A 400M, M 60M, B 40M) named `name`. */
export async function issuedDeal(platform: TestPlatform, name: string): Promise<IssuedDeal> {
  const as = caller(platform);
  const demo = (file: string) => readFileSync(resolve(ROOT, 'packages/devstack/src/demo', file), 'utf8');
  const { createDeal } = (await as(
    'arranger@acme.test',
    'mutation($i: CreateDealInput!) { createDeal(input: $i) { id } }',
    {
      i: {
        name,
        assetClass: 'RMBS',
        currency: 'USD',
        tranches: [
          { name: 'A', seniority: 1, originalBalance: '40000000000', couponBps: 475 },
          { name: 'M', seniority: 2, originalBalance: '6000000000', couponBps: 625 },
          { name: 'B', seniority: 3, originalBalance: '4000000000', couponBps: 850 },
        ],
      },
    },
  )) as { createDeal: { id: string } };
  const dealId = createDeal.id;
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
    name,
    terms: {
      regulatoryFramework: 'REG_S',
      accreditedOnly: false,
      allowedCountries: ['GB'],
      minimumInvestment: '1000000',
    },
  });
  const { deal } = (await as(
    'arranger@acme.test',
    'query($id: ID!) { deal(id: $id) { tranches { id name } issuance { tokens { tranche address } } } }',
    { id: dealId },
  )) as {
    deal: {
      tranches: { id: string; name: string }[];
      issuance: { tokens: { tranche: string; address: string }[] };
    };
  };
  const tranches: IssuedDeal['tranches'] = {};
  for (const t of deal.tranches)
    tranches[t.name] = { id: t.id, token: deal.issuance.tokens.find((k) => k.tranche === t.name)!.address };
  return { dealId, tranches };
}

/**
 * A cleared investor (KYC and screening set directly: they have their own tests) holding `amount`
 * of tranche `tranche` at `wallet`, minted through an approved token.mint change request.
 */
export async function mintTo(
  platform: TestPlatform,
  db: pg.Client,
  deal: IssuedDeal,
  holder: { name: string; wallet: string; tranche: string; amount: string },
): Promise<void> {
  const as = caller(platform);
  const { createInvestor } = (await as(
    'compliance@acme.test',
    'mutation($i: CreateInvestorInput!) { createInvestor(input: $i) { id } }',
    {
      i: { legalName: holder.name, kind: 'ENTITY', jurisdiction: 'GB', dealIds: [deal.dealId] },
    },
  )) as { createInvestor: { id: string } };
  await db.query(
    `update investors.investor set kyc_status = 'VERIFIED', kyc_expires_at = now() + interval '300 days', sanctions_status = 'CLEAR', wallet_address = $2 where id = $1`,
    [createInvestor.id, holder.wallet],
  );
  const trancheId = deal.tranches[holder.tranche]!.id;
  const { subscribe } = (await as(
    'compliance@acme.test',
    'mutation($i: SubscribeInput!) { subscribe(input: $i) { id } }',
    {
      i: { investorId: createInvestor.id, trancheId, amount: holder.amount },
    },
  )) as { subscribe: { id: string } };
  const { requestChange } = (await as(
    'arranger@acme.test',
    'mutation($i: RequestChangeInput!) { requestChange(input: $i) { id } }',
    {
      i: {
        type: 'token.mint',
        dealId: deal.dealId,
        title: `Mint ${holder.name}`,
        rationale: 'Allocation',
        payload: JSON.stringify({
          subscriptionId: subscribe.id,
          trancheId,
          wallet: holder.wallet,
          amount: holder.amount,
        }),
      },
    },
  )) as { requestChange: { id: string } };
  await as('compliance@acme.test', 'mutation($id: ID!) { approveChange(id: $id) { status } }', {
    id: requestChange.id,
  });
  await as(
    'arranger@acme.test',
    'mutation($id: ID!, $a: BigInt!, $cr: ID) { allocateSubscription(id: $id, amount: $a, changeRequestId: $cr) { status } }',
    { id: subscribe.id, a: holder.amount, cr: requestChange.id },
  );
  await eventually(async () => {
    const r = await db.query('select status from investors.subscription where id = $1', [subscribe.id]);
    return r.rows[0]?.status === 'MINTED' ? true : undefined;
  }, 60_000);
}

/** The servicer's report of period `period` of a pool that starts at 500M and pays 2M a month. */
export function monthlyReport(period: number): Record<string, unknown> {
  const begin = 500_000_000 - (period - 1) * 2_000_000;
  return {
    period,
    poolBalanceBegin: `${begin}.00`,
    interestCollected: '2100000.00',
    scheduledPrincipal: '600000.00',
    prepayments: '1400000.00',
    poolBalanceEnd: `${begin - 2_000_000}.00`,
  };
}

/**
 * Submits and previews period `period`'s report, and has its execution approved (servicer asks,
 * compliance approves): returns the report id and the approved change request, ready to execute.
 */
export async function approvedDistribution(
  platform: TestPlatform,
  dealId: string,
  period: number,
): Promise<{ reportId: string; changeRequestId: string }> {
  const as = caller(platform);
  const { submitServicerReport } = (await as(
    'servicer@acme.test',
    'mutation($d: ID!, $r: String!) { submitServicerReport(dealId: $d, report: $r) { id } }',
    { d: dealId, r: JSON.stringify(monthlyReport(period)) },
  )) as { submitServicerReport: { id: string } };
  const { previewDistribution } = (await as(
    'servicer@acme.test',
    'mutation($d: ID!, $p: Int!) { previewDistribution(dealId: $d, period: $p) { executionPayload } }',
    { d: dealId, p: period },
  )) as { previewDistribution: { executionPayload: string } };
  const { requestChange } = (await as(
    'servicer@acme.test',
    'mutation($i: RequestChangeInput!) { requestChange(input: $i) { id } }',
    {
      i: {
        type: 'distribution.execute',
        dealId,
        title: `Pay period ${period}`,
        rationale: 'Monthly distribution',
        payload: previewDistribution.executionPayload,
      },
    },
  )) as { requestChange: { id: string } };
  await as('compliance@acme.test', 'mutation($id: ID!) { approveChange(id: $id) { status } }', {
    id: requestChange.id,
  });
  return { reportId: submitServicerReport.id, changeRequestId: requestChange.id };
}
