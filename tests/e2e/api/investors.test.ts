/**
 * The investors subgraph through the gateway (on a platform of this file's own): staff-only
 * reads, compliance-only onboarding with named errors, tenant isolation, and the
 * `Deal.investorCount` it adds to the deals subgraph's Deal.
 */
import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { useSeededApi } from '../../support/api.js';
import { graphql } from '../../support/platform.js';

const api = useSeededApi();
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
