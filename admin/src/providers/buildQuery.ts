/**
 * Hand-written mapping from react-admin's data-provider calls to the gateway's public GraphQL API
 * (`deals(filter, sort, page)`, `deal(id)`, `createDeal`, `updateDeal`, `auditEvents(filter, page)`).
 * ra-data-graphql runs it with `introspection: false`, so the API keeps its own names and the back
 * office never asks the gateway for its schema.
 */
import type { DocumentNode } from '@apollo/client';
import type {
  CreateParams,
  GetListParams,
  GetManyParams,
  GetManyReferenceParams,
  GetOneParams,
  RaRecord,
  UpdateParams,
} from 'ra-core';
import { HttpError } from 'ra-core';
import { AUDIT_ANCHOR_RESOURCES, buildAuditAnchorsQuery } from '../auditAnchors/auditAnchorsQuery';
import { buildDistributionsQuery, DISTRIBUTION_RESOURCES } from '../distributions/distributionsQuery';
import { buildInvestorsQuery, INVESTOR_RESOURCES } from '../investors/investorsQuery';
import { buildStatementsQuery, STATEMENT_RESOURCES } from '../portfolio/statementsQuery';
import { buildGovernanceQuery, GOVERNANCE_RESOURCES } from './governanceQuery';
import { AUDIT_EVENTS_QUERY, CREATE_DEAL, DEAL_QUERY, DEALS_QUERY, UPDATE_DEAL } from './operations';

export const DEALS = 'deals';
export const AUDIT_EVENTS = 'auditEvents';

/** Largest page the API serves (`PageInput.limit` max). */
export const MAX_PAGE_SIZE = 100;

/** react-admin field name -> `DealSortField`. Fields not listed here are not sortable server-side. */
export const DEAL_SORT_FIELDS: Readonly<Record<string, string>> = {
  name: 'NAME',
  status: 'STATUS',
  closingDate: 'CLOSING_DATE',
  createdAt: 'CREATED_AT',
  originalBalance: 'ORIGINAL_BALANCE',
};

type Variables = Record<string, unknown>;
interface GraphQLResult {
  data?: Record<string, unknown> | null;
}
export interface BuiltQuery {
  query: DocumentNode;
  variables: Variables;
  parseResponse: (response: GraphQLResult) => unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

const present = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

/** Copies the listed keys that carry a value (empty strings count as "no filter"). */
const pick = (source: Record<string, unknown>, keys: readonly string[]): Variables =>
  Object.fromEntries(keys.filter((key) => present(source[key])).map((key) => [key, source[key]]));

/** `{ page, perPage }` (1-based) -> `PageInput { offset, limit }`, limit capped at the API maximum. */
export const toPageInput = (pagination: { page: number; perPage: number } | undefined) => {
  const perPage = Math.min(Math.max(pagination?.perPage ?? 25, 1), MAX_PAGE_SIZE);
  const page = Math.max(pagination?.page ?? 1, 1);
  return { offset: (page - 1) * perPage, limit: perPage };
};

/**
 * The page to fetch: an explicit `meta.page` `{ offset, limit }` (set by the data provider when it
 * splits a request larger than the API's page into several) wins over react-admin's pagination.
 */
export const toPageVariables = (params: {
  pagination?: { page: number; perPage: number };
  meta?: unknown;
}) => {
  const page = isObject(params.meta) ? params.meta.page : undefined;
  if (isObject(page) && typeof page.offset === 'number' && typeof page.limit === 'number') {
    return { offset: Math.max(page.offset, 0), limit: Math.min(Math.max(page.limit, 1), MAX_PAGE_SIZE) };
  }
  return toPageInput(params.pagination);
};

/** `{ field, order }` -> `DealSort`, or undefined (server default) for a field the API can't sort by. */
export const toDealSort = (sort: { field: string; order: string } | undefined) => {
  const field = sort === undefined ? undefined : DEAL_SORT_FIELDS[sort.field];
  if (sort === undefined || field === undefined) return undefined;
  return { field, order: sort.order.toUpperCase() === 'ASC' ? 'ASC' : 'DESC' };
};

/** react-admin's list filter -> `DealFilter` (`q` trimmed; unknown keys dropped). */
export const toDealFilter = (filter: Record<string, unknown> | undefined): Variables => {
  const source = { ...(filter ?? {}) };
  if (typeof source.q === 'string') source.q = source.q.trim();
  return pick(source, ['q', 'status', 'assetClass', 'ids']);
};

/** react-admin's list filter -> `AuditEventFilter` (unknown keys dropped). */
export const toAuditEventFilter = (filter: Record<string, unknown> | undefined): Variables => {
  const source = { ...(filter ?? {}) };
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (typeof value === 'string') source[key] = value.trim();
  }
  return pick(source, ['aggregateType', 'aggregateId', 'action']);
};

/** Form data -> `CreateDealInput`; `originalBalance` must already be minor units (see money.ts). */
export const toCreateDealInput = (data: Record<string, unknown>): Variables => {
  const tranches = Array.isArray(data.tranches) ? data.tranches.filter(isObject) : [];
  return {
    name: data.name,
    assetClass: data.assetClass,
    currency: data.currency,
    closingDate: present(data.closingDate) ? data.closingDate : null,
    tranches: tranches.map((tranche) => ({
      name: tranche.name,
      seniority: Number(tranche.seniority),
      originalBalance: String(tranche.originalBalance),
      couponBps: Number(tranche.couponBps),
    })),
  };
};

const UPDATABLE_DEAL_FIELDS = ['name', 'closingDate', 'status'] as const;

