import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fetchUserToken } from '@tranche/dev-issuer';
import { keccak256, toUtf8Bytes, Wallet } from 'ethers';
import { sampleTapeCsv } from './tape-sample.js';
import { seedDemoAttestation } from './seed-attestation.js';

/** The demo deal's waterfall rules and collateral (rep lines), as the arranger would upload them. */
const demoDocument = (name: string) => readFileSync(new URL(`../src/demo/${name}`, import.meta.url), 'utf8');

/** A GraphQL call through the gateway as one demo user. */
export async function gql<T>(
  gatewayUrl: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const res = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  if (!body.data) throw new Error(`HTTP ${res.status} without data`);
  return body.data;
}

interface DemoDeal {
  tenantDomain: string;
  /** File names under src/demo of the rule document and the collateral, when structured. */
  structure?: { waterfallRules: string; collateral: string };
  name: string;
  closingDate: string;
  tranches: { name: string; seniority: number; originalBalance: string; couponBps: number }[];
  investors: { legalName: string; kind: 'INDIVIDUAL' | 'ENTITY'; jurisdiction: string }[];
}

/** The demo: Acme's three-tranche prime RMBS, and one deal for the second tenant. */
export const DEMO_DEALS: DemoDeal[] = [
  {
    tenantDomain: 'acme.test',
    name: 'Acme Prime RMBS 2026-1',
    structure: { waterfallRules: 'acme-rules.json', collateral: 'acme-collateral.json' },
    closingDate: '2026-10-28',
    tranches: [
      { name: 'A', seniority: 1, originalBalance: '40000000000', couponBps: 475 },
      { name: 'M', seniority: 2, originalBalance: '6000000000', couponBps: 625 },
      { name: 'B', seniority: 3, originalBalance: '4000000000', couponBps: 850 },
    ],
    investors: [
      { legalName: 'Harbor Pension Fund', kind: 'ENTITY', jurisdiction: 'US' },
      { legalName: 'Lakeside Insurance Co.', kind: 'ENTITY', jurisdiction: 'US' },
    ],
  },
  {
    tenantDomain: 'borealis.test',
    name: 'Borealis Residential 2026-A',
    closingDate: '2026-09-15',
    tranches: [
      { name: 'A1', seniority: 1, originalBalance: '25000000000', couponBps: 450 },
      { name: 'B', seniority: 2, originalBalance: '3000000000', couponBps: 700 },
    ],
    investors: [{ legalName: 'Nordlys Asset Management', kind: 'ENTITY', jurisdiction: 'NO' }],
  },
];

async function setStructure(
  gatewayUrl: string,
  token: string,
  dealId: string,
  structure: { waterfallRules: string; collateral: string },
): Promise<void> {
  await gql(
    gatewayUrl,
    token,
    'mutation($id: ID!, $input: DealStructureInput!) { setDealStructure(id: $id, input: $input) { id } }',
    {
      id: dealId,
      input: {
        waterfallRules: demoDocument(structure.waterfallRules),
        collateral: demoDocument(structure.collateral),
      },
    },
  );
}

export interface SeedOptions {
  /**
   * Also take the structured demo deal through review and issuance on the first configured chain
   * (`npm start`: every workflow has run once); tests that do not need tokens leave it off.
   */
  issue?: boolean;
  /**
   * The local KYC provider's API (with `issue`): onboard the demo's investors through it and mint
   * them their allocations of the issued deal.
   */
  kyc?: { apiUrl: string; apiKey: string };
  /**
   * Loans in the demo's loan tape (with `issue`; default DEMO_TAPE_LOANS, 64). Its pool attestation
   * is proved with the smallest circuit instance that holds it, which must be built (`npm start`
   * builds pool64; tests use 16 loans and CI's pool16).
   */
  tapeLoans?: number;
  /** With `issue`: attest the demo's anchored tape against the deal's covenants (a real proof). */
  attest?: boolean;
}

/**
 * Seeds the demo through the API (so every row has its audit event): each tenant's deal with
 * its tranches, interested investors, last period's draft distributions, an approved change
 * request and a request to anchor the audit ledger. Idempotent: a
 * deal that already exists is left alone (but given its structure if it has none yet).
 */
