/**
 * The investors subgraph through the gateway (on a platform of this file's own): staff-only
 * reads, compliance-only onboarding with named errors, tenant isolation, and the
 * `Deal.investorCount` it adds to the deals subgraph's Deal.
 */
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
});
