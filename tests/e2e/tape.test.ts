/**
 * Loan tapes through the gateway on real PostgreSQL and a real Hardhat node: a servicer creates a
 * tape version, PUTs the CSV through the gateway, and the ingest job validates it, seals the
 * borrower data, computes the Poseidon root, stratifies the pool and anchors the root in
 * DealRegistry. A malformed tape is rejected with its row and column and writes nothing; wrong
 * roles, other tenants, missing tokens and replayed uploads are refused; investors never see a loan.
 */
import { DealRegistry__factory, onChainDealId, type ChainHandle } from '@tranche/chain';
import { sampleTapeCsv } from '@tranche/devstack';
import { JsonRpcProvider } from 'ethers';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, graphql, startPlatformOnChain, type TestPlatform } from '../support/platform.js';

let chain: ChainHandle;
let platform: TestPlatform;
let db: pg.Client;
let stop = async (): Promise<void> => {};

beforeAll(async () => {
  ({ chain, platform, db, stop } = await startPlatformOnChain({
    env: {
      TAPE_MAX_BYTES: String(2 * 1024 * 1024),
    },
  }));
}, 240_000);

afterAll(() => stop(), 60_000);

const as = async (email: string, query: string, variables: Record<string, unknown> = {}) =>
  graphql(platform.gatewayUrl, query, variables, await platform.token(email));

const put = async (path: string, body: string | Buffer, email?: string) =>
  fetch(new URL(path, platform.gatewayUrl), {
    method: 'PUT',
    headers: {
      'content-type': 'text/csv',
      ...(email ? { authorization: `Bearer ${await platform.token(email)}` } : {}),
    },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });

const CREATE = `mutation($i: NewLoanTapeInput!) { createLoanTapeUpload(input: $i) { id version status uploadPath } }`;
const TAPE = `query($id: ID!) { loanTape(id: $id) {
  id version status rowCount rowsProcessed errorCount sha256 poseidonRoot rootCapacity period
  anchorStatus anchorTxHash anchorError
  errors { row column message }
  stratification { loanCount currentBalance wac wam waLtv waFico byState { key loanCount share } byDelinquency { key loanCount } }
} }`;

interface Tape {
  id: string;
  version: number;
  status: string;
  rowCount: number | null;
  errorCount: number;
  sha256: string | null;
  poseidonRoot: string | null;
  period: number;
  anchorStatus: string;
  anchorTxHash: string | null;
  errors: { row: number; column: string | null; message: string }[];
  stratification: {
    loanCount: number;
    currentBalance: string;
    byState: { key: string; share: number }[];
  } | null;
}

const tapeOf = async (id: string, email = 'servicer@acme.test') =>
  ((await as(email, TAPE, { id })).data as { loanTape: Tape | null } | undefined)?.loanTape ?? null;

let dealId = '';

async function createTape(cutoffDate: string, email = 'servicer@acme.test') {
  return as(email, CREATE, { i: { dealId, cutoffDate, fileName: `tape-${cutoffDate}.csv` } });
}

