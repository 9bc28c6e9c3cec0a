/**
 * Pool attestations through the gateway on real PostgreSQL and a real Hardhat node: a servicer's
 * 16-loan tape is validated and anchored, an attestation.submit change request is approved, and
 * `requestPoolAttestation` proves (pool16, in a prover process) that the pool meets the deal's
 * covenants and records the proof in PoolAttestationVerifier, listed in `Deal.attestations` with its
 * thresholds, result and transaction. A pool that breaches a covenant set in the deal's terms is
 * reported NOT_MET with nothing sent; a proof job that fails says why; wrong roles, other tenants, a
 * missing or spent approval and a kill switch are refused.
 */
import { onChainDealId, platform as contracts, type ChainHandle } from '@tranche/chain';
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
  ({ chain, platform, db, stop } = await startPlatformOnChain());
}, 240_000);

afterAll(() => stop(), 60_000);

const as = async (email: string, query: string, variables: Record<string, unknown> = {}) =>
  graphql(platform.gatewayUrl, query, variables, await platform.token(email));

interface Attestation {
  id: string;
  status: string;
  progress: number;
  stage: string | null;
  circuit: string;
  capacity: number;
  loanCount: number;
  period: number;
  tapeVersion: number;
  thresholds: { maxDelinquencyBps: number; delinquencyDays: number; maxWaLtvBps: number; minBalance: string };
  result: { covenant: string; value: string; threshold: string; met: boolean }[] | null;
  poolRoot: string | null;
  publicSignals: string[] | null;
  proof: string | null;
  txHash: string | null;
  error: string | null;
}

const ATTESTATION = `id status progress stage circuit capacity loanCount period tapeVersion
  thresholds { maxDelinquencyBps delinquencyDays maxWaLtvBps minBalance }
  result { covenant value threshold met } poolRoot publicSignals proof txHash error`;
const REQUEST = `mutation($d: ID!, $v: Int!, $cr: ID) { requestPoolAttestation(dealId: $d, tapeVersion: $v, changeRequestId: $cr) { ${ATTESTATION} } }`;

const attestationsOf = async (dealId: string, email = 'arranger@acme.test') =>
  (
    (await as(email, `query($id: ID!) { deal(id: $id) { attestations { ${ATTESTATION} } } }`, { id: dealId }))
      .data as { deal: { attestations: Attestation[] } | null }
  ).deal?.attestations ?? null;

/** Waits until the attestation is VERIFIED, NOT_MET or FAILED. */
const settled = (dealId: string, id: string) =>
  eventually(async () => {
    const a = (await attestationsOf(dealId))?.find((x) => x.id === id);
    return a && ['VERIFIED', 'NOT_MET', 'FAILED'].includes(a.status) ? a : undefined;
  }, 60_000);

/** A deal on the chain (with `covenants` in its terms) and its first tape, validated and anchored. */
async function dealWithTape(name: string, csv: string, covenants?: Record<string, unknown>): Promise<string> {
  const created = await as(
    'arranger@acme.test',
    `mutation($i: CreateDealInput!) { createDeal(input: $i) { id } }`,
    {
      i: {
        name,
        assetClass: 'RMBS',
        currency: 'USD',
        tranches: [{ name: 'A', seniority: 1, originalBalance: '50000000000', couponBps: 475 }],
      },
    },
  );
  expect(created.errors).toBeUndefined();
  const dealId = (created.data as { createDeal: { id: string } }).createDeal.id;
  const terms = await as(
    'arranger@acme.test',
    'mutation($id: ID!, $t: DealTermsInput!) { setDealTerms(id: $id, input: $t) { chainId } }',
    { id: dealId, t: { chainId: chain.chainId, ...(covenants ? { covenants } : {}) } },
  );
  expect(terms.errors).toBeUndefined();
  const upload = await as(
    'servicer@acme.test',
    `mutation($i: NewLoanTapeInput!) { createLoanTapeUpload(input: $i) { id uploadPath } }`,
    { i: { dealId, cutoffDate: '2026-10-31', fileName: 'tape.csv' } },
  );
  const tape = (upload.data as { createLoanTapeUpload: { id: string; uploadPath: string } })
    .createLoanTapeUpload;
  const res = await fetch(new URL(tape.uploadPath, platform.gatewayUrl), {
    method: 'PUT',
    headers: {
      'content-type': 'text/csv',
      authorization: `Bearer ${await platform.token('servicer@acme.test')}`,
    },
    body: csv,
  });
  expect(res.status).toBe(202);
  await eventually(async () => {
    const r = await as('servicer@acme.test', 'query($id: ID!) { loanTape(id: $id) { anchorStatus } }', {
      id: tape.id,
    });
    return (r.data as { loanTape: { anchorStatus: string } }).loanTape.anchorStatus === 'ANCHORED'
      ? true
      : undefined;
  }, 60_000);
  return dealId;
}