export async function seedDemo(
  gatewayUrl: string,
  issuerUrl: string,
  options: SeedOptions = {},
): Promise<string[]> {
  const created: string[] = [];
  for (const demo of DEMO_DEALS) {
    const arranger = await fetchUserToken(issuerUrl, `arranger@${demo.tenantDomain}`);
    const existing = await gql<{
      deals: { items: { id: string; name: string; status: string; waterfallRules: string | null }[] };
    }>(
      gatewayUrl,
      arranger,
      'query($q: String) { deals(filter: { q: $q }) { items { id name status waterfallRules } } }',
      { q: demo.name },
    );
    const present = existing.deals.items.find((d) => d.name === demo.name);
    if (present) {
      // A demo seeded by an older version may lack its structure: add it while that is allowed.
      if (demo.structure && !present.waterfallRules && present.status === 'PROPOSED') {
        await setStructure(gatewayUrl, arranger, present.id, demo.structure);
      }
      if (
        options.issue &&
        demo.structure &&
        (await takeDealThroughIssuance(gatewayUrl, issuerUrl, {
          domain: demo.tenantDomain,
          dealId: present.id,
          name: demo.name,
        }))
      )
        created.push(`${demo.name} (issued)`);
      if (
        options.issue &&
        demo.structure &&
        (await uploadDemoTape(gatewayUrl, issuerUrl, demo.tenantDomain, present.id, options.tapeLoans))
      )
        created.push(`${demo.name} (loan tape)`);
      if (options.issue && options.kyc && demo.structure) {
        const holders = await seedDemoHolders(
          gatewayUrl,
          issuerUrl,
          options.kyc,
          demo.tenantDomain,
          present.id,
        );
        if (holders) created.push(`${demo.name} (${holders} holders onboarded and minted)`);
        if (await seedDemoDistribution(gatewayUrl, issuerUrl, demo.tenantDomain, present.id))
          created.push(`${demo.name} (first month paid and reconciled)`);
        if (
          options.attest &&
          (await seedDemoAttestation(gatewayUrl, issuerUrl, demo.tenantDomain, present.id))
        )
          created.push(`${demo.name} (pool attestation verified on-chain)`);
      }
      continue;
    }
    const { createDeal } = await gql<{
      createDeal: { id: string; tranches: { id: string; originalBalance: string; couponBps: number }[] };
    }>(
      gatewayUrl,
      arranger,
      `mutation($input: CreateDealInput!) { createDeal(input: $input) { id tranches { id originalBalance couponBps } } }`,
      {
        input: {
          name: demo.name,
          assetClass: 'RMBS',
          currency: 'USD',
          closingDate: demo.closingDate,
          tranches: demo.tranches,
        },
      },
    );
    if (demo.structure) await setStructure(gatewayUrl, arranger, createDeal.id, demo.structure);
    const compliance = await fetchUserToken(issuerUrl, `compliance@${demo.tenantDomain}`);
    for (const investor of demo.investors) {
      await gql(
        gatewayUrl,
        compliance,
        'mutation($input: CreateInvestorInput!) { createInvestor(input: $input) { id } }',
        {
          input: { ...investor, dealIds: [createDeal.id] },
        },
      );
    }
    const servicer = await fetchUserToken(issuerUrl, `servicer@${demo.tenantDomain}`);
    for (const tranche of createDeal.tranches) {
      // One month of interest at the coupon: balance × bps / 10,000 / 12, in whole minor units.
      const interest = (BigInt(tranche.originalBalance) * BigInt(tranche.couponBps)) / 120_000n;
      await gql(
        gatewayUrl,
        servicer,
        'mutation($input: CreateDistributionInput!) { createDistribution(input: $input) { id } }',
        {
          input: {
            dealId: createDeal.id,
            trancheId: tranche.id,
            period: 202610,
            interestAmount: interest.toString(),
            principalAmount: '0',
          },
        },
      );
    }
    await seedGovernance(gatewayUrl, issuerUrl, demo.tenantDomain, createDeal.id);
    created.push(demo.name);
    if (
      options.issue &&
      demo.structure &&
      (await takeDealThroughIssuance(gatewayUrl, issuerUrl, {
        domain: demo.tenantDomain,
        dealId: createDeal.id,
        name: demo.name,
      }))
    )
      created.push(`${demo.name} (issued)`);
    if (
      options.issue &&
      demo.structure &&
      (await uploadDemoTape(gatewayUrl, issuerUrl, demo.tenantDomain, createDeal.id, options.tapeLoans))
    )
      created.push(`${demo.name} (loan tape)`);
    if (options.issue && options.kyc && demo.structure) {
      const holders = await seedDemoHolders(
        gatewayUrl,
        issuerUrl,
        options.kyc,
        demo.tenantDomain,
        createDeal.id,
      );
      if (holders) created.push(`${demo.name} (${holders} holders onboarded and minted)`);
      if (await seedDemoDistribution(gatewayUrl, issuerUrl, demo.tenantDomain, createDeal.id))
        created.push(`${demo.name} (first month paid and reconciled)`);
      if (
        options.attest &&
        (await seedDemoAttestation(gatewayUrl, issuerUrl, demo.tenantDomain, createDeal.id))
      )
        created.push(`${demo.name} (pool attestation verified on-chain)`);
    }
  }
  return created;
}

