import { print } from 'graphql';
import type { DataProvider } from 'ra-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildQuery } from '../providers/buildQuery';
import { statementFileName, withStatementDownloads } from './statementDownload';
import { parseStatementId, statementId } from './statementsQuery';

afterEach(() => vi.unstubAllGlobals());

describe('investor statements', () => {
  it('names a statement by investor and year or month, and reads it back', () => {
    expect(statementId({ investorId: 'i1', year: 2026 })).toBe('i1:2026');
    expect(statementId({ investorId: 'i1', year: 2026, month: 3 })).toBe('i1:2026-3');
    expect(parseStatementId('i1:2026-3')).toEqual({ investorId: 'i1', year: 2026, month: 3 });
    expect(parseStatementId('i1:2026')).toEqual({ investorId: 'i1', year: 2026 });
    expect(() => parseStatementId('i1:2026-13')).toThrow('tranche.errors.invalid_input');
    expect(() => parseStatementId('2026')).toThrow('tranche.errors.invalid_input');
  });

  it('asks for the lines, totals and download paths of one month or the whole year', () => {
    const month = buildQuery('GET_ONE', 'investorStatements', { id: 'i1:2026-3' });
    expect(month.variables).toEqual({ investorId: 'i1', year: 2026, month: 3 });
    expect(print(month.query)).toContain('taxSummaryPdfPath');
    expect(buildQuery('GET_ONE', 'investorStatements', { id: 'i1:2026' }).variables).toEqual({
      investorId: 'i1',
      year: 2026,
      month: null,
    });
    expect(
      month.parseResponse({
        data: { investorStatement: { investorId: 'i1', lines: [], csvPath: '/statements/i1/2026-03.csv' } },
      }),
    ).toEqual({
      data: { id: 'i1:2026-3', investorId: 'i1', lines: [], csvPath: '/statements/i1/2026-03.csv' },
    });
    expect(() => buildQuery('GET_LIST', 'investorStatements', {})).toThrow('tranche.errors.unsupported');
  });

  it('downloads a statement from the gateway with the bearer token, and names the file as the server does', async () => {
    const fetchMock = vi.fn(async () => new Response('csv', { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    const provider = withStatementDownloads({} as DataProvider, 'http://gw.test/graphql', () => 'tok');
    await expect(
      provider.downloadStatement('/statements/i1/2026-03.csv').then((b) => b.text()),
    ).resolves.toBe('csv');
    expect(fetchMock).toHaveBeenCalledWith(new URL('http://gw.test/statements/i1/2026-03.csv'), {
      headers: { Authorization: 'Bearer tok' },
    });
    fetchMock.mockResolvedValueOnce(new Response('', { status: 403 }));
    await expect(provider.downloadStatement('/statements/i2/2026.pdf')).rejects.toMatchObject({
      status: 403,
      message: 'tranche.errors.forbidden',
    });
    expect(statementFileName('/statements/i1/2026-1099.pdf')).toBe('statement-i1-2026-1099.pdf');
  });
});