describe('a loan tape through the gateway', () => {
  it('creates a deal on the chain', async () => {
    const created = await as(
      'arranger@acme.test',
      `mutation($i: CreateDealInput!) { createDeal(input: $i) { id } }`,
      {
        i: {
          name: 'Tape Test 2026-1',
          assetClass: 'RMBS',
          currency: 'USD',
          tranches: [{ name: 'A', seniority: 1, originalBalance: '50000000000', couponBps: 475 }],
        },
      },
    );
    expect(created.errors).toBeUndefined();
    dealId = (created.data as { createDeal: { id: string } }).createDeal.id;
    const terms = await as(
      'arranger@acme.test',
      'mutation($id: ID!, $t: DealTermsInput!) { setDealTerms(id: $id, input: $t) { chainId } }',
      { id: dealId, t: { chainId: chain.chainId } },
    );
    expect(terms.errors).toBeUndefined();
  });

  it('uploads, validates, roots, stratifies and anchors a 2,000-loan tape', async () => {
    const created = await createTape('2026-10-31');
    expect(created.errors).toBeUndefined();
    const tape = (
      created.data as { createLoanTapeUpload: { id: string; uploadPath: string; status: string } }
    ).createLoanTapeUpload;
    expect(tape.status).toBe('AWAITING_UPLOAD');
    const csv = sampleTapeCsv(2000, 21);
    const res = await put(tape.uploadPath, csv, 'servicer@acme.test');
    expect(res.status).toBe(202);
    const receipt = (await res.json()) as { sha256: string; byteSize: number };
    expect(receipt.byteSize).toBe(Buffer.byteLength(csv));

    const done = await eventually(async () => {
      const t = await tapeOf(tape.id);
      return t?.anchorStatus === 'ANCHORED' ? t : undefined;
    }, 60_000);
    expect(done).toMatchObject({ status: 'VALIDATED', rowCount: 2000, errorCount: 0, period: 202610 });
    expect(done.sha256).toBe(receipt.sha256);
    expect(done.stratification?.loanCount).toBe(2000);
    const shares = done.stratification!.byState.reduce((s, b) => s + b.share, 0);
    expect(shares).toBeCloseTo(1, 4);

    // DealRegistry holds the same file hash and root for the deal and October 2026.
    const provider = new JsonRpcProvider(chain.rpcUrl);
    const registry = DealRegistry__factory.connect(chain.manifest.contracts.dealRegistry.address, provider);
    const anchor = await registry.datasetAnchor(onChainDealId(dealId), 202610);
    expect(anchor.poseidonRoot.toString()).toBe(done.poseidonRoot);
    expect(anchor.fileSha256).toBe(`0x${receipt.sha256}`);
    provider.destroy();

    // No plaintext borrower name or SSN in the loan table, read raw.
    const first = csv.split('\n')[1]!.split(',');
    const raw = await db.query('select * from deals.loan where tape_id = $1', [tape.id]);
    expect(raw.rowCount).toBe(2000);
    const text = JSON.stringify(raw.rows);
    expect(text).not.toContain(first[14]);
    expect(text).not.toContain(first[15]);

    // A replayed upload is refused.
    expect((await put(tape.uploadPath, csv, 'servicer@acme.test')).status).toBe(409);
  }, 120_000);

  it('answers every field the back office asks of a tape', async () => {
    const BUCKET = 'key loanCount balance share';
    const res = await as(
      'servicer@acme.test',
      `query($id: ID!) { deal(id: $id) { id loanTapes {
        id version cutoffDate period fileName status sha256 byteSize rowCount rowsProcessed errorCount
        errors { row column message }
        poseidonRoot rootCapacity anchorStatus anchorTxHash anchorChainId anchorError uploadPath createdAt
        stratification { loanCount currentBalance averageBalance wac wam waLtv waFico waDti
          byState { ${BUCKET} } byDelinquency { ${BUCKET} } byOccupancy { ${BUCKET} } byLtv { ${BUCKET} } byFico { ${BUCKET} } }
      } } }`,
      { id: dealId },
    );
    expect(res.errors).toBeUndefined();
    const [tape] = (res.data as { deal: { loanTapes: { stratification: { byLtv: unknown[] } }[] } }).deal
      .loanTapes;
    expect(tape!.stratification.byLtv.length).toBeGreaterThan(0);
  });

  it('serves loan rows to the servicer only, never borrower data, and representative lines to investors', async () => {
    const [tape] = (
      (
        await as('servicer@acme.test', 'query($id: ID!) { deal(id: $id) { loanTapes { id } } }', {
          id: dealId,
        })
      ).data as { deal: { loanTapes: { id: string }[] } }
    ).deal.loanTapes;
    const LOANS =
      'query($id: ID!) { loanTape(id: $id) { loans(page: { limit: 5 }) { total items { loanId currentBalance ltvBps } } } }';
    const loans = await as('servicer@acme.test', LOANS, { id: tape!.id });
    expect(loans.errors).toBeUndefined();
    expect((loans.data as { loanTape: { loans: { total: number } } }).loanTape.loans.total).toBe(2000);
    const asCompliance = await as('compliance@acme.test', LOANS, { id: tape!.id });
    expect(asCompliance.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const asInvestor = await as('investor@acme.test', TAPE, { id: tape!.id });
    expect(asInvestor.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const borrower = await as(
      'servicer@acme.test',
      'query($id: ID!) { loanTape(id: $id) { loans { items { borrowerName } } } }',
      {
        id: tape!.id,
      },
    );
    expect(borrower.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const otherTenant = await tapeOf(tape!.id, 'servicer@borealis.test');
    expect(otherTenant).toBeNull();

    const COLLATERAL = 'query($id: ID!) { deal(id: $id) { collateral } }';
    const staff = await as('arranger@acme.test', COLLATERAL, { id: dealId });
    const staffLines = JSON.parse((staff.data as { deal: { collateral: string } }).deal.collateral) as {
      loans: unknown[];
    };
    expect(staffLines.loans).toHaveLength(2000);
    const auditor = await as('auditor@acme.test', COLLATERAL, { id: dealId });
    const repLines = JSON.parse((auditor.data as { deal: { collateral: string } }).deal.collateral) as {
      loans: unknown[];
    };
    expect(repLines.loans.length).toBeLessThan(200);
  });

  it('rejects a malformed tape with row and column, writing no loan', async () => {
    const created = await createTape('2026-09-30');
    const tape = (created.data as { createLoanTapeUpload: { id: string; uploadPath: string } })
      .createLoanTapeUpload;
    const lines = sampleTapeCsv(50, 3).split('\n');
    lines[11] = lines[11]!.replace(/,(PRIMARY|SECOND_HOME|INVESTMENT),/, ',RENTED,');
    lines[31] = lines[31]!.replace(/^LN\d+,[^,]+,/, (m) => m.replace(/,[^,]+,$/, ',-100.00,'));
    expect((await put(tape.uploadPath, lines.join('\n'), 'servicer@acme.test')).status).toBe(202);
    const rejected = await eventually(async () => {
      const t = await tapeOf(tape.id);
      return t?.status === 'REJECTED' ? t : undefined;
    }, 30_000);
    expect(rejected.errors).toEqual([
      { row: 12, column: 'occupancy', message: expect.stringMatching(/RENTED/) },
      { row: 32, column: 'original_balance', message: expect.stringMatching(/negative/) },
    ]);
    expect(
      (await db.query('select count(*)::int as n from deals.loan where tape_id = $1', [tape.id])).rows[0].n,
    ).toBe(0);
    expect(rejected.anchorStatus).toBe('NONE');
  }, 60_000);

  it('refuses a missing token, the wrong role, another tenant and an oversized file', async () => {
    const created = await createTape('2026-08-31');
    const tape = (created.data as { createLoanTapeUpload: { id: string; uploadPath: string } })
      .createLoanTapeUpload;
    const csv = sampleTapeCsv(10, 4);
    expect((await put(tape.uploadPath, csv)).status).toBe(401);
    expect((await put(tape.uploadPath, csv, 'investor@acme.test')).status).toBe(403);
    expect((await put(tape.uploadPath, csv, 'servicer@borealis.test')).status).toBe(404);
    expect((await createTape('2026-08-31', 'investor@acme.test')).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await createTape('2026-08-31', 'servicer@borealis.test')).errors?.[0]?.extensions?.code).toBe(
      'NOT_FOUND',
    );
    const bad = await createTape('2026-02-30');
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const big = await put(tape.uploadPath, Buffer.alloc(3 * 1024 * 1024, 'a'), 'servicer@acme.test');
    expect(big.status).toBe(413);
    const after = await tapeOf(tape.id);
    expect(after).toMatchObject({
      status: 'REJECTED',
      errors: [{ row: 1, message: expect.stringMatching(/TAPE_MAX_BYTES/) }],
    });
  }, 60_000);
});
