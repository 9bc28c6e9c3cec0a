/**
 * The data-provider mapping of the audit-anchors page. `auditAnchors`: list and one.
 * `auditEventProofs`: one, by audit event id (`auditEventProof(id)`; null until anchored).
 * `auditBundles`: list (filter `dealId`), one, and create (`exportAuditBundle`).
 */
import type { CreateParams, GetListParams, GetOneParams, RaRecord } from 'ra-core';
import { HttpError } from 'ra-core';
import { toPageVariables, type BuiltQuery } from '../providers/buildQuery';
import {
  AUDIT_ANCHOR_QUERY,
  AUDIT_ANCHORS_QUERY,
  AUDIT_BUNDLE_QUERY,
  AUDIT_BUNDLES_QUERY,
  AUDIT_EVENT_PROOF_QUERY,
  EXPORT_AUDIT_BUNDLE,
} from './operations';

export const AUDIT_ANCHORS = 'auditAnchors';
export const AUDIT_EVENT_PROOFS = 'auditEventProofs';
export const AUDIT_BUNDLES = 'auditBundles';
export const AUDIT_ANCHOR_RESOURCES: readonly string[] = [AUDIT_ANCHORS, AUDIT_EVENT_PROOFS, AUDIT_BUNDLES];

type Data = Record<string, unknown>;
interface Result {
  data?: Record<string, unknown> | null;
}
const isObject = (v: unknown): v is Data => typeof v === 'object' && v !== null;

const pageOf = (r: Result, name: string) => {
  const page = r.data?.[name];
  if (!isObject(page) || !Array.isArray(page.items) || typeof page.total !== 'number') {
    throw new Error('tranche.errors.bad_response');
  }
  return { data: page.items as RaRecord[], total: page.total };
};
const recordOf = (r: Result, name: string) => {
  const record = r.data?.[name];
  if (!isObject(record)) throw new HttpError('ra.notification.item_doesnt_exist', 404);
  return { data: record as RaRecord };
};
const unsupported = (fetchType: string, resource: string): never => {
  throw new HttpError('tranche.errors.unsupported', 405, { fetchType, resource });
};

/** A date input's value (a Date or an ISO/local date-time string) as an ISO instant. */
const toInstant = (value: unknown): string | null => {
  if (value === undefined || value === null || value === '') return null;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
};

/** Form data -> the `exportAuditBundle` arguments. */
export const toExportBundleVariables = (data: Data) => ({
  dealId: data.dealId,
  from: toInstant(data.from),
  to: toInstant(data.to),
});

const anchorsQuery = (fetchType: string, params: unknown): BuiltQuery => {
  if (fetchType === 'GET_LIST')
    return {
      query: AUDIT_ANCHORS_QUERY,
      variables: { page: toPageVariables(params as GetListParams) },
      parseResponse: (r) => pageOf(r, 'auditAnchors'),
    };
  if (fetchType === 'GET_ONE')
    return {
      query: AUDIT_ANCHOR_QUERY,
      variables: { id: String((params as GetOneParams).id) },
      parseResponse: (r) => recordOf(r, 'auditAnchor'),
    };
  return unsupported(fetchType, AUDIT_ANCHORS);
};

const proofsQuery = (fetchType: string, params: unknown): BuiltQuery => {
  if (fetchType !== 'GET_ONE') return unsupported(fetchType, AUDIT_EVENT_PROOFS);
  const id = String((params as GetOneParams).id);
  return {
    query: AUDIT_EVENT_PROOF_QUERY,
    variables: { id },
    // The proof is keyed by its event; null (not anchored yet) reads as "not found".
    parseResponse: (r) => ({ data: { ...recordOf(r, 'auditEventProof').data, id } }),
  };
};

const bundlesQuery = (fetchType: string, params: unknown): BuiltQuery => {
  switch (fetchType) {
    case 'GET_LIST': {
      const p = params as GetListParams;
      const dealId = typeof p.filter?.dealId === 'string' && p.filter.dealId !== '' ? p.filter.dealId : null;
      return {
        query: AUDIT_BUNDLES_QUERY,
        variables: { dealId, page: toPageVariables(p) },
        parseResponse: (r) => pageOf(r, 'auditBundles'),
      };
    }
    case 'GET_ONE':
      return {
        query: AUDIT_BUNDLE_QUERY,
        variables: { id: String((params as GetOneParams).id) },
        parseResponse: (r) => recordOf(r, 'auditBundle'),
      };
    case 'CREATE':
      return {
        query: EXPORT_AUDIT_BUNDLE,
        variables: toExportBundleVariables((params as CreateParams).data as Data),
        parseResponse: (r) => recordOf(r, 'exportAuditBundle'),
      };
    default:
      return unsupported(fetchType, AUDIT_BUNDLES);
  }
};

/** ra-data-graphql's `buildQuery` for the audit-anchors page's resources. */
export const buildAuditAnchorsQuery = (fetchType: string, resource: string, params: unknown): BuiltQuery => {
  if (resource === AUDIT_ANCHORS) return anchorsQuery(fetchType, params);
  if (resource === AUDIT_EVENT_PROOFS) return proofsQuery(fetchType, params);
  return bundlesQuery(fetchType, params);
};
