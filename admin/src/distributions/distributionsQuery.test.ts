import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildQuery } from '../providers/buildQuery';
import {
  approvesPayouts,
  canonicalJson,
  executionPayloadOf,
  parseIndexRates,
  toServicerReportJson,
} from './distributionsQuery';

const opName = (built: { query: Parameters<typeof print>[0] }) =>
  /(query|mutation) (\w+)/.exec(print(built.query))?.[2];

const REPORT = {
  id: 'r1',
  dealId: 'd1',
  period: 1,
  inputSha256: 'ab'.repeat(32),
  recordBlock: 57,
  status: 'PENDING',
  payouts: [
    { trancheId: 't-m', merkleRoot: '0xm', total: '312500000000', classCash: '31250000' },
    { trancheId: 't-a', merkleRoot: '0xa', total: '3583333330000', classCash: '358333333' },
  ],
};

describe('buildQuery for the distribution pages', () => {
  it('lists servicer reports by deal with server paging, with the card, payouts and reconciliation', () => {
    const list = buildQuery('GET_LIST', 'distributions', {
      pagination: { page: 2, perPage: 10 },
      filter: { dealId: 'd1', status: 'PENDING' },
    });
    expect([opName(list), list.variables]).toEqual([
      'ServicerReports',
      { dealId: 'd1', page: { offset: 10, limit: 10 } },
    ]);
    for (const field of ['totals', 'grossCollections', 'payouts', 'classCash', 'classes'])
      expect(print(list.query)).toContain(field);
    // a page of 100 must stay within the gateway's query cost: no transactions or reconciliation
    for (const field of ['fundTx', 'reconciliation', 'summary'])
      expect(print(list.query)).not.toContain(field);
    expect(list.parseResponse({ data: { servicerReports: { items: [{ id: 'r1' }], total: 11 } } })).toEqual({
      data: [{ id: 'r1' }],
      total: 11,
    });
    const all = buildQuery('GET_LIST', 'distributions', { pagination: { page: 1, perPage: 25 }, filter: {} });
    expect(all.variables).toEqual({ page: { offset: 0, limit: 25 } });
    const one = buildQuery('GET_ONE', 'distributions', { id: 'r1' });
    expect([opName(one), one.variables]).toEqual(['ServicerReport', { id: 'r1' }]);
    expect(() => one.parseResponse({ data: { servicerReport: null } })).toThrow(
      'ra.notification.item_doesnt_exist',
    );
  });

  it('submits the report form as the JSON the API validates', () => {
    const built = buildQuery('CREATE', 'distributions', {
      data: {
        dealId: 'd1',
        report: {
          period: ' 1 ',
          poolBalanceBegin: '500,000,000.00',
          interestCollected: '2100000.00',
          scheduledPrincipal: '600000.00',
          prepayments: '1 400 000.00',
          poolBalanceEnd: '498000000.00',
          recoveries: '',
          realizedLosses: '0',
          indexRates: '',
        },
      },
    });
    expect(opName(built)).toBe('SubmitServicerReport');
    expect(built.variables.dealId).toBe('d1');
    expect(JSON.parse(String(built.variables.report))).toEqual({
      period: 1,
      poolBalanceBegin: '500000000.00',
      interestCollected: '2100000.00',
      scheduledPrincipal: '600000.00',
      prepayments: '1400000.00',
      poolBalanceEnd: '498000000.00',
      realizedLosses: '0',
    });
  });

  it('leaves what is wrong for the server to name: a non-numeric period and an empty required amount are sent as typed', () => {
    expect(JSON.parse(toServicerReportJson({ period: 'one', poolBalanceBegin: '' }))).toMatchObject({
      period: 'one',
      poolBalanceBegin: '',
      poolBalanceEnd: '',
    });
    expect(parseIndexRates('sofr=5.31; EURIBOR3M = 3.9,')).toEqual({ SOFR: '5.31', EURIBOR3M: '3.9' });
    expect(JSON.parse(toServicerReportJson({ period: 2, indexRates: 'SOFR=5.31' })).indexRates).toEqual({
      SOFR: '5.31',
    });
  });

  it('previews at a record block (or the latest), executes with a change request, reconciles', () => {
    const preview = buildQuery('CREATE', 'distributionPreviews', {
      data: { dealId: 'd1', period: 1, recordBlock: ' 57 ' },
    });
    expect([opName(preview), preview.variables]).toEqual([
      'PreviewDistribution',
      { dealId: 'd1', period: 1, recordBlock: 57 },
    ]);
    expect(
      buildQuery('CREATE', 'distributionPreviews', { data: { dealId: 'd1', period: 1 } }).variables,
    ).toEqual({ dealId: 'd1', period: 1, recordBlock: null });
    expect(
      preview.parseResponse({
        data: {
          previewDistribution: {
            executionPayload: '{}',
            roundingRule: 'floor',
            report: { id: 'r1', status: 'PENDING' },
          },
        },
      }),
    ).toEqual({ data: { id: 'r1', status: 'PENDING', executionPayload: '{}', roundingRule: 'floor' } });
    const execute = buildQuery('CREATE', 'distributionExecutions', {
      data: { id: 'r1', changeRequestId: 'cr1' },
    });
    expect([opName(execute), execute.variables]).toEqual([
      'ExecuteDistribution',
      { id: 'r1', changeRequestId: 'cr1' },
    ]);
    const reconcile = buildQuery('CREATE', 'distributionReconciliations', { data: { id: 'r1' } });
    expect([opName(reconcile), reconcile.variables]).toEqual(['ReconcileDistribution', { id: 'r1' }]);
    expect(() => buildQuery('GET_LIST', 'distributionExecutions', {})).toThrow('tranche.errors.unsupported');
  });

  it('projects the deal under the base scenario for the cash-flow chart', () => {
    const built = buildQuery('GET_ONE', 'dealProjections', { id: 'd1' });
    expect([opName(built), built.variables]).toEqual([
      'DealProjection',
      { id: 'd1', scenario: { name: 'Base', horizonMonths: 120 } },
    ]);
    expect(
      built.parseResponse({
        data: {
          deal: {
            id: 'd1',
            currency: 'USD',
            projection: { scenarioName: 'Base', classes: [{ classId: 'A' }] },
          },
        },
      }),
    ).toEqual({ data: { id: 'd1', currency: 'USD', scenarioName: 'Base', classes: [{ classId: 'A' }] } });
  });
});

