/**
 * Issuance through the gateway on a real Hardhat node: an arranger proposes a deal with its legal
 * terms and offering memorandum and submits it for review; the review is a change request that
 * compliance and an admin approve (the arranger cannot); only then does `issueDeal` deploy one
 * T-REX token per tranche and register the deal and its documents in DealRegistry, as a job with
 * progress; the tokens refuse an unverified holder. Bad inputs, wrong roles and tenants, and an
 * issue before approval are refused with nothing written.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DEV_DEPLOYER_KEY,
  DealRegistry__factory,
  onChainDealId,
  Token__factory,
  type ChainHandle,
} from '@tranche/chain';
import { JsonRpcProvider, Wallet } from 'ethers';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, graphql, ROOT, startPlatformOnChain, type TestPlatform } from '../support/platform.js';

let chain: ChainHandle;
let platform: TestPlatform;
let db: pg.Client;
let stop = async (): Promise<void> => {};

beforeAll(async () => {
  ({ chain, platform, db, stop } = await startPlatformOnChain());
}, 240_000);

afterAll(() => stop(), 60_000);

const demo = (name: string) => readFileSync(resolve(ROOT, 'packages/devstack/src/demo', name), 'utf8');

const as = async (email: string, query: string, variables: Record<string, unknown> = {}) =>
  graphql(platform.gatewayUrl, query, variables, await platform.token(email));

const DEAL_STATE = `query($id: ID!) { deal(id: $id) {
  id status reviewChangeRequestId chainId
  issuance { status progress stepsDone stepsTotal chainId onChainDealId error
    tokens { tranche symbol status address deployTx }
    transactions { step txHash gasUsed contractAddress } }
} }`;

interface Issuance {
  status: string;
  progress: number;
  stepsDone: number;
  stepsTotal: number;
  chainId: number;
  onChainDealId: string;
  error: string | null;
  tokens: {
    tranche: string;
    symbol: string;
    status: string;
    address: string | null;
    deployTx: string | null;
  }[];
  transactions: { step: string; txHash: string; gasUsed: string; contractAddress: string | null }[];
}
interface DealState {
  id: string;
  status: string;
  reviewChangeRequestId: string | null;
  chainId: number | null;
  issuance: Issuance | null;
}

const state = async (email: string, id: string) =>
  (await as(email, DEAL_STATE, { id })).data as { deal: DealState | null } | undefined;

const TERMS = {
  spvName: 'Issuance Test 2026-1 Trust',
  spvJurisdiction: 'US-DE',
  regulatoryFramework: 'REG_D_506C',
  accreditedOnly: true,
  allowedCountries: ['US', 'GB'],
  minimumInvestment: '10000000',
  lockUpDays: 0,
};

let dealId = '';

describe('issuing a deal', () => {
  it('creates and structures a PROPOSED deal', async () => {
    const created = await as(
      'arranger@acme.test',
      `mutation($i: CreateDealInput!) { createDeal(input: $i) { id status } }`,
      {
        i: {
          name: 'Issuance Test 2026-1',
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
    expect(created.errors).toBeUndefined();
    const deal = (created.data as { createDeal: { id: string; status: string } }).createDeal;
    expect(deal.status).toBe('PROPOSED');
    dealId = deal.id;
    const structured = await as(
      'arranger@acme.test',
      'mutation($id: ID!, $s: DealStructureInput!) { setDealStructure(id: $id, input: $s) { id } }',
      {
        id: dealId,
        s: { waterfallRules: demo('acme-rules.json'), collateral: demo('acme-collateral.json') },
      },
    );
    expect(structured.errors).toBeUndefined();
  });

  it('refuses a submission for review that lacks terms, naming each missing one, and changes nothing', async () => {
    const res = await as(
      'arranger@acme.test',
      'mutation($id: ID!) { submitDealForReview(id: $id) { status } }',
      {
        id: dealId,
      },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(Object.keys(res.errors?.[0]?.extensions?.fields as object).sort()).toEqual([
      'allowedCountries',
      'chainId',
      'documents',
      'regulatoryFramework',
      'spvJurisdiction',
      'spvName',
    ]);
    expect((await state('arranger@acme.test', dealId))?.deal?.status).toBe('PROPOSED');
  });

  it('refuses terms a securities lawyer would refuse', async () => {
    const SET = 'mutation($id: ID!, $t: DealTermsInput!) { setDealTerms(id: $id, input: $t) { id } }';
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ regulatoryFramework: 'REG_S', allowedCountries: ['US', 'GB'] }, 'allowedCountries', /excludes US/],
      [{ regulatoryFramework: 'REG_D_506C', accreditedOnly: false }, 'accreditedOnly', /accredited/],
      [{ spvJurisdiction: 'XX-ZZ' }, 'spvJurisdiction', /ISO 3166/],
      [{ allowedCountries: ['US', 'QQ'] }, 'allowedCountries', /QQ/],
      [{ allowedCountries: ['US', 'US'] }, 'allowedCountries', /twice/],
      [{ chainId: 999_999 }, 'chainId', /not a configured chain/],
      [{ minimumInvestment: '-5' }, 'minimumInvestment', /between/],
    ];
    for (const [terms, field, message] of cases) {
      const res = await as('arranger@acme.test', SET, { id: dealId, t: terms });
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(terms)).toBe('BAD_USER_INPUT');
      expect((res.errors?.[0]?.extensions?.fields as Record<string, string>)[field]).toMatch(message);
    }
    const row = await db.query(
      'select spv_name, regulatory_framework, chain_id from deals.deal where id = $1',
      [dealId],
    );
    expect(row.rows[0]).toEqual({ spv_name: null, regulatory_framework: null, chain_id: null });
    const investor = await as('investor@acme.test', SET, { id: dealId, t: { spvName: 'X' } });
    expect(investor.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const other = await as('arranger@borealis.test', SET, { id: dealId, t: { spvName: 'X' } });
    expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('takes the terms and the offering memorandum, and submits the deal: IN_REVIEW with a HIGH-risk change request', async () => {
    const terms = await as(
      'arranger@acme.test',
      'mutation($id: ID!, $t: DealTermsInput!) { setDealTerms(id: $id, input: $t) { chainId allowedCountries } }',
      { id: dealId, t: { ...TERMS, chainId: chain.chainId } },
    );
    expect(terms.errors).toBeUndefined();
    const doc = await as(
      'arranger@acme.test',
      'mutation($id: ID!, $d: DealDocumentInput!) { addDealDocument(dealId: $id, input: $d) { id sha256 } }',
      {
        id: dealId,
        d: {
          kind: 'OFFERING_MEMORANDUM',
          title: 'Offering memorandum',
          sha256: 'AB'.repeat(32),
          uri: 'https://documents.acme.test/om.pdf',
        },
      },
    );
    expect(doc.errors).toBeUndefined();
    expect((doc.data as { addDealDocument: { sha256: string } }).addDealDocument.sha256).toBe(
      'ab'.repeat(32),
    );
    const submitted = await as(
      'arranger@acme.test',
      'mutation($id: ID!) { submitDealForReview(id: $id) { status reviewChangeRequestId } }',
      { id: dealId },
    );
    expect(submitted.errors).toBeUndefined();
    const { status, reviewChangeRequestId } = (
      submitted.data as { submitDealForReview: { status: string; reviewChangeRequestId: string } }
    ).submitDealForReview;
    expect(status).toBe('IN_REVIEW');
    const request = await eventually(async () => {
      const res = await as(
        'compliance@acme.test',
        'query($id: ID!) { changeRequest(id: $id) { type riskLevel status dealId requestedBy } }',
        {
          id: reviewChangeRequestId,
        },
      );
      return (
        (res.data as { changeRequest: Record<string, unknown> | null } | undefined)?.changeRequest ??
        undefined
      );
    });
    expect(request).toMatchObject({ type: 'deal.issue', riskLevel: 'HIGH', status: 'PENDING', dealId });
    expect(request.requestedBy).toBe('user:arranger@acme.test');
    // Frozen: the terms under review no longer change.
    const rename = await as(
      'arranger@acme.test',
      'mutation($id: ID!) { updateDeal(id: $id, input: { name: "Renamed" }) { id } }',
      {
        id: dealId,
      },
    );
    expect(rename.errors?.[0]?.extensions?.fields).toEqual({
      status: 'the terms of a IN_REVIEW deal are frozen (only PROPOSED deals change)',
    });
  });

  it('refuses to issue before the review is approved, and the arranger cannot approve their own review', async () => {
    const early = await as('arranger@acme.test', 'mutation($id: ID!) { issueDeal(id: $id) { status } }', {
      id: dealId,
    });
    expect(early.errors?.[0]?.extensions?.code).toBe('APPROVAL_REQUIRED');
    const deal = (await state('arranger@acme.test', dealId))!.deal!;
    const self = await as('arranger@acme.test', 'mutation($id: ID!) { approveChange(id: $id) { status } }', {
      id: deal.reviewChangeRequestId,
    });
    expect(self.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await db.query('select count(*)::int as n from deals.issuance')).rows[0].n).toBe(0);
  });

  it('becomes APPROVED once compliance and an admin approve', async () => {
    const id = (await state('arranger@acme.test', dealId))!.deal!.reviewChangeRequestId;
    for (const who of ['compliance@acme.test', 'admin@acme.test']) {
      const res = await as(who, 'mutation($id: ID!) { approveChange(id: $id, comment: "ok") { status } }', {
        id,
      });
      expect(res.errors).toBeUndefined();
    }
    const approved = await eventually(async () => {
      const deal = (await state('arranger@acme.test', dealId))?.deal;
      return deal?.status === 'APPROVED' ? deal : undefined;
    });
    expect(approved.issuance).toBeNull();
  });

  it('refuses issuance to an investor and to another tenant', async () => {
    const investor = await as('investor@acme.test', 'mutation($id: ID!) { issueDeal(id: $id) { status } }', {
      id: dealId,
    });
    expect(investor.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const other = await as('arranger@borealis.test', 'mutation($id: ID!) { issueDeal(id: $id) { status } }', {
      id: dealId,
    });
    expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('deploys a token per tranche and registers the deal and its memorandum, as a job with progress', async () => {
    const started = await as(
      'arranger@acme.test',
      'mutation($id: ID!) { issueDeal(id: $id) { status stepsTotal } }',
      {
        id: dealId,
      },
    );
    expect(started.errors).toBeUndefined();
    const { issueDeal } = started.data as { issueDeal: { status: string; stepsTotal: number } };
    expect(issueDeal.status).toBe('DEPLOYING');
    const deal = await eventually(async () => {
      const d = (await state('arranger@acme.test', dealId))?.deal;
      return d?.issuance?.status === 'DEPLOYING' ? undefined : d;
    }, 180_000);
    expect(deal?.issuance?.error).toBeNull();
    expect(deal?.status).toBe('DEPLOYED');
    const issuance = deal!.issuance!;
    expect(issuance).toMatchObject({ status: 'DEPLOYED', progress: 1, chainId: chain.chainId });
    expect(issuance.transactions).toHaveLength(issueDeal.stepsTotal);
    expect(issuance.tokens.map((t) => [t.tranche, t.symbol, t.status])).toEqual([
      ['A', 'A', 'DEPLOYED'],
      ['M', 'M', 'DEPLOYED'],
      ['B', 'B', 'DEPLOYED'],
    ]);
    expect(issuance.onChainDealId).toBe(onChainDealId(dealId));

    const provider = new JsonRpcProvider(chain.rpcUrl);
    try {
      const registry = DealRegistry__factory.connect(chain.manifest.contracts.dealRegistry.address, provider);
      const registered = await registry.deal(onChainDealId(dealId));
      expect(registered.trancheTokens.map((a: string) => a.toLowerCase())).toEqual(
        issuance.tokens.map((t) => t.address!.toLowerCase()),
      );
      expect(await registry.documentCount(onChainDealId(dealId))).toBe(1n);
      expect((await registry.document(onChainDealId(dealId), 0n)).documentHash).toBe(`0x${'ab'.repeat(32)}`);
      const tokenA = Token__factory.connect(
        issuance.tokens[0]!.address!,
        new Wallet(DEV_DEPLOYER_KEY, provider),
      );
      expect(await tokenA.symbol()).toBe('A');
      expect(await tokenA.decimals()).toBe(2n);
      // Compliant by construction: a holder without a verified identity is refused.
      const unverified = Wallet.createRandom().address;
      await expect(tokenA.mint(unverified, 100n)).rejects.toThrow(/Identity is not verified/);
    } finally {
      provider.destroy();
    }
  });

  it('issues only once: a second issueDeal on a deployed deal is refused', async () => {
    const again = await as('arranger@acme.test', 'mutation($id: ID!) { issueDeal(id: $id) { status } }', {
      id: dealId,
    });
    expect(again.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const executed = await db.query(
      "select status from audit.change_request where type = 'deal.issue' and deal_id = $1",
      [dealId],
    );
    expect(executed.rows).toEqual([{ status: 'EXECUTED' }]);
  });

  it('takes subscriptions to the accredited-only deal only from accredited investors, and names what is missing', async () => {
    const created = await as(
      'compliance@acme.test',
      'mutation($i: CreateInvestorInput!) { createInvestor(input: $i) { id } }',
      { i: { legalName: 'Granite Family Office', kind: 'ENTITY', jurisdiction: 'US', dealIds: [dealId] } },
    );
    const investorId = (created.data as { createInvestor: { id: string } }).createInvestor.id;
    await db.query(
      `update investors.investor set kyc_status = 'VERIFIED', kyc_expires_at = now() + interval '200 days', sanctions_status = 'CLEAR', wallet_address = $2 where id = $1`,
      [investorId, Wallet.createRandom().address],
    );
    const tranche = await as('arranger@acme.test', 'query($id: ID!) { deal(id: $id) { tranches { id } } }', {
      id: dealId,
    });
    const trancheId = (tranche.data as { deal: { tranches: { id: string }[] } }).deal.tranches[0]!.id;
    const SUBSCRIBE = 'mutation($i: SubscribeInput!) { subscribe(input: $i) { status } }';
    const refused = await as('compliance@acme.test', SUBSCRIBE, {
      i: { investorId, trancheId, amount: '10000000' },
    });
    expect(refused.errors?.[0]?.extensions?.fields).toEqual({
      accreditation: 'the deal is for accredited investors only',
    });
    const accredited = await as(
      'compliance@acme.test',
      'mutation($id: ID!, $i: AccreditationInput!) { recordAccreditation(investorId: $id, input: $i) { accreditationType } }',
      {
        id: investorId,
        i: {
          type: 'ENTITY',
          expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
          proofSha256: 'c'.repeat(64),
        },
      },
    );
    expect(accredited.errors).toBeUndefined();
    const taken = await as('compliance@acme.test', SUBSCRIBE, {
      i: { investorId, trancheId, amount: '10000000' },
    });
    expect(taken.errors).toBeUndefined();
    expect((taken.data as { subscribe: { status: string } }).subscribe.status).toBe('REQUESTED');
    // an accreditation past its expiry counts for nothing
    await db.query(
      `update investors.investor set accreditation_expires_at = now() - interval '1 day' where id = $1`,
      [investorId],
    );
    const lapsed = await as('compliance@acme.test', SUBSCRIBE, {
      i: { investorId, trancheId, amount: '10000000' },
    });
    expect(lapsed.errors?.[0]?.extensions?.fields).toEqual({
      accreditation: 'the deal is for accredited investors only',
    });
  });

  it('returns a rejected review to PROPOSED, and terminates a deal only after a CRITICAL approval', async () => {
    const created = await as(
      'arranger@acme.test',
      'mutation($i: CreateDealInput!) { createDeal(input: $i) { id } }',
      {
        i: {
          name: 'Rejected 2026-1',
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
    const id = (created.data as { createDeal: { id: string } }).createDeal.id;
    await as(
      'arranger@acme.test',
      'mutation($id: ID!, $s: DealStructureInput!) { setDealStructure(id: $id, input: $s) { id } }',
      {
        id,
        s: { waterfallRules: demo('acme-rules.json'), collateral: demo('acme-collateral.json') },
      },
    );
    await as(
      'arranger@acme.test',
      'mutation($id: ID!, $t: DealTermsInput!) { setDealTerms(id: $id, input: $t) { id } }',
      {
        id,
        t: { ...TERMS, chainId: chain.chainId },
      },
    );
    await as(
      'arranger@acme.test',
      'mutation($id: ID!, $d: DealDocumentInput!) { addDealDocument(dealId: $id, input: $d) { id } }',
      {
        id,
        d: {
          kind: 'OFFERING_MEMORANDUM',
          title: 'OM',
          sha256: 'cd'.repeat(32),
          uri: 'https://documents.acme.test/om2.pdf',
        },
      },
    );
    const submitted = await as(
      'arranger@acme.test',
      'mutation($id: ID!) { submitDealForReview(id: $id) { reviewChangeRequestId } }',
      { id },
    );
    const review = (submitted.data as { submitDealForReview: { reviewChangeRequestId: string } })
      .submitDealForReview.reviewChangeRequestId;
    await eventually(async () => {
      const r = await as('compliance@acme.test', 'query($id: ID!) { changeRequest(id: $id) { id } }', {
        id: review,
      });
      return (r.data as { changeRequest: { id: string } | null } | undefined)?.changeRequest ?? undefined;
    });
    const rejected = await as(
      'compliance@acme.test',
      'mutation($id: ID!) { rejectChange(id: $id, reason: "Tape incomplete") { status } }',
      {
        id: review,
      },
    );
    expect(rejected.errors).toBeUndefined();
    const back = await eventually(async () => {
      const d = (await state('arranger@acme.test', id))?.deal;
      return d?.status === 'PROPOSED' ? d : undefined;
    });
    expect(back.issuance).toBeNull();
    // Editable again.
    const renamed = await as(
      'arranger@acme.test',
      'mutation($id: ID!) { updateDeal(id: $id, input: { name: "Rejected 2026-1 (rev)" }) { name } }',
      {
        id,
      },
    );
    expect(renamed.errors).toBeUndefined();

    const asked = await as(
      'arranger@acme.test',
      'mutation($id: ID!) { requestDealTermination(id: $id, reason: "Pool sold") { terminationChangeRequestId status } }',
      { id },
    );
    const termination = (
      asked.data as { requestDealTermination: { terminationChangeRequestId: string; status: string } }
    ).requestDealTermination;
    expect(termination.status).toBe('PROPOSED');
    const request = await eventually(async () => {
      const r = await as(
        'admin@acme.test',
        'query($id: ID!) { changeRequest(id: $id) { riskLevel status } }',
        {
          id: termination.terminationChangeRequestId,
        },
      );
      return (
        (r.data as { changeRequest: { riskLevel: string; status: string } | null } | undefined)
          ?.changeRequest ?? undefined
      );
    });
    expect(request.riskLevel).toBe('CRITICAL');
    for (const who of ['compliance@acme.test', 'compliance2@acme.test']) {
      await as(who, 'mutation($id: ID!) { approveChange(id: $id) { status } }', {
        id: termination.terminationChangeRequestId,
      });
    }
    expect((await state('arranger@acme.test', id))?.deal?.status).toBe('PROPOSED'); // CRITICAL: not yet
    await as('admin@acme.test', 'mutation($id: ID!) { approveChange(id: $id) { status } }', {
      id: termination.terminationChangeRequestId,
    });
    const ended = await eventually(async () => {
      const d = (await state('arranger@acme.test', id))?.deal;
      return d?.status === 'TERMINATED' ? d : undefined;
    });
    expect(ended.status).toBe('TERMINATED');
    const executed = await db.query('select status from audit.change_request where id = $1', [
      termination.terminationChangeRequestId,
    ]);
    expect(executed.rows).toEqual([{ status: 'EXECUTED' }]);
  });
});