/**
 * The governance workflow, run once per tenant so the demo shows it: the arranger requests an
 * attestation of the pool (LOW risk under the default policy), the compliance officer approves
 * it (four-eyes: the arranger could not), and the admin asks for the tenant's audit ledger to be
 * anchored on-chain now rather than at the next pass.
 */
async function seedGovernance(
  gatewayUrl: string,
  issuerUrl: string,
  domain: string,
  dealId: string,
): Promise<void> {
  const arranger = await fetchUserToken(issuerUrl, `arranger@${domain}`);
  const compliance = await fetchUserToken(issuerUrl, `compliance@${domain}`);
  const admin = await fetchUserToken(issuerUrl, `admin@${domain}`);
  const { requestChange } = await gql<{ requestChange: { id: string } }>(
    gatewayUrl,
    arranger,
    'mutation($i: RequestChangeInput!) { requestChange(input: $i) { id } }',
    {
      i: {
        type: 'attestation.submit',
        dealId,
        title: 'Attest the pool against its covenants',
        rationale: 'Monthly covenant attestation for the investors.',
        payload: JSON.stringify({ dealId, tapeVersion: 1 }),
      },
    },
  );
  await gql(
    gatewayUrl,
    compliance,
    'mutation($id: ID!) { approveChange(id: $id, comment: "Tape reviewed") { id } }',
    {
      id: requestChange.id,
    },
  );
  await gql(gatewayUrl, admin, 'mutation { requestAuditAnchoring }');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 250 ms until it returns a value, or throws after `timeoutMs` naming `what`. */
async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 180_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`seed: timed out waiting for ${what}`);
    await sleep(250);
  }
}

interface DealState {
  id: string;
  status: string;
  reviewChangeRequestId: string | null;
  issuance: { status: string; error: string | null } | null;
}
const DEAL_STATE =
  'query($id: ID!) { deal(id: $id) { id status reviewChangeRequestId issuance { status error } } }';

/**
 * The issuance workflow on a structured deal, as its users would run it: the arranger sets the
 * legal terms on `chainId` (default: the first configured chain), adds the offering memorandum and submits the deal for
 * review; compliance and the admin approve (a HIGH-risk change: two approvals from two roles);
 * the arranger issues, and the deployment job deploys the tokens and registers the deal. Resumes
 * from wherever an earlier run stopped. Returns false when the chain is not configured or the deal
 * was already issued.
 */
