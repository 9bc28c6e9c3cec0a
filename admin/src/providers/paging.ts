/**
 * Requests larger than the API's page (100 rows) are split here rather than silently truncated:
 * react-admin's export asks for 1,000 rows at once, and a reference field may ask for more than
 * 100 ids. Each piece is an ordinary getList/getMany call; pieces run one after another.
 */
import type {
  DataProvider,
  GetListParams,
  GetListResult,
  GetManyParams,
  GetManyResult,
  RaRecord,
} from 'ra-core';
import { MAX_PAGE_SIZE } from './buildQuery';

/**
 * getList for any `perPage`: pages above the API maximum are fetched as consecutive
 * `meta.page = { offset, limit }` slices (see buildQuery's toPageVariables), stopping early at the
 * end of the data. `total` is the server's total from the last slice.
 */
export const getListInSlices = async (
  getList: DataProvider['getList'],
  resource: string,
  params: GetListParams,
): Promise<GetListResult> => {
  const page = params.pagination?.page ?? 1;
  const perPage = params.pagination?.perPage ?? 25;
  if (perPage <= MAX_PAGE_SIZE) return getList(resource, params);
  const start = (Math.max(page, 1) - 1) * perPage;
  const data: RaRecord[] = [];
  let total: number | undefined;
  for (let offset = start; offset < start + perPage; offset += MAX_PAGE_SIZE) {
    const limit = Math.min(MAX_PAGE_SIZE, start + perPage - offset);
    const meta = { ...(params.meta ?? {}), page: { offset, limit } };
    const slice = await getList(resource, { ...params, meta });
    data.push(...slice.data);
    total = slice.total;
    if (slice.data.length < limit) break;
  }
  return { data, total };
};

/** getMany for any number of ids, in chunks of at most the API's page size, order preserved. */
export const getManyInChunks = async (
  getMany: DataProvider['getMany'],
  resource: string,
  params: GetManyParams,
): Promise<GetManyResult> => {
  if (params.ids.length <= MAX_PAGE_SIZE) return getMany(resource, params);
  const data: RaRecord[] = [];
  for (let i = 0; i < params.ids.length; i += MAX_PAGE_SIZE) {
    const chunk = await getMany(resource, { ...params, ids: params.ids.slice(i, i + MAX_PAGE_SIZE) });
    data.push(...chunk.data);
  }
  return { data };
};

/** Most rows read to filter on the client (see getListFilteredOnClient). */
export const CLIENT_FILTER_CAP = 1000;

/**
 * getList with one filter the API does not have (`key`, e.g. a change request's `riskLevel`): reads
 * up to CLIENT_FILTER_CAP rows matching the server-side filters, keeps those whose `key` equals the
 * filter value, and pages the rest here. `total` counts the kept rows within the cap.
 */
export const getListFilteredOnClient = async (
  getList: DataProvider['getList'],
  resource: string,
  params: GetListParams,
  key: string,
): Promise<GetListResult> => {
  const { [key]: wanted, ...serverFilter } = params.filter ?? {};
  const all = await getListInSlices(getList, resource, {
    ...params,
    filter: serverFilter,
    pagination: { page: 1, perPage: CLIENT_FILTER_CAP },
  });
  const kept = all.data.filter((record) => record[key] === wanted);
  const perPage = params.pagination?.perPage ?? 25;
  const start = (Math.max(params.pagination?.page ?? 1, 1) - 1) * perPage;
  return { data: kept.slice(start, start + perPage), total: kept.length };
};