/** An approved attestation.submit change request for the deal's tape version (arranger asks, compliance approves). */
async function approval(dealId: string, tapeVersion: number): Promise<string> {
  const requested = await as(
    'arranger@acme.test',
    'mutation($i: RequestChangeInput!) { requestChange(input: $i) { id } }',
    {
      i: {
        type: 'attestation.submit',
        dealId,
        title: 'Attest the pool',
        rationale: 'Monthly covenant attestation',
        payload: JSON.stringify({ dealId, tapeVersion }),
      },
    },
  );
  expect(requested.errors).toBeUndefined();
  const id = (requested.data as { requestChange: { id: string } }).requestChange.id;
  const approved = await as(
    'compliance@acme.test',
    'mutation($id: ID!) { approveChange(id: $id) { status } }',
    {
      id,
    },
  );
  expect((approved.data as { approveChange: { status: string } }).approveChange.status).toBe('APPROVED');
  return id;
}

let dealId = '';
let changeRequestId = '';

describe('pool attestations through the gateway', () => {
  it('proves a pool that meets the deal’s covenants and records it on-chain', async () => {
    // seed 5: no loan 60+ days late, WA-LTV 72.69 %: within the default covenants (5 %, 80 %)
    dealId = await dealWithTape('Attestation 2026-1', sampleTapeCsv(16, 5));
    changeRequestId = await approval(dealId, 1);
    const requested = await as('servicer@acme.test', REQUEST, { d: dealId, v: 1, cr: changeRequestId });
    expect(requested.errors).toBeUndefined();
    const attestation = (requested.data as { requestPoolAttestation: Attestation }).requestPoolAttestation;
    expect(attestation).toMatchObject({
      status: 'REQUESTED',
      circuit: 'pool16',
      loanCount: 16,
      period: 202610,
    });

    const done = await settled(dealId, attestation.id);
    expect(done).toMatchObject({
      status: 'VERIFIED',
      progress: 100,
      error: null,
      thresholds: { maxDelinquencyBps: 500, delinquencyDays: 60, maxWaLtvBps: 8000, minBalance: '0' },
    });
    expect(done.result).toEqual([
      { covenant: 'DELINQUENCY', value: '0', threshold: '500', met: true },
      { covenant: 'WA_LTV', value: '7269', threshold: '8000', met: true },
      { covenant: 'MIN_BALANCE', value: expect.stringMatching(/^\d+$/), threshold: '0', met: true },
    ]);
    expect(done.publicSignals).toHaveLength(7);
    expect(JSON.parse(done.proof!)).toHaveProperty('pi_a');

    const provider = new JsonRpcProvider(chain.rpcUrl);
    const verifier = contracts.PoolAttestationVerifier__factory.connect(
      chain.manifest.contracts.poolAttestationVerifier!.address,
      provider,
    );
    expect(await verifier.isAttested(onChainDealId(dealId), 202610)).toBe(true);
    expect((await verifier.attestation(onChainDealId(dealId), 202610)).poolRoot.toString()).toBe(
      done.poolRoot,
    );
    expect((await provider.getTransactionReceipt(done.txHash!))?.status).toBe(1);
    provider.destroy();

    // investors read the deal's attestations too (what they prove is public on-chain)
    expect((await attestationsOf(dealId, 'investor@acme.test'))?.[0]?.status).toBe('VERIFIED');
  }, 120_000);

  it('reports a pool that breaches a covenant of the deal’s terms as NOT_MET, sending nothing', async () => {
    const breached = await dealWithTape('Attestation 2026-2', sampleTapeCsv(16, 5), { maxWaLtvBps: 7000 });
    const covenants = await as(
      'arranger@acme.test',
      'query($id: ID!) { deal(id: $id) { covenants { maxWaLtvBps } } }',
      {
        id: breached,
      },
    );
    expect(covenants.data).toEqual({ deal: { covenants: { maxWaLtvBps: 7000 } } });
    const cr = await approval(breached, 1);
    const requested = await as('arranger@acme.test', REQUEST, { d: breached, v: 1, cr });
    expect(requested.errors).toBeUndefined();
    const id = (requested.data as { requestPoolAttestation: { id: string } }).requestPoolAttestation.id;
    const done = await settled(breached, id);
    expect(done.status).toBe('NOT_MET');
    expect(done.result?.find((r) => r.covenant === 'WA_LTV')).toEqual({
      covenant: 'WA_LTV',
      value: '7269',
      threshold: '7000',
      met: false,
    });
    expect(done.proof).toBeNull();
    expect(done.txHash).toBeNull();
    const sent = await db.query(`select count(*)::int as n from deals.chain_transaction where key like $1`, [
      `attestation:${id}:%`,
    ]);
    expect(sent.rows[0].n).toBe(0);
  }, 120_000);

  it('reports why a proof job failed', async () => {
    const tampered = await dealWithTape('Attestation 2026-3', sampleTapeCsv(16, 5));
    // the stored loans no longer hash to the anchored root
    await db.query(
      `update deals.loan set current_balance = current_balance + 1 where tape_id = (select id from deals.loan_tape where deal_id = $1) and row = 2`,
      [tampered],
    );
    const cr = await approval(tampered, 1);
    const requested = await as('arranger@acme.test', REQUEST, { d: tampered, v: 1, cr });
    const id = (requested.data as { requestPoolAttestation: { id: string } }).requestPoolAttestation.id;
    const done = await settled(tampered, id);
    expect(done.status).toBe('FAILED');
    expect(done.error).toMatch(/not to its anchored root .*: the loans changed after ingest/);
  }, 120_000);

  it('refuses the wrong role, another tenant, a missing or spent approval and a kill switch', async () => {
    const code = (r: { errors?: { extensions?: Record<string, unknown> }[] }) =>
      r.errors?.[0]?.extensions?.code;
    expect(code(await as('investor@acme.test', REQUEST, { d: dealId, v: 1, cr: changeRequestId }))).toBe(
      'FORBIDDEN',
    );
    expect(code(await as('compliance@acme.test', REQUEST, { d: dealId, v: 1, cr: changeRequestId }))).toBe(
      'FORBIDDEN',
    );
    expect(code(await as('servicer@borealis.test', REQUEST, { d: dealId, v: 1 }))).toBe('NOT_FOUND');
    expect(await attestationsOf(dealId, 'arranger@borealis.test')).toBeNull();
    expect(code(await as('servicer@acme.test', REQUEST, { d: dealId, v: 1 }))).toBe('APPROVAL_REQUIRED');
    const spent = await as('servicer@acme.test', REQUEST, { d: dealId, v: 1, cr: changeRequestId });
    expect(code(spent)).toBe('APPROVAL_REQUIRED');
    expect(spent.errors?.[0]?.message).toMatch(/already executed/);
    // an approval of another tape version does not cover this one
    const other = await approval(dealId, 2);
    expect(code(await as('servicer@acme.test', REQUEST, { d: dealId, v: 1, cr: other }))).toBe(
      'APPROVAL_REQUIRED',
    );

    const cr = await approval(dealId, 1);
    await as(
      'admin@acme.test',
      'mutation($i: ActivateKillSwitchInput!) { activateKillSwitch(input: $i) { id } }',
      {
        i: { scope: 'CAPABILITY', target: 'attestation.submit', reason: 'prover incident' },
      },
    );
    const stopped = await eventually(async () => {
      const r = await as('servicer@acme.test', REQUEST, { d: dealId, v: 1, cr });
      return code(r) === 'KILL_SWITCH_ACTIVE' ? r : undefined;
    });
    expect(stopped.errors?.[0]?.extensions?.reason).toBe('prover incident');
    expect(await attestationsOf(dealId)).toHaveLength(1);
  }, 120_000);
});