export async function takeDealThroughIssuance(
  gatewayUrl: string,
  issuerUrl: string,
  deal: {
    domain: string;
    dealId: string;
    name: string;
    chainId?: number;
    /** terms to use instead of the demo's (Reg D 506(c), accredited only, US/CA/GB) */
    terms?: Record<string, unknown>;
  },
): Promise<boolean> {
  const { domain, dealId } = deal;
  const demo = { name: deal.name };
  const arranger = await fetchUserToken(issuerUrl, `arranger@${domain}`);
  const state = async () =>
    (await gql<{ deal: DealState }>(gatewayUrl, arranger, DEAL_STATE, { id: dealId })).deal;
  let current = await state();
  if (current.issuance?.status === 'DEPLOYED') return false;
  const { chains } = await gql<{ chains: { chainId: number }[] }>(
    gatewayUrl,
    arranger,
    '{ chains { chainId } }',
  );
  const chainId = deal.chainId ?? chains[0]?.chainId;
  if (chainId === undefined || !chains.some((c) => c.chainId === chainId)) return false;
  if (current.status === 'PROPOSED') {
    await gql(
      gatewayUrl,
      arranger,
      'mutation($id: ID!, $t: DealTermsInput!) { setDealTerms(id: $id, input: $t) { id } }',
      {
        id: dealId,
        t: {
          spvName: `${demo.name} Trust`,
          spvJurisdiction: 'US-DE',
          regulatoryFramework: 'REG_D_506C',
          accreditedOnly: true,
          allowedCountries: ['US', 'CA', 'GB'],
          minimumInvestment: '10000000',
          lockUpDays: 0,
          ...deal.terms,
          chainId,
        },
      },
    );
    const offering = `${demo.name} offering memorandum`;
    const { deal: withDocs } = await gql<{ deal: { documents: { kind: string }[] } }>(
      gatewayUrl,
      arranger,
      'query($id: ID!) { deal(id: $id) { documents { kind } } }',
      { id: dealId },
    );
    if (!withDocs.documents.some((d) => d.kind === 'OFFERING_MEMORANDUM')) {
      await gql(
        gatewayUrl,
        arranger,
        'mutation($id: ID!, $d: DealDocumentInput!) { addDealDocument(dealId: $id, input: $d) { id } }',
        {
          id: dealId,
          d: {
            kind: 'OFFERING_MEMORANDUM',
            title: offering,
            sha256: createHash('sha256').update(offering).digest('hex'),
            uri: `https://documents.${domain}/${encodeURIComponent(offering)}.pdf`,
          },
        },
      );
    }
    await gql(gatewayUrl, arranger, 'mutation($id: ID!) { submitDealForReview(id: $id) { id } }', {
      id: dealId,
    });
    current = await state();
  }
  if (current.status === 'IN_REVIEW' && current.reviewChangeRequestId) {
    const requestId = current.reviewChangeRequestId;
    for (const role of ['compliance', 'admin']) {
      const token = await fetchUserToken(issuerUrl, `${role}@${domain}`);
      const request = await waitFor('the review’s change request', async () => {
        const { changeRequest } = await gql<{ changeRequest: { status: string } | null }>(
          gatewayUrl,
          token,
          'query($id: ID!) { changeRequest(id: $id) { status } }',
          { id: requestId },
        );
        return changeRequest ?? undefined;
      });
      if (request.status !== 'PENDING') break;
      await gql(
        gatewayUrl,
        token,
        'mutation($id: ID!) { approveChange(id: $id, comment: "Terms reviewed") { id } }',
        {
          id: requestId,
        },
      ).catch((err: Error) => {
        if (!/already decided/.test(err.message)) throw err; // an earlier run's vote
      });
    }
    current = await waitFor('the deal’s approval', async () => {
      const d = await state();
      return d.status === 'IN_REVIEW' ? undefined : d;
    });
  }
  if (current.status === 'APPROVED' || current.issuance?.status === 'FAILED') {
    await gql(gatewayUrl, arranger, 'mutation($id: ID!) { issueDeal(id: $id) { status } }', { id: dealId });
  }
  const issued = await waitFor('the deployment', async () => {
    const d = await state();
    return d.issuance && d.issuance.status !== 'DEPLOYING' ? d : undefined;
  });
  if (issued.issuance?.status !== 'DEPLOYED')
    throw new Error(`seed: the demo deal's deployment failed: ${issued.issuance?.error ?? 'unknown'}`);
  return true;
}

/**
 * Loans in the demo's tape by default: 64, so that its attestation proves with pool64, which
 * `npm start` builds in about two minutes on the first start (a 1,000-loan tape needs pool1024:
 * about 15 minutes; `SeedOptions.tapeLoans` and `npm run bench:tape` cover larger tapes).
 */
export const DEMO_TAPE_LOANS = 64;

/**
 * The servicer's loan tape for a demo deal (`npm start`): a synthetic tape of `loans` loans uploaded
 * through the gateway, validated, rooted and anchored by the platform's jobs. Skipped when the deal
 * already has a tape; returns whether it uploaded one.
 */
