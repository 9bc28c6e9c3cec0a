import type { DataProvider, GetListParams, GetManyParams } from 'ra-core';
import { describe, expect, it } from 'vitest';
import { toPageVariables } from './buildQuery';
import { getListFilteredOnClient, getListInSlices, getManyInChunks } from './paging';

// A list of `size` records served the way buildQuery pages them (offset/limit capped at 100).
const serve = (size: number) => {
  const calls: Array<{ offset: number; limit: number }> = [];
  const getList = (async (_resource: string, params: GetListParams) => {
    const page = toPageVariables(params);
    calls.push(page);
    const ids = Array.from({ length: size }, (_, i) => i).slice(page.offset, page.offset + page.limit);
    return { data: ids.map((id) => ({ id })), total: size };
  }) as DataProvider['getList'];
  return { getList, calls };
};

describe('paging', () => {
  it('passes ordinary pages straight through', async () => {
    const { getList, calls } = serve(250);
    const result = await getListInSlices(getList, 'deals', {
      pagination: { page: 3, perPage: 25 },
      sort: { field: 'id', order: 'ASC' },
      filter: {},
    });
    expect(calls).toEqual([{ offset: 50, limit: 25 }]);
    expect(result.data.map((r) => r.id)).toEqual(Array.from({ length: 25 }, (_, i) => 50 + i));
  });

  it('splits an export of 1,000 rows into pages of 100 and stops at the end of the data', async () => {
    const { getList, calls } = serve(250);
    const result = await getListInSlices(getList, 'deals', {
      pagination: { page: 1, perPage: 1000 },
      sort: { field: 'id', order: 'ASC' },
      filter: {},
    });
    expect(calls).toEqual([
      { offset: 0, limit: 100 },
      { offset: 100, limit: 100 },
      { offset: 200, limit: 100 },
    ]);
    expect(result.data).toHaveLength(250);
    expect(result.total).toBe(250);
  });

  it('asks for more than 100 ids in chunks, keeping their order', async () => {
    const seen: number[] = [];
    const getMany = (async (_resource: string, params: GetManyParams) => {
      seen.push(params.ids.length);
      return { data: params.ids.map((id) => ({ id })) };
    }) as DataProvider['getMany'];
    const ids = Array.from({ length: 230 }, (_, i) => `d${i}`);
    const result = await getManyInChunks(getMany, 'deals', { ids });
    expect(seen).toEqual([100, 100, 30]);
    expect(result.data.map((r) => r.id)).toEqual(ids);
  });

  it('filters change requests by risk on the client, sending only the server filters, and pages the rest', async () => {
    const filters: unknown[] = [];
    const getList = (async (_resource: string, params: GetListParams) => {
      filters.push(params.filter);
      const page = toPageVariables(params);
      const all = Array.from({ length: 150 }, (_, i) => ({ id: i, riskLevel: i % 3 === 0 ? 'HIGH' : 'LOW' }));
      return { data: all.slice(page.offset, page.offset + page.limit), total: all.length };
    }) as DataProvider['getList'];
    const result = await getListFilteredOnClient(
      getList,
      'changeRequests',
      {
        pagination: { page: 2, perPage: 10 },
        sort: { field: 'id', order: 'ASC' },
        filter: { status: 'PENDING', riskLevel: 'HIGH' },
      },
      'riskLevel',
    );
    expect(filters[0]).toEqual({ status: 'PENDING' });
    expect(result.total).toBe(50);
    expect(result.data.map((r) => r.id)).toEqual([30, 33, 36, 39, 42, 45, 48, 51, 54, 57]);
  });
});
