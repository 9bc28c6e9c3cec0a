import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import type { DataProvider, UpdateParams } from 'ra-core';
import { describe, expect, it } from 'vitest';
import { createDataProvider, updateManyByLoop } from './dataProvider';

describe('dataProvider', () => {
  it('implements updateMany as one updateDeal per id, in order', async () => {
    const seen: UpdateParams[] = [];
    const update = (async (_resource: string, params: UpdateParams) => {
      seen.push(params);
      return { data: { id: params.id } };
    }) as DataProvider['update'];
    const result = await updateManyByLoop(update, 'deals', { ids: ['a', 'b'], data: { status: 'CLOSED' } });
    expect(result).toEqual({ data: ['a', 'b'] });
    expect(seen.map((p) => [p.id, p.data])).toEqual([
      ['a', { status: 'CLOSED' }],
      ['b', { status: 'CLOSED' }],
    ]);
  });

  it('rejects delete and deleteMany with a clear, translatable error, without calling the API', async () => {
    const client = new ApolloClient({
      link: new HttpLink({ uri: 'http://127.0.0.1:9/graphql' }),
      cache: new InMemoryCache(),
    });
    const provider = createDataProvider(client);
    await expect(provider.delete('deals', { id: 'd1' })).rejects.toMatchObject({
      status: 405,
      message: 'tranche.errors.delete_not_supported',
    });
    await expect(provider.deleteMany('deals', { ids: ['d1'] })).rejects.toMatchObject({ status: 405 });
  });
});
