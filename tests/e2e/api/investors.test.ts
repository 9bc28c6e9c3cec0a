/**
 * The investors subgraph through the gateway (on a platform of this file's own): staff-only
 * reads, compliance-only onboarding with named errors, tenant isolation, and the
 * `Deal.investorCount` it adds to the deals subgraph's Deal.
 */
import { cpSync, appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sandboxSignature } from '@tranche/devstack';
import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { useSeededApi } from '../../support/api.js';
import { eventually, graphql, ROOT } from '../../support/platform.js';

// the sanctions list of this platform: a copy of the shipped sample, changed by a test
const listDir = mkdtempSync(join(tmpdir(), 'tranche-sdn-'));
cpSync(resolve(ROOT, 'subgraphs/investors/data/ofac-sdn-sample'), listDir, { recursive: true });
const api = useSeededApi({ env: { SANCTIONS_LIST_DIR: listDir } });
const CREATE_INVESTOR =
  'mutation($input: CreateInvestorInput!) { createInvestor(input: $input) { id legalName kycStatus } }';

describe('investors', () => {
  it('forbids an investor from listing investors', async () => {
    const investors = await graphql(
      api.platform.gatewayUrl,
      '{ investors { total } }',
      {},
      await api.token('investor@acme.test'),
    );
    expect(investors.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('onboards an investor (compliance only), counts it on the deal, and hides it from the other tenant', async () => {
    const input = {
      legalName: 'Quay Street Capital',
      kind: 'ENTITY',
      jurisdiction: 'GB',
      dealIds: [api.acmeDealId],
    };
    const denied = await graphql(
      api.platform.gatewayUrl,
      CREATE_INVESTOR,
      { input },
      await api.token('arranger@acme.test'),
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const created = await graphql<{ createInvestor: { id: string; kycStatus: string } }>(
      api.platform.gatewayUrl,
      CREATE_INVESTOR,
      { input },
      await api.token('compliance@acme.test'),
    );
    expect(created.errors).toBeUndefined();
    expect(created.data?.createInvestor.kycStatus).toBe('PENDING');
    const count = await graphql<{ deal: { investorCount: number } }>(
      api.platform.gatewayUrl,
      'query($id: ID!) { deal(id: $id) { investorCount } }',
      { id: api.acmeDealId },
      await api.token('investor@acme.test'),
    );
    expect(count.data?.deal.investorCount).toBe(3); // the two seeded investors and this one
    const foreign = await graphql<{ investor: unknown }>(
      api.platform.gatewayUrl,
      'query($id: ID!) { investor(id: $id) { id } }',
      { id: created.data?.createInvestor.id },
      await api.token('compliance@borealis.test'),
    );
    expect(foreign.errors).toBeUndefined();
    expect(foreign.data?.investor).toBeNull();
  });

  it('names a malformed jurisdiction and writes nothing', async () => {
    const before = await api.db.query('select count(*)::int as n from investors.investor');
    const res = await graphql(
      api.platform.gatewayUrl,
      CREATE_INVESTOR,
      { input: { legalName: 'Nowhere Ltd', kind: 'ENTITY', jurisdiction: 'Narnia' } },
      await api.token('compliance@acme.test'),
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.extensions?.fields).toHaveProperty('jurisdiction');
    expect((await api.db.query('select count(*)::int as n from investors.investor')).rows[0].n).toBe(
      before.rows[0].n,
    );
  });

  it('links a wallet the investor proves with a signed EIP-4361 message, once, through the gateway', async () => {
    const gw = api.platform.gatewayUrl;
    const created = await graphql<{ createInvestor: { id: string } }>(
      gw,
      CREATE_INVESTOR,
      { input: { legalName: 'Wallet Proof LLC', kind: 'ENTITY', jurisdiction: 'US', dealIds: [] } },
      await api.token('compliance@acme.test'),
    );
    const investorId = created.data!.createInvestor.id;
    const wallet = Wallet.createRandom();
    const CHALLENGE =
      'mutation($id: ID!, $a: String!) { walletChallenge(investorId: $id, address: $a) { message nonce domain expiresAt } }';
    const asInvestor = await graphql(
      gw,
      CHALLENGE,
      { id: investorId, a: wallet.address },
      await api.token('investor@acme.test'),
    );
    expect(asInvestor.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const foreign = await graphql(
      gw,
      CHALLENGE,
      { id: investorId, a: wallet.address },
      await api.token('compliance@borealis.test'),
    );
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const challenge = await graphql<{ walletChallenge: { message: string; domain: string } }>(
      gw,
      CHALLENGE,
      { id: investorId, a: wallet.address },
      await api.token('compliance@acme.test'),
    );
    expect(challenge.errors, JSON.stringify(challenge.errors)).toBeUndefined();
    const { message } = challenge.data!.walletChallenge;
    expect(message).toContain(
      `${challenge.data!.walletChallenge.domain} wants you to sign in with your Ethereum account:\n${wallet.address}`,
    );
    const PROVE =
      'mutation($m: String!, $s: String!) { proveWallet(message: $m, signature: $s) { id walletAddress } }';
    const signature = await wallet.signMessage(message);
    const proved = await graphql<{ proveWallet: { walletAddress: string } }>(
      gw,
      PROVE,
      { m: message, s: signature },
      await api.token('compliance@acme.test'),
    );
    expect(proved.errors, JSON.stringify(proved.errors)).toBeUndefined();
    expect(proved.data!.proveWallet.walletAddress).toBe(wallet.address);
    const replay = await graphql(
      gw,
      PROVE,
      { m: message, s: signature },
      await api.token('compliance@acme.test'),
    );
    expect(replay.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const row = await api.db.query(
      'select count(*)::int as n from investors.wallet_challenge where investor_id = $1 and used_at is not null',
      [investorId],
    );
    expect(row.rows[0].n).toBe(1);
  });

  it('screens investors against the sanctions list: a match blocks, others clear, investors may not screen', async () => {
    const gw = api.platform.gatewayUrl;
    const compliance = await api.token('compliance@acme.test');
    const create = async (legalName: string) =>
      (
        await graphql<{ createInvestor: { id: string } }>(
          gw,
          CREATE_INVESTOR,
          { input: { legalName, kind: 'INDIVIDUAL', jurisdiction: 'GB', dealIds: [] } },
          compliance,
        )
      ).data!.createInvestor.id;
    const SCREEN = 'mutation($id: ID!) { screenInvestor(id: $id) { status matches { entNum name score } } }';
    const listed = await create('Oleg Karavaev');
    const hit = await graphql<{ screenInvestor: { status: string; matches: { entNum: number }[] } }>(
      gw,
      SCREEN,
      { id: listed },
      compliance,
    );
    expect(hit.errors).toBeUndefined();
    expect(hit.data!.screenInvestor.status).toBe('BLOCKED');
    expect(hit.data!.screenInvestor.matches[0]!.entNum).toBe(10002);
    const clean = await create('Priya Raman');
    const clear = await graphql<{ screenInvestor: { status: string } }>(
      gw,
      SCREEN,
      { id: clean },
      compliance,
    );
    expect(clear.data!.screenInvestor.status).toBe('CLEAR');
    const read = await graphql<{ investor: { sanctionsStatus: string } }>(
      gw,
      'query($id: ID!) { investor(id: $id) { sanctionsStatus } }',
      { id: listed },
      compliance,
    );
    expect(read.data!.investor.sanctionsStatus).toBe('BLOCKED');
    const denied = await graphql(gw, SCREEN, { id: clean }, await api.token('investor@acme.test'));
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('credentials: KYC by the provider, accreditation, verification, portfolio, expiry', () => {
  const gw = () => api.platform.gatewayUrl;
  const webhookUrl = () => gw().replace(/graphql$/, 'webhooks/kyc');
  const create = async (legalName: string, kind = 'INDIVIDUAL', jurisdiction = 'GB') => {
    const r = await graphql<{ createInvestor: { id: string } }>(
      gw(),
      CREATE_INVESTOR,
      { input: { legalName, kind, jurisdiction, dealIds: [] } },
      await api.token('compliance@acme.test'),
    );
    return r.data!.createInvestor.id;
  };
  const START =
    'mutation($id: ID!) { startKycInquiry(investorId: $id) { id providerInquiryId hostedUrl status } }';
  const READ =
    'query($id: ID!) { investor(id: $id) { kycStatus kycProvider kycVerifiedAt kycExpiresAt kycDocumentSha256 kycInquiries { status } } }';
  type Kyc = {
    kycStatus: string;
    kycProvider: string | null;
    kycVerifiedAt: string | null;
    kycExpiresAt: string | null;
    kycDocumentSha256: string | null;
    kycInquiries: { status: string }[];
  };
  const read = async (id: string) =>
    (await graphql<{ investor: Kyc }>(gw(), READ, { id }, await api.token('compliance@acme.test'))).data!
      .investor;
  const sandbox = (path: string, method = 'POST') =>
    fetch(`${api.platform.kycSandboxUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${api.platform.kyc.apiKey}` },
    });
  const post = (body: string, signature: string) =>
    fetch(webhookUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'persona-signature': signature },
      body,
    });
  const eventFor = (
    inquiryId: string,
    name = 'inquiry.approved',
    id = `evt_${Math.random().toString(16).slice(2)}`,
  ) =>
    JSON.stringify({
      data: {
        type: 'event',
        id,
        attributes: {
          name,
          'created-at': new Date().toISOString(),
          payload: { data: { type: 'inquiry', id: inquiryId } },
        },
      },
    });

  it('opens an inquiry (compliance, own tenant); the investor passes on the hosted page and the signed webhook verifies them', async () => {
    const id = await create('Harriet Vane');
    const arranger = await graphql(gw(), START, { id }, await api.token('arranger@acme.test'));
    expect(arranger.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const otherTenant = await graphql(gw(), START, { id }, await api.token('compliance@borealis.test'));
    expect(otherTenant.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const opened = await graphql<{
      startKycInquiry: { providerInquiryId: string; hostedUrl: string; status: string };
    }>(gw(), START, { id }, await api.token('compliance@acme.test'));
    expect(opened.errors).toBeUndefined();
    const inquiry = opened.data!.startKycInquiry;
    expect(inquiry.status).toBe('OPEN');
    // the investor completes the provider's hosted page
    const page = await fetch(inquiry.hostedUrl);
    expect(await page.text()).toContain('Harriet Vane');
    const url = new URL(inquiry.hostedUrl);
    const passed = await fetch(`${api.platform.kycSandboxUrl}/verify`, {
      method: 'POST',
      body: new URLSearchParams({
        'inquiry-id': url.searchParams.get('inquiry-id')!,
        code: url.searchParams.get('code')!,
        outcome: 'pass',
      }),
    });
    expect(passed.status).toBe(200);
    const verified = await eventually(async () => {
      const r = await read(id);
      return r.kycStatus === 'VERIFIED' ? r : undefined;
    }, 20_000);
    expect(verified.kycProvider).toBe('kyc-sandbox');
    expect(verified.kycDocumentSha256).toMatch(/^[0-9a-f]{64}$/);
    const days = (Date.parse(verified.kycExpiresAt!) - Date.parse(verified.kycVerifiedAt!)) / 86_400_000;
    expect(days).toBe(365);
    expect(verified.kycInquiries[0]!.status).toBe('APPROVED');
    const audit = await api.db.query(
      `select count(*)::int as n from investors.outbox_event where aggregate_id = $1 and action = 'investor.kyc_verified'`,
      [id],
    );
    expect(audit.rows[0].n).toBe(1);
  });

  it('refuses forged, stale, malformed and replayed webhooks, and applies each event once', async () => {
    const id = await create('Peter Wimsey');
    const opened = await graphql<{ startKycInquiry: { providerInquiryId: string } }>(
      gw(),
      START,
      { id },
      await api.token('compliance@acme.test'),
    );
    const inquiryId = opened.data!.startKycInquiry.providerInquiryId;
    const secret = api.platform.kyc.webhookSecret;
    const body = eventFor(inquiryId, 'inquiry.approved');
    const forged = await post(body, sandboxSignature('not-the-secret-0000000000', body));
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { code: string }).code).toBe('BAD_SIGNATURE');
    const unsigned = await post(body, '');
    expect(unsigned.status).toBe(401);
    const stale = await post(body, sandboxSignature(secret, body, Math.floor(Date.now() / 1000) - 3600));
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { code: string }).code).toBe('STALE_TIMESTAMP');
    const tampered = await post(
      body.replace('inquiry.approved', 'inquiry.declined'),
      sandboxSignature(secret, body),
    );
    expect(tampered.status).toBe(401);
    const malformed = '{"data":{"type":"event"}}';
    expect((await post(malformed, sandboxSignature(secret, malformed))).status).toBe(400);
    // nothing above was recorded, and the investor is still pending
    const none = await api.db.query(
      'select count(*)::int as n from investors.kyc_webhook_event where provider_inquiry_id = $1',
      [inquiryId],
    );
    expect(none.rows[0].n).toBe(0);
    expect((await read(id)).kycStatus).toBe('PENDING');

    // the provider decides; its event (our own, signed with the right secret) is accepted once
    expect((await sandbox(`/inquiries/${inquiryId}/decline`)).status).toBe(200);
    const accepted = await post(body, sandboxSignature(secret, body));
    expect(accepted.status).toBe(200);
    const replay = await post(body, sandboxSignature(secret, body));
    expect(replay.status).toBe(409);
    expect(((await replay.json()) as { code: string }).code).toBe('REPLAYED_EVENT');
    // the event says "approved" but the provider's record says declined: the record wins
    const rejected = await eventually(async () => {
      const r = await read(id);
      return r.kycStatus === 'REJECTED' ? r : undefined;
    }, 20_000);
    expect(rejected.kycInquiries[0]!.status).toBe('DECLINED');
    const events = await api.db.query(
      `select count(*)::int as n from investors.outbox_event where aggregate_id = $1 and action = 'investor.kyc_rejected'`,
      [id],
    );
    expect(events.rows[0].n).toBe(1);
  });

  it('records accreditation and the profile, naming each bad field and writing nothing', async () => {
    const id = await create('Bunter Holdings Ltd', 'ENTITY', 'US');
    const compliance = await api.token('compliance@acme.test');
    const ACCREDIT =
      'mutation($id: ID!, $i: AccreditationInput!) { recordAccreditation(investorId: $id, input: $i) { accreditationType accreditationExpiresAt } }';
    const bad = await graphql(
      gw(),
      ACCREDIT,
      { id, i: { type: 'INCOME', expiresAt: '2020-01-01T00:00:00Z', proofSha256: 'a'.repeat(64) } },
      compliance,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(Object.keys(bad.errors?.[0]?.extensions?.fields as object).sort()).toEqual(['expiresAt', 'type']);
    const later = new Date(Date.now() + 180 * 86_400_000).toISOString();
    const ok = await graphql<{ recordAccreditation: { accreditationType: string } }>(
      gw(),
      ACCREDIT,
      { id, i: { type: 'ENTITY', expiresAt: later, proofSha256: 'B'.repeat(64) } },
      compliance,
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.recordAccreditation.accreditationType).toBe('ENTITY');
    const PROFILE =
      'mutation($id: ID!, $i: InvestorProfileInput!) { updateInvestorProfile(investorId: $id, input: $i) { state taxResidencies portalSubject } }';
    const badProfile = await graphql(
      gw(),
      PROFILE,
      { id, i: { state: 'GB-LND', taxResidencies: ['US', 'XX'] } },
      compliance,
    );
    expect(Object.keys(badProfile.errors?.[0]?.extensions?.fields as object).sort()).toEqual([
      'state',
      'taxResidencies',
    ]);
    const profile = await graphql<{ updateInvestorProfile: { state: string; taxResidencies: string[] } }>(
      gw(),
      PROFILE,
      { id, i: { state: 'us-ny', taxResidencies: ['US', 'IE', 'US'] } },
      compliance,
    );
    expect(profile.data!.updateInvestorProfile).toMatchObject({
      state: 'US-NY',
      taxResidencies: ['US', 'IE'],
    });
    const investor = await graphql(
      gw(),
      PROFILE,
      { id, i: { state: 'US-CA' } },
      await api.token('investor@acme.test'),
    );
    expect(investor.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('verifies an address, naming what is missing, and shows the linked investor their portfolio only', async () => {
    const compliance = await api.token('compliance@acme.test');
    const VERIFY =
      'mutation($a: String!) { verifyInvestor(address: $a) { address verified missing checks { name passed required } investor { id } } }';
    type V = { verifyInvestor: { verified: boolean; missing: string[]; investor: { id: string } | null } };
    const stranger = await graphql<V>(gw(), VERIFY, { a: Wallet.createRandom().address }, compliance);
    expect(stranger.data!.verifyInvestor).toMatchObject({
      verified: false,
      missing: ['wallet'],
      investor: null,
    });
    const malformed = await graphql<V>(gw(), VERIFY, { a: '0x123' }, compliance);
    expect(malformed.data!.verifyInvestor.verified).toBe(false);
    // a verified, screened investor with a proven wallet passes
    const id = await create('Miriam Tallboy');
    const wallet = Wallet.createRandom().address;
    await api.db.query(
      `update investors.investor set kyc_status = 'VERIFIED', kyc_expires_at = now() + interval '100 days', sanctions_status = 'CLEAR', wallet_address = $2 where id = $1`,
      [id, wallet],
    );
    const passed = await graphql<V>(gw(), VERIFY, { a: wallet.toLowerCase() }, compliance);
    expect(passed.errors).toBeUndefined();
    expect(passed.data!.verifyInvestor).toMatchObject({ verified: true, missing: [], investor: { id } });
    await api.db.query(`update investors.investor set sanctions_status = 'BLOCKED' where id = $1`, [id]);
    const blocked = await graphql<V>(gw(), VERIFY, { a: wallet }, compliance);
    expect(blocked.data!.verifyInvestor).toMatchObject({ verified: false, missing: ['sanctions'] });
    const asInvestor = await graphql(gw(), VERIFY, { a: wallet }, await api.token('investor@acme.test'));
    expect(asInvestor.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // the portfolio: null until compliance links the portal user, then the investor's own
    const PORTFOLIO = '{ portfolio { investorId legalName wallet positions { balance } } }';
    const investorToken = await api.token('investor@acme.test');
    const before = await graphql<{ portfolio: null }>(gw(), PORTFOLIO, {}, investorToken);
    expect(before.errors).toBeUndefined();
    expect(before.data!.portfolio).toBeNull();
    const link = await graphql(
      gw(),
      'mutation($id: ID!) { updateInvestorProfile(investorId: $id, input: { portalSubject: "acme-investor" }) { portalSubject } }',
      { id },
      compliance,
    );
    expect(link.errors).toBeUndefined();
    const mine = await graphql<{ portfolio: { investorId: string; wallet: string; positions: unknown[] } }>(
      gw(),
      PORTFOLIO,
      {},
      investorToken,
    );
    expect(mine.data!.portfolio).toMatchObject({ investorId: id, wallet, positions: [] });
    const staff = await graphql(gw(), PORTFOLIO, {}, compliance);
    expect(staff.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const borealis = await graphql<{ portfolio: null }>(
      gw(),
      PORTFOLIO,
      {},
      await api.token('investor@borealis.test'),
    );
    expect(borealis.data!.portfolio).toBeNull();
  });

  it('expires verified KYC past its date (the daily job) and lists what expires soon', async () => {
    const soon = await create('Charles Parker');
    const gone = await create('Mervyn Bunter');
    await api.db.query(
      `update investors.investor set kyc_status = 'VERIFIED', kyc_expires_at = now() + interval '10 days' where id = $1`,
      [soon],
    );
    await api.db.query(
      `update investors.investor set kyc_status = 'VERIFIED', kyc_expires_at = now() - interval '1 day' where id = $1`,
      [gone],
    );
    const compliance = await api.token('compliance@acme.test');
    const listed = await graphql<{ expiringCredentials: { investor: { id: string }; credential: string }[] }>(
      gw(),
      '{ expiringCredentials { investor { id } credential expiresAt } }',
      {},
      compliance,
    );
    const ids = listed.data!.expiringCredentials.map((c) => c.investor.id);
    expect(ids).toEqual(expect.arrayContaining([soon, gone]));
    await api.db.query(`select graphile_worker.add_job('investors:credential-expiry')`);
    await eventually(async () => ((await read(gone)).kycStatus === 'EXPIRED' ? true : undefined), 20_000);
    expect((await read(soon)).kycStatus).toBe('VERIFIED');
  });

  it('re-screens every investor when the sanctions list changes, and a review clears a false positive', async () => {
    const id = await create('Lord Peter Quill');
    const compliance = await api.token('compliance@acme.test');
    const clear = await graphql<{ screenInvestor: { status: string } }>(
      gw(),
      'mutation($id: ID!) { screenInvestor(id: $id) { status } }',
      { id },
      compliance,
    );
    expect(clear.data!.screenInvestor.status).toBe('CLEAR');
    // OFAC publishes a new list naming him
    appendFileSync(
      join(listDir, 'sdn.csv'),
      '10099,"QUILL, Peter","individual","SDGT","-0- ","-0- ","-0- ","-0- ","-0- ","-0- ","-0- ","Added by the test (fictitious)."\n',
    );
    await api.db.query(`select graphile_worker.add_job('investors:sanctions-rescreen')`);
    await eventually(async () => {
      const r = await graphql<{ investor: { sanctionsStatus: string } }>(
        gw(),
        'query($id: ID!) { investor(id: $id) { sanctionsStatus } }',
        { id },
        compliance,
      );
      return r.data!.investor.sanctionsStatus === 'BLOCKED' ? true : undefined;
    }, 30_000);
    // every investor of both tenants was screened against the new version
    const unscreened = await api.db.query(
      `select count(*)::int as n from investors.investor i where not exists (
         select 1 from investors.sanctions_screening s where s.investor_id = i.id
            and s.list_sha256 = (select list_sha256 from investors.sanctions_screening where investor_id = $1 order by screened_at desc limit 1))`,
      [id],
    );
    expect(unscreened.rows[0].n).toBe(0);
    const REVIEW =
      'mutation($id: ID!, $fp: Boolean!, $c: String!) { reviewSanctionsHit(investorId: $id, falsePositive: $fp, comment: $c) { sanctionsStatus } }';
    const noComment = await graphql(gw(), REVIEW, { id, fp: true, c: ' ' }, compliance);
    expect(noComment.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const reviewed = await graphql<{ reviewSanctionsHit: { sanctionsStatus: string } }>(
      gw(),
      REVIEW,
      { id, fp: true, c: 'different person: date of birth differs' },
      compliance,
    );
    expect(reviewed.data!.reviewSanctionsHit.sanctionsStatus).toBe('CLEAR');
    const twice = await graphql(gw(), REVIEW, { id, fp: true, c: 'again' }, compliance);
    expect(twice.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});
