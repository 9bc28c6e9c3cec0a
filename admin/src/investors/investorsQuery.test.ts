import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildQuery } from '../providers/buildQuery';
import {
  expiringCredentialId,
  parseCountryList,
  toAccreditationVariables,
  toInvestorProfileInput,
} from './investorsQuery';

const opName = (built: { query: Parameters<typeof print>[0] }) =>
  /(query|mutation) (\w+)/.exec(print(built.query))?.[2];

describe('buildQuery for the investor pages', () => {
  it('lists investors with server paging and reads one with its inquiries and holdings', () => {
    const list = buildQuery('GET_LIST', 'investors', { pagination: { page: 3, perPage: 20 }, filter: {} });
    expect([opName(list), list.variables]).toEqual(['Investors', { page: { offset: 40, limit: 20 } }]);
    expect(list.parseResponse({ data: { investors: { items: [{ id: 'i1' }], total: 41 } } })).toEqual({
      data: [{ id: 'i1' }],
      total: 41,
    });
    const one = buildQuery('GET_ONE', 'investors', { id: 'i1' });
    expect([opName(one), one.variables]).toEqual(['Investor', { id: 'i1' }]);
    expect(print(one.query)).toContain('kycInquiries');
    expect(print(one.query)).toContain('holdings');
    expect(() => one.parseResponse({ data: { investor: null } })).toThrow(
      'ra.notification.item_doesnt_exist',
    );
  });

  it('creates an investor with a trimmed name and an upper-cased jurisdiction', () => {
    const built = buildQuery('CREATE', 'investors', {
      data: { legalName: ' Harbor Fund ', kind: 'ENTITY', jurisdiction: 'us ', dealIds: [] },
    });
    expect([opName(built), built.variables]).toEqual([
      'CreateInvestor',
      { input: { legalName: 'Harbor Fund', kind: 'ENTITY', jurisdiction: 'US' } },
    ]);
  });

  it('updates the profile with only the changed fields; an emptied portal user unlinks', () => {
    const previous = {
      state: 'US-NY',
      taxResidencies: ['US'],
      portalSubject: 'acme-investor',
      legalName: 'X',
    };
    const built = buildQuery('UPDATE', 'investors', {
      id: 'i1',
      data: { ...previous, state: 'US-NY', taxResidencies: 'us, gb', portalSubject: ' ' },
      previousData: previous,
    });
    expect([opName(built), built.variables]).toEqual([
      'UpdateInvestorProfile',
      { investorId: 'i1', input: { taxResidencies: ['US', 'GB'], portalSubject: '' } },
    ]);
    expect(toInvestorProfileInput({ taxResidencies: ['US'] }, previous)).toEqual({});
    expect(toInvestorProfileInput({ portalSubject: 'acme-investor', state: '' })).toEqual({
      portalSubject: 'acme-investor',
      state: '',
    });
    expect(parseCountryList('ie; IE ,de')).toEqual(['IE', 'DE']);
  });

  it('maps the investor actions to their mutations', () => {
    const kyc = buildQuery('CREATE', 'kycInquiries', { data: { investorId: 'i1' } });
    expect([opName(kyc), kyc.variables]).toEqual(['StartKycInquiry', { investorId: 'i1' }]);
    expect(
      kyc.parseResponse({ data: { startKycInquiry: { id: 'q1', hostedUrl: 'http://kyc/verify?x' } } }),
    ).toEqual({ data: { id: 'q1', hostedUrl: 'http://kyc/verify?x' } });

    const screen = buildQuery('CREATE', 'sanctionsScreenings', { data: { investorId: 'i1' } });
    expect([opName(screen), screen.variables]).toEqual(['ScreenInvestor', { id: 'i1' }]);

    const review = buildQuery('CREATE', 'sanctionsReviews', {
      data: { investorId: 'i1', falsePositive: true, comment: ' namesake, different DOB ' },
    });
    expect([opName(review), review.variables]).toEqual([
      'ReviewSanctionsHit',
      { investorId: 'i1', falsePositive: true, comment: 'namesake, different DOB' },
    ]);
    expect(() =>
      buildQuery('CREATE', 'sanctionsReviews', { data: { investorId: 'i1', comment: 'x' } }),
    ).toThrow('tranche.errors.invalid_input');

    const verify = buildQuery('CREATE', 'investorVerifications', { data: { address: ' 0xAbC ' } });
    expect([opName(verify), verify.variables]).toEqual(['VerifyInvestor', { address: '0xAbC' }]);
    expect(
      verify.parseResponse({ data: { verifyInvestor: { address: '0xabc', verified: false, checks: [] } } }),
    ).toEqual({ data: { id: '0xAbC', address: '0xabc', verified: false, checks: [] } });
  });

  it('records accreditation with the expiry date as an instant and the hash lower-cased', () => {
    const hash = 'AB'.repeat(32);
    const built = buildQuery('CREATE', 'accreditations', {
      data: { investorId: 'i1', type: 'NET_WORTH', expiresAt: '2027-06-30', proofSha256: ` ${hash} ` },
    });
    expect(opName(built)).toBe('RecordAccreditation');
    expect(built.variables).toEqual({
      investorId: 'i1',
      input: { type: 'NET_WORTH', expiresAt: '2027-06-30T00:00:00.000Z', proofSha256: 'ab'.repeat(32) },
    });
    expect(toAccreditationVariables({ investorId: 'i1', type: 'INCOME', expiresAt: '' }).input).toEqual({
      type: 'INCOME',
      expiresAt: undefined,
      proofSha256: '',
    });
  });

  it('reads screenings of the referenced investor, paged here (the API returns them all)', () => {
    const built = buildQuery('GET_MANY_REFERENCE', 'sanctionsScreenings', {
      target: 'investorId',
      id: 'i1',
      pagination: { page: 2, perPage: 1 },
      sort: { field: 'screenedAt', order: 'DESC' },
      filter: {},
    });
    expect([opName(built), built.variables]).toEqual(['SanctionsScreenings', { investorId: 'i1' }]);
    expect(built.parseResponse({ data: { sanctionsScreenings: [{ id: 's2' }, { id: 's1' }] } })).toEqual({
      data: [{ id: 's1' }],
      total: 2,
    });
  });

  it('keys expiring credentials by investor and credential, and passes the horizon in days', () => {
    const built = buildQuery('GET_LIST', 'expiringCredentials', {
      pagination: { page: 1, perPage: 50 },
      filter: { days: '30' },
    });
    expect([opName(built), built.variables]).toEqual(['ExpiringCredentials', { days: 30 }]);
    const row = { investor: { id: 'i1', legalName: 'A' }, credential: 'KYC', expiresAt: '2026-01-01' };
    expect(built.parseResponse({ data: { expiringCredentials: [row] } })).toEqual({
      data: [{ ...row, id: 'i1:KYC' }],
      total: 1,
    });
    expect(expiringCredentialId({ credential: 'ACCREDITATION' })).toBe(':ACCREDITATION');
    expect(buildQuery('GET_LIST', 'expiringCredentials', { filter: {} }).variables).toEqual({});
  });

  it('reads a deal’s cap tables as one record per tranche carrying the deal currency', () => {
    const built = buildQuery('GET_MANY_REFERENCE', 'capTables', {
      target: 'dealId',
      id: 'd1',
      pagination: { page: 1, perPage: 100 },
      sort: { field: 'id', order: 'ASC' },
      filter: {},
    });
    expect([opName(built), built.variables]).toEqual(['CapTables', { dealId: 'd1' }]);
    const holding = { wallet: '0x1', balance: '100', share: 1, investorId: 'i1', investorName: 'A' };
    expect(
      built.parseResponse({
        data: {
          deal: { id: 'd1', currency: 'USD', tranches: [{ id: 't1', name: 'A', capTable: [holding] }] },
        },
      }),
    ).toEqual({
      data: [{ id: 't1', name: 'A', capTable: [holding], dealId: 'd1', currency: 'USD' }],
      total: 1,
    });
  });

  it('reads the portfolio; null (user not linked to an investor) is an unlinked, empty one', () => {
    const built = buildQuery('GET_ONE', 'portfolio', { id: 'mine' });
    expect(opName(built)).toBe('Portfolio');
    expect(built.parseResponse({ data: { portfolio: null } })).toEqual({
      data: { id: 'mine', linked: false, positions: [] },
    });
    expect(
      built.parseResponse({ data: { portfolio: { investorId: 'i1', legalName: 'A', positions: [] } } }),
    ).toEqual({ data: { id: 'mine', linked: true, investorId: 'i1', legalName: 'A', positions: [] } });
  });

  it('refuses what the API has no operation for', () => {
    expect(() => buildQuery('DELETE', 'investors', { id: 'i1' })).toThrow('tranche.errors.unsupported');
    expect(() => buildQuery('GET_LIST', 'kycInquiries', {})).toThrow('tranche.errors.unsupported');
    expect(() => buildQuery('UPDATE', 'portfolio', { id: 'mine', data: {} })).toThrow(
      'tranche.errors.unsupported',
    );
  });
});