describe('the payload a distribution.execute approval binds to', () => {
  it('is the server’s executionPayload: report, period, inputs, record block and each tranche’s root and total by tranche id', () => {
    expect(executionPayloadOf(REPORT)).toEqual({
      reportId: 'r1',
      dealId: 'd1',
      period: 1,
      inputSha256: 'ab'.repeat(32),
      recordBlock: 57,
      tranches: [
        { trancheId: 't-a', merkleRoot: '0xa', total: '3583333330000' },
        { trancheId: 't-m', merkleRoot: '0xm', total: '312500000000' },
      ],
    });
    expect(executionPayloadOf({ ...REPORT, payouts: [] })).toBeUndefined();
    expect(executionPayloadOf({ ...REPORT, recordBlock: null })).toBeUndefined();
  });

  it('matches a change request’s payload whatever its key order or layout, and nothing else', () => {
    const payload = executionPayloadOf(REPORT);
    const reordered = JSON.stringify(
      {
        tranches: payload?.tranches.map((t) => ({
          total: t.total,
          trancheId: t.trancheId,
          merkleRoot: t.merkleRoot,
        })),
        ...payload,
      },
      null,
      2,
    );
    expect(approvesPayouts(reordered, REPORT)).toBe(true);
    const tampered = JSON.parse(reordered) as { tranches: { total: string }[] };
    tampered.tranches[0]!.total = '1';
    expect(approvesPayouts(JSON.stringify(tampered), REPORT)).toBe(false);
    expect(approvesPayouts('{', REPORT)).toBe(false);
    expect(approvesPayouts(JSON.stringify(payload), { ...REPORT, payouts: [] })).toBe(false);
    expect(canonicalJson({ b: [1, { d: null, c: 'x' }], a: true })).toBe(
      '{"a":true,"b":[1,{"c":"x","d":null}]}',
    );
  });
});
