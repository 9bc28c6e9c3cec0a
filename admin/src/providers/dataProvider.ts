/**
 * The react-admin data provider: ra-data-graphql over our Apollo client with the hand-written
 * buildQuery (no introspection), plus the calls ra-data-graphql does not map. Every failure goes
 * through normalizeError so the auth provider and forms can act on it.
 */
import type { ApolloClient } from '@apollo/client';
import buildGraphQLProvider from 'ra-data-graphql';
import type { DataProvider, UpdateManyParams } from 'ra-core';
import { HttpError } from 'ra-core';
import { buildQueryFactory } from './buildQuery';
import { normalizeError } from './errors';
import { getListFilteredOnClient, getListInSlices, getManyInChunks } from './paging';

const present = (value: unknown) => value !== undefined && value !== null && value !== '';

/** The list filter each resource's API lacks, applied here (see getListFilteredOnClient). */
const CLIENT_FILTERS: Readonly<Record<string, string>> = {
  changeRequests: 'riskLevel',
  distributions: 'status',
};

const notSupported = (method: string, resource: string): Promise<never> =>
  Promise.reject(new HttpError('tranche.errors.delete_not_supported', 405, { method, resource }));

/**
 * Updates each record in turn through `update` (the API has no bulk update), stopping at the first
 * failure so the user sees which one failed; resolves with the ids that were updated.
 */
export const updateManyByLoop = async (
  update: DataProvider['update'],
  resource: string,
  params: UpdateManyParams,
) => {
  const updated: UpdateManyParams['ids'] = [];
  for (const id of params.ids) {
    await update(resource, { id, data: params.data, previousData: undefined });
    updated.push(id);
  }
  return { data: updated };
};

/**
 * Builds the data provider for `client`. Lists and getMany larger than the API's page are split
 * (paging.ts). delete and deleteMany reject with 'tranche.errors.delete_not_supported' (the API has
 * no deletes; deals are closed, not removed).
 */
export const createDataProvider = (client: ApolloClient<unknown>): DataProvider => {
  const graphql = buildGraphQLProvider({
    client,
    buildQuery: buildQueryFactory,
    introspection: false,
  });
  const guard =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      call(...args).catch((error: unknown) => {
        throw normalizeError(error);
      });
  const update = guard(graphql.update);
  const getList = guard(graphql.getList);
  const getMany = guard(graphql.getMany);
  return {
    getList: (resource, params) => {
      // The API filters change requests by status, type and deal, not by risk; servicer reports by
      // deal, not by status.
      const onClient = CLIENT_FILTERS[resource];
      return onClient !== undefined && present(params.filter?.[onClient])
        ? getListFilteredOnClient(getList, resource, params, onClient)
        : getListInSlices(getList, resource, params);
    },
    getOne: guard(graphql.getOne),
    getMany: (resource, params) => getManyInChunks(getMany, resource, params),
    getManyReference: guard(graphql.getManyReference),
    create: guard(graphql.create),
    update,
    updateMany: (resource, params) => updateManyByLoop(update, resource, params),
    delete: (resource) => notSupported('delete', resource),
    deleteMany: (resource) => notSupported('deleteMany', resource),
  };
};