export async function uploadDemoTape(
  gatewayUrl: string,
  issuerUrl: string,
  domain: string,
  dealId: string,
  loans = DEMO_TAPE_LOANS,
): Promise<boolean> {
  const servicer = await fetchUserToken(issuerUrl, `servicer@${domain}`);
  const { deal } = await gql<{ deal: { loanTapes: { id: string }[] } | null }>(
    gatewayUrl,
    servicer,
    'query($id: ID!) { deal(id: $id) { loanTapes { id } } }',
    { id: dealId },
  );
  if (!deal || deal.loanTapes.length) return false;
  const cutoff = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 0))
    .toISOString()
    .slice(0, 10);
  const { createLoanTapeUpload: tape } = await gql<{
    createLoanTapeUpload: { id: string; uploadPath: string };
  }>(
    gatewayUrl,
    servicer,
    'mutation($i: NewLoanTapeInput!) { createLoanTapeUpload(input: $i) { id uploadPath } }',
    { i: { dealId, cutoffDate: cutoff, fileName: `servicer-tape-${cutoff}.csv` } },
  );
  const res = await fetch(new URL(tape.uploadPath, gatewayUrl), {
    method: 'PUT',
    headers: { authorization: `Bearer ${servicer}`, 'content-type': 'text/csv' },
    body: sampleTapeCsv(loans, 2026),
  });
  if (res.status !== 202) throw new Error(`demo tape upload: HTTP ${res.status} ${await res.text()}`);
  for (let i = 0; i < 240; i++) {
    const { loanTape } = await gql<{ loanTape: { status: string; anchorStatus: string } }>(
      gatewayUrl,
      servicer,
      'query($id: ID!) { loanTape(id: $id) { status anchorStatus } }',
      { id: tape.id },
    );
    if (loanTape.status === 'REJECTED') throw new Error('the demo tape was rejected');
    if (loanTape.status === 'VALIDATED' && loanTape.anchorStatus !== 'PENDING') return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the demo tape was not validated within a minute');
}

/** The demo's holders of the issued deal: who they are, their wallet's seed, what they hold of tranche A. */
const DEMO_HOLDINGS: { legalName: string; portalSubject?: string; amount: string }[] = [
  // the demo portal user investor@acme.test is Harbor Pension Fund: their portfolio shows this
  { legalName: 'Harbor Pension Fund', portalSubject: 'acme-investor', amount: '1500000000' },
  { legalName: 'Lakeside Insurance Co.', amount: '800000000' },
];

/** A demo investor's wallet: a key derived from their name (development data only). */
export function demoInvestorWallet(legalName: string): Wallet {
  return new Wallet(keccak256(toUtf8Bytes(`tranche-demo-investor:${legalName}`)));
}

/**
 * The investor workflow on the issued demo deal, as its users would run it: compliance opens a KYC
 * inquiry and the local provider approves it (its webhook verifies the investor), screens the
 * investor against the sanctions list, records accreditation (the deal is 506(c)), has the investor
 * prove their wallet (EIP-4361), links the demo portal user; the investor subscribes to tranche A,
 * the arranger asks for the mint, compliance approves, the arranger allocates, and the mint job
 * registers the investor's ONCHAINID and mints. Each step is skipped when done, so a restart
 * resumes. Returns how many holders it minted to.
 */