/**
 * Form data -> `UpdateDealInput` with only the fields the API lets change, and of those only the ones
 * that differ from `previousData` (all present ones when there is no previous record, as in updateMany).
 * An emptied closing date is sent as null.
 */
export const toUpdateDealInput = (data: Record<string, unknown>, previousData?: Record<string, unknown>) => {
  const input: Variables = {};
  for (const key of UPDATABLE_DEAL_FIELDS) {
    if (!(key in data)) continue;
    const value = key === 'closingDate' && !present(data[key]) ? null : data[key];
    const previous = previousData === undefined ? undefined : (previousData[key] ?? null);
    if (previousData === undefined || value !== previous) input[key] = value;
  }
  return input;
};

const field = (response: GraphQLResult, name: string): unknown => response.data?.[name];

const pageOf = (response: GraphQLResult, name: string) => {
  const page = field(response, name);
  if (!isObject(page) || !Array.isArray(page.items) || typeof page.total !== 'number') {
    throw new Error(`tranche.errors.bad_response`);
  }
  return { data: page.items as RaRecord[], total: page.total };
};

const recordOf = (response: GraphQLResult, name: string) => {
  const record = field(response, name);
  if (!isObject(record)) throw new HttpError('ra.notification.item_doesnt_exist', 404);
  return { data: record as RaRecord };
};

const unsupported = (fetchType: string, resource: string): never => {
  throw new HttpError('tranche.errors.unsupported', 405, { fetchType, resource });
};

const buildDealsQuery = (fetchType: string, params: unknown): BuiltQuery => {
  switch (fetchType) {
    case 'GET_LIST': {
      const p = params as GetListParams;
      return {
        query: DEALS_QUERY,
        variables: {
          filter: toDealFilter(p.filter),
          sort: toDealSort(p.sort),
          page: toPageVariables(p),
        },
        parseResponse: (r) => pageOf(r, 'deals'),
      };
    }
    case 'GET_MANY': {
      const p = params as GetManyParams;
      return {
        query: DEALS_QUERY,
        variables: {
          filter: { ids: p.ids.map(String) },
          page: { offset: 0, limit: Math.min(Math.max(p.ids.length, 1), MAX_PAGE_SIZE) },
        },
        parseResponse: (r) => ({ data: pageOf(r, 'deals').data }),
      };
    }
    case 'GET_MANY_REFERENCE': {
      const p = params as GetManyReferenceParams;
      return {
        query: DEALS_QUERY,
        variables: {
          filter: toDealFilter({ ...p.filter, [p.target]: p.id }),
          sort: toDealSort(p.sort),
          page: toPageVariables(p),
        },
        parseResponse: (r) => pageOf(r, 'deals'),
      };
    }
    case 'GET_ONE': {
      const p = params as GetOneParams;
      return {
        query: DEAL_QUERY,
        variables: { id: String(p.id) },
        parseResponse: (r) => recordOf(r, 'deal'),
      };
    }
    case 'CREATE': {
      const p = params as CreateParams;
      return {
        query: CREATE_DEAL,
        variables: { input: toCreateDealInput(p.data as Record<string, unknown>) },
        parseResponse: (r) => recordOf(r, 'createDeal'),
      };
    }
    case 'UPDATE': {
      const p = params as UpdateParams;
      return {
        query: UPDATE_DEAL,
        variables: {
          id: String(p.id),
          input: toUpdateDealInput(p.data as Record<string, unknown>, p.previousData),
        },
        parseResponse: (r) => recordOf(r, 'updateDeal'),
      };
    }
    default:
      return unsupported(fetchType, DEALS);
  }
};

const buildAuditEventsQuery = (fetchType: string, params: unknown): BuiltQuery => {
  if (fetchType !== 'GET_LIST' && fetchType !== 'GET_MANY_REFERENCE')
    return unsupported(fetchType, AUDIT_EVENTS);
  const p = params as GetListParams | GetManyReferenceParams;
  const filter = 'target' in p ? { ...p.filter, [p.target]: p.id } : p.filter;
  return {
    query: AUDIT_EVENTS_QUERY,
    variables: { filter: toAuditEventFilter(filter), page: toPageVariables(p) },
    parseResponse: (r) => pageOf(r, 'auditEvents'),
  };
};

/**
 * ra-data-graphql's `buildQuery` for the Tranche API: returns the document, variables and response
 * parser for one data-provider call. Throws HttpError 405 ('tranche.errors.unsupported') for calls
 * the API has no operation for (deletes, audit-event writes, single audit events).
 */
export const buildQuery = (fetchType: string, resource: string, params: unknown): BuiltQuery => {
  if (resource === DEALS) return buildDealsQuery(fetchType, params);
  if (resource === AUDIT_EVENTS) return buildAuditEventsQuery(fetchType, params);
  if (GOVERNANCE_RESOURCES.includes(resource)) return buildGovernanceQuery(fetchType, resource, params);
  if (AUDIT_ANCHOR_RESOURCES.includes(resource)) return buildAuditAnchorsQuery(fetchType, resource, params);
  if (INVESTOR_RESOURCES.includes(resource)) return buildInvestorsQuery(fetchType, resource, params);
  if (DISTRIBUTION_RESOURCES.includes(resource)) return buildDistributionsQuery(fetchType, resource, params);
  if (STATEMENT_RESOURCES.includes(resource)) return buildStatementsQuery(fetchType, resource, params);
  throw new HttpError('tranche.errors.unknown_resource', 404, { resource });
};

/** The factory ra-data-graphql expects; the introspection result is unused (introspection is off). */
export const buildQueryFactory = () => buildQuery;
