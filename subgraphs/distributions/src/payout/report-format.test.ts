import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@tranche/platform';
import { describe, expect, it } from 'vitest';
import { FileDropConnector, reportJson } from './report-format.js';

const fieldsOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    if (err instanceof ValidationError) return err.fields;
    throw err;
  }
  throw new Error('no error');
};

describe('servicer report formats', () => {
  it('reads a one-row CSV in snake_case or camelCase, in any column order, with index fixings', () => {
    const csv =
      '\uFEFFpool_balance_end,period,poolBalanceBegin,interest_collected,scheduled_principal,prepayments,index_sofr\r\n' +
      '498000000.00,1,500000000.00,2100000.00,600000.00,1400000.00,5.31\r\n';
    expect(JSON.parse(reportJson(csv, 'CSV'))).toEqual({
      poolBalanceEnd: '498000000.00',
      period: 1,
      poolBalanceBegin: '500000000.00',
      interestCollected: '2100000.00',
      scheduledPrincipal: '600000.00',
      prepayments: '1400000.00',
      indexRates: { SOFR: '5.31' },
    });
  });

  it('names an unknown column, an empty cell, a bad period, a second row and bad JSON', () => {
    expect(fieldsOf(() => reportJson('period,colour\n1,blue\n', 'CSV'))).toEqual({
      'report.colour': 'unknown column',
    });
    expect(fieldsOf(() => reportJson('period,prepayments\n1,\n', 'CSV'))).toEqual({
      'report.prepayments': 'empty',
    });
    expect(fieldsOf(() => reportJson('period\n1.5\n', 'CSV'))).toEqual({ 'report.period': 'a whole number' });
    expect(Object.keys(fieldsOf(() => reportJson('period\n1\n2\n', 'CSV')))).toEqual(['report']);
    expect(Object.keys(fieldsOf(() => reportJson('period,a\n"1,2\n', 'CSV')))).toEqual(['report']);
    expect(fieldsOf(() => reportJson('{nope', 'JSON'))).toEqual({ report: 'not JSON' });
  });

  it('pulls what a servicer dropped for the deal and period, JSON first, and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'servicer-'));
    const deal = '7b0e5c1e-0000-4000-8000-000000000001';
    mkdirSync(join(dir, deal));
    writeFileSync(join(dir, deal, '1.csv'), 'period\n1\n');
    writeFileSync(join(dir, deal, '2.json'), '{"period":2}');
    const connector = new FileDropConnector(dir);
    expect(await connector.fetch(deal, 1)).toEqual({ text: 'period\n1\n', format: 'CSV' });
    expect(await connector.fetch(deal, 2)).toEqual({ text: '{"period":2}', format: 'JSON' });
    expect(await connector.fetch(deal, 3)).toBeNull();
    expect(await connector.fetch('../../etc', 1)).toBeNull();
  });
});