export async function seedDemoHolders(
  gatewayUrl: string,
  issuerUrl: string,
  kyc: { apiUrl: string; apiKey: string },
  domain: string,
  dealId: string,
): Promise<number> {
  const compliance = await fetchUserToken(issuerUrl, `compliance@${domain}`);
  const arranger = await fetchUserToken(issuerUrl, `arranger@${domain}`);
  const { deal } = await gql<{ deal: { tranches: { id: string; name: string }[] } }>(
    gatewayUrl,
    arranger,
    'query($id: ID!) { deal(id: $id) { tranches { id name } } }',
    { id: dealId },
  );
  const trancheId = deal.tranches.find((t) => t.name === 'A')?.id;
  if (!trancheId) return 0;
  const { investors } = await gql<{ investors: { items: { id: string; legalName: string }[] } }>(
    gatewayUrl,
    compliance,
    '{ investors(page: { limit: 100 }) { items { id legalName } } }',
  );
  type State = {
    kycStatus: string;
    sanctionsStatus: string;
    accreditationType: string | null;
    walletAddress: string | null;
    portalSubject: string | null;
    holdings: { trancheId: string }[];
    kycInquiries: { providerInquiryId: string; status: string }[];
  };
  const READ =
    'query($id: ID!) { investor(id: $id) { kycStatus sanctionsStatus accreditationType walletAddress portalSubject holdings { trancheId } kycInquiries { providerInquiryId status } } }';
  let minted = 0;
  for (const holding of DEMO_HOLDINGS) {
    const id = investors.items.find((i) => i.legalName === holding.legalName)?.id;
    if (!id) continue;
    const read = async () => (await gql<{ investor: State }>(gatewayUrl, compliance, READ, { id })).investor;
    let state = await read();
    if (state.holdings.some((h) => h.trancheId === trancheId)) continue;
    if (state.kycStatus !== 'VERIFIED') {
      let inquiry = state.kycInquiries.find((q) => q.status === 'OPEN')?.providerInquiryId;
      inquiry ??= (
        await gql<{ startKycInquiry: { providerInquiryId: string } }>(
          gatewayUrl,
          compliance,
          'mutation($id: ID!) { startKycInquiry(investorId: $id) { providerInquiryId } }',
          { id },
        )
      ).startKycInquiry.providerInquiryId;
      // the investor passes the provider's check (the sandbox's approve endpoint, as its page does)
      const approved = await fetch(`${kyc.apiUrl}/inquiries/${inquiry}/approve`, {
        method: 'POST',
        headers: { authorization: `Bearer ${kyc.apiKey}` },
      });
      if (!approved.ok && approved.status !== 409)
        throw new Error(`demo KYC approval: HTTP ${approved.status} ${await approved.text()}`);
      state = await waitFor(`${holding.legalName}'s KYC`, async () => {
        const s = await read();
        return s.kycStatus === 'VERIFIED' ? s : undefined;
      });
    }
    if (state.sanctionsStatus === 'NOT_SCREENED')
      await gql(gatewayUrl, compliance, 'mutation($id: ID!) { screenInvestor(id: $id) { status } }', { id });
    if (!state.accreditationType) {
      const expiresAt = new Date(Date.now() + 365 * 86_400_000).toISOString();
      await gql(
        gatewayUrl,
        compliance,
        'mutation($id: ID!, $i: AccreditationInput!) { recordAccreditation(investorId: $id, input: $i) { id } }',
        {
          id,
          i: {
            type: 'ENTITY',
            expiresAt,
            proofSha256: keccak256(toUtf8Bytes(`evidence:${holding.legalName}`)).slice(2),
          },
        },
      );
    }
    const wallet = demoInvestorWallet(holding.legalName);
    if (!state.walletAddress) {
      const { walletChallenge } = await gql<{ walletChallenge: { message: string } }>(
        gatewayUrl,
        compliance,
        'mutation($id: ID!, $a: String!) { walletChallenge(investorId: $id, address: $a) { message } }',
        { id, a: wallet.address },
      );
      await gql(
        gatewayUrl,
        compliance,
        'mutation($m: String!, $s: String!) { proveWallet(message: $m, signature: $s) { id } }',
        {
          m: walletChallenge.message,
          s: await wallet.signMessage(walletChallenge.message),
        },
      );
    }
    if (holding.portalSubject && !state.portalSubject)
      await gql(
        gatewayUrl,
        compliance,
        'mutation($id: ID!, $s: String!) { updateInvestorProfile(investorId: $id, input: { portalSubject: $s }) { id } }',
        { id, s: holding.portalSubject },
      );
    // subscription, approval of the mint, allocation
    const { subscriptions } = await gql<{
      subscriptions: { items: { id: string; investorId: string; status: string }[] };
    }>(
      gatewayUrl,
      arranger,
      'query($t: ID) { subscriptions(trancheId: $t) { items { id investorId status } } }',
      {
        t: trancheId,
      },
    );
    let subscription = subscriptions.items.find((s) => s.investorId === id);
    subscription ??= (
      await gql<{ subscribe: { id: string; investorId: string; status: string } }>(
        gatewayUrl,
        compliance,
        'mutation($i: SubscribeInput!) { subscribe(input: $i) { id investorId status } }',
        { i: { investorId: id, trancheId, amount: holding.amount } },
      )
    ).subscribe;
    if (subscription.status === 'REQUESTED') {
      const payload = {
        subscriptionId: subscription.id,
        trancheId,
        wallet: wallet.address,
        amount: holding.amount,
      };
      const { requestChange } = await gql<{ requestChange: { id: string } }>(
        gatewayUrl,
        arranger,
        'mutation($i: RequestChangeInput!) { requestChange(input: $i) { id } }',
        {
          i: {
            type: 'token.mint',
            dealId,
            title: `Mint ${holding.legalName}'s allocation`,
            rationale: 'Demo allocation of tranche A',
            payload: JSON.stringify(payload),
          },
        },
      );
      await gql(
        gatewayUrl,
        compliance,
        'mutation($id: ID!) { approveChange(id: $id, comment: "KYC, sanctions and accreditation verified") { status } }',
        {
          id: requestChange.id,
        },
      );
      await gql(
        gatewayUrl,
        arranger,
        'mutation($id: ID!, $a: BigInt!, $cr: ID) { allocateSubscription(id: $id, amount: $a, changeRequestId: $cr) { status } }',
        { id: subscription.id, a: holding.amount, cr: requestChange.id },
      );
    }
    await waitFor(`${holding.legalName}'s tokens`, async () => {
      const s = await read();
      return s.holdings.some((h) => h.trancheId === trancheId) ? true : undefined;
    });
    minted++;
  }
  return minted;
}

/** The demo's first month: the servicer's report of the issued deal's first period. */
const DEMO_REPORT = {
  period: 1,
  poolBalanceBegin: '500000000.00',
  interestCollected: '2100000.00',
  scheduledPrincipal: '600000.00',
  prepayments: '1400000.00',
  delinquent60Plus: '1250000.00',
  poolBalanceEnd: '498000000.00',
};

/**
 * The distribution workflow on the issued demo deal, as its users would run it: the servicer
 * submits the first month's report and previews the payouts at the current block, asks for the
 * `distribution.execute` approval, compliance approves, the servicer executes, and the job pays
 * the holders and reconciles. Skipped when the period is already paid; returns whether it ran.
 */
export async function seedDemoDistribution(
  gatewayUrl: string,
  issuerUrl: string,
  domain: string,
  dealId: string,
): Promise<boolean> {
  const servicer = await fetchUserToken(issuerUrl, `servicer@${domain}`);
  const compliance = await fetchUserToken(issuerUrl, `compliance@${domain}`);
  type Report = { id: string; period: number; status: string };
  const reports = async () =>
    (
      await gql<{ servicerReports: { items: Report[] } }>(
        gatewayUrl,
        servicer,
        'query($d: ID) { servicerReports(dealId: $d) { items { id period status } } }',
        { d: dealId },
      )
    ).servicerReports.items;
  let report = (await reports()).find((r) => r.period === DEMO_REPORT.period && r.status !== 'CANCELLED');
  if (report && ['RECONCILED', 'EXECUTED', 'FAILED'].includes(report.status)) return false;
  report ??= (
    await gql<{ submitServicerReport: Report }>(
      gatewayUrl,
      servicer,
      'mutation($d: ID!, $r: String!) { submitServicerReport(dealId: $d, report: $r) { id period status } }',
      { d: dealId, r: JSON.stringify(DEMO_REPORT) },
    )
  ).submitServicerReport;
  if (report.status === 'PROPOSED' || report.status === 'PENDING') {
    const { previewDistribution } = await gql<{ previewDistribution: { executionPayload: string } }>(
      gatewayUrl,
      servicer,
      'mutation($d: ID!, $p: Int!) { previewDistribution(dealId: $d, period: $p) { executionPayload } }',
      { d: dealId, p: report.period },
    );
    const { requestChange } = await gql<{ requestChange: { id: string } }>(
      gatewayUrl,
      servicer,
      'mutation($i: RequestChangeInput!) { requestChange(input: $i) { id } }',
      {
        i: {
          type: 'distribution.execute',
          dealId,
          title: `Pay period ${report.period}`,
          rationale: 'Monthly distribution from the servicer report',
          payload: previewDistribution.executionPayload,
        },
      },
    );
    await gql(
      gatewayUrl,
      compliance,
      'mutation($id: ID!) { approveChange(id: $id, comment: "Waterfall and payouts checked") { status } }',
      {
        id: requestChange.id,
      },
    );
    await gql(
      gatewayUrl,
      servicer,
      'mutation($id: ID!, $cr: ID) { executeDistribution(id: $id, changeRequestId: $cr) { status } }',
      {
        id: report.id,
        cr: requestChange.id,
      },
    );
  }
  const id = report.id;
  const final = await waitFor('the demo distribution', async () => {
    const r = (await reports()).find((x) => x.id === id);
    return r && ['RECONCILED', 'EXECUTED', 'FAILED'].includes(r.status) ? r : undefined;
  });
  if (final.status !== 'RECONCILED') throw new Error(`the demo distribution ended ${final.status}`);
  return true;
}
