/**
 * The data-provider mapping of the distribution pages. `distributions` are servicer reports with
 * their waterfall run and payouts (list by deal, one, create = submit a report); the steps that move
 * one are create-only resources of their own so the pages use react-admin's hooks for them:
 * `distributionPreviews` (preview at a record block), `distributionExecutions` (execute with an
 * approved change request) and `distributionReconciliations` (reconcile against the chain again).
 * `dealProjections` (one, by deal id) is the deal's projection under the base scenario.
 */
import type { CreateParams, GetListParams, GetManyReferenceParams, GetOneParams, RaRecord } from 'ra-core';
import { HttpError } from 'ra-core';
import { toPageVariables, type BuiltQuery } from '../providers/buildQuery';
import { BASE_SCENARIO } from './cashFlows';
import {
  DEAL_PROJECTION_QUERY,
  DISTRIBUTION_HOLDERS_QUERY,
  EXECUTE_DISTRIBUTION,
  PREVIEW_DISTRIBUTION,
  RECONCILE_DISTRIBUTION,
  SERVICER_REPORT_QUERY,
  SERVICER_REPORTS_QUERY,
  SUBMIT_SERVICER_REPORT,
} from './operations';

export const DISTRIBUTIONS = 'distributions';
export const DISTRIBUTION_PREVIEWS = 'distributionPreviews';
export const DISTRIBUTION_EXECUTIONS = 'distributionExecutions';
export const DISTRIBUTION_RECONCILIATIONS = 'distributionReconciliations';
export const DEAL_PROJECTIONS = 'dealProjections';
export const DISTRIBUTION_HOLDERS = 'distributionHolders';
export const DISTRIBUTION_RESOURCES: readonly string[] = [
  DISTRIBUTIONS,
  DISTRIBUTION_PREVIEWS,
  DISTRIBUTION_EXECUTIONS,
  DISTRIBUTION_RECONCILIATIONS,
  DEAL_PROJECTIONS,
  DISTRIBUTION_HOLDERS,
];

type Data = Record<string, unknown>;

/** Holders shown per tranche on the distribution page (the API pages the rest). */
export const HOLDERS_SHOWN = 100;
interface Result {
  data?: Record<string, unknown> | null;
}
const isObject = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '');

const recordOf = (r: Result, name: string) => {
  const record = r.data?.[name];
  if (!isObject(record)) throw new HttpError('ra.notification.item_doesnt_exist', 404);
  return record;
};
const unsupported = (fetchType: string, resource: string): never => {
  throw new HttpError('tranche.errors.unsupported', 405, { fetchType, resource });
};

/** The servicer report's required amounts, then the optional ones (major units, decimal strings). */
export const REPORT_AMOUNTS = [
  'poolBalanceBegin',
  'interestCollected',
  'scheduledPrincipal',
  'prepayments',
  'poolBalanceEnd',
] as const;
export const OPTIONAL_REPORT_AMOUNTS = [
  'servicingFee',
  'recoveries',
  'realizedLosses',
  'newDefaults',
  'delinquent60Plus',
] as const;

/** `SOFR=5.31, EURIBOR3M = 3.9` -> `{ SOFR: '5.31', EURIBOR3M: '3.9' }` (a pair without `=` is kept as typed). */
export const parseIndexRates = (value: unknown): Record<string, string> =>
  Object.fromEntries(
    text(value)
      .split(/[,;\n]+/)
      .map((pair) => pair.split('=').map((part) => part.trim()))
      .filter(([name]) => name !== undefined && name !== '')
      .map(([name = '', rate = '']) => [name.toUpperCase(), rate]),
  );

/**
 * The report form (`{ period, poolBalanceBegin, …, indexRates }`) -> the JSON `submitServicerReport`
 * takes: the period as a number when it is one, amounts with grouping commas and spaces removed,
 * empty optional amounts and fixings left out. Nothing else is checked here: the server validates
 * and names each faulty field (`report.poolBalanceEnd`), which the form shows under its input.
 */
export const toServicerReportJson = (form: Data): string => {
  const period = text(form.period);
  const report: Data = { period: /^\d+$/.test(period) ? Number(period) : period };
  const amount = (v: unknown) => text(v).replace(/[,\s]/g, '');
  for (const key of REPORT_AMOUNTS) report[key] = amount(form[key]);
  for (const key of OPTIONAL_REPORT_AMOUNTS) if (amount(form[key]) !== '') report[key] = amount(form[key]);
  const rates = parseIndexRates(form.indexRates);
  if (Object.keys(rates).length) report.indexRates = rates;
  return JSON.stringify(report);
};

/**
 * What a `distribution.execute` change request must carry for `report` (the server's
 * `executionPayload`): the report, its period and inputs' hash, the record block and each tranche's
 * Merkle root and total, by tranche id. The approval binds to its canonical SHA-256, so key order
 * does not matter, only the values. Undefined until the report has been previewed.
 */
export const executionPayloadOf = (report: Data) => {
  const payouts = Array.isArray(report.payouts) ? report.payouts.filter(isObject) : [];
  if (payouts.length === 0 || report.recordBlock === undefined || report.recordBlock === null)
    return undefined;
  return {
    reportId: String(report.id),
    dealId: String(report.dealId),
    period: Number(report.period),
    inputSha256: String(report.inputSha256),
    recordBlock: Number(report.recordBlock),
    tranches: payouts
      .map((p) => ({
        trancheId: String(p.trancheId),
        merkleRoot: String(p.merkleRoot),
        total: String(p.total),
      }))
      .sort((a, b) => a.trancheId.localeCompare(b.trancheId)),
  };
};

/** JSON with object keys sorted at every level: two documents are the same payload when equal. */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
};

/**
 * True when a change request's payload (JSON text) approves exactly `report`'s previewed payouts,
 * i.e. the gate will accept it for executeDistribution; false for other payouts, another report, or
 * a payload that is not JSON.
 */
export const approvesPayouts = (payload: unknown, report: Data): boolean => {
  const expected = executionPayloadOf(report);
  if (expected === undefined || typeof payload !== 'string') return false;
  try {
    return canonicalJson(JSON.parse(payload)) === canonicalJson(expected);
  } catch {
    return false;
  }
};

/** The optional record block of a preview: a whole number, or undefined for the chain's latest. */
export const toRecordBlock = (value: unknown): number | undefined => {
  const block = text(value);
  return /^\d+$/.test(block) ? Number(block) : undefined;
};

const distributionsQuery = (fetchType: string, params: unknown): BuiltQuery => {
  switch (fetchType) {
    case 'GET_LIST':
    case 'GET_MANY_REFERENCE': {
      const p = params as GetListParams | GetManyReferenceParams;
      const dealId = 'target' in p ? String(p.id) : text(p.filter?.dealId);
      return {
        query: SERVICER_REPORTS_QUERY,
        variables: { ...(dealId ? { dealId } : {}), page: toPageVariables(p) },
        parseResponse: (r) => {
          const page = recordOf(r, 'servicerReports');
          if (!Array.isArray(page.items) || typeof page.total !== 'number')
            throw new Error('tranche.errors.bad_response');
          return { data: page.items as RaRecord[], total: page.total };
        },
      };
    }
    case 'GET_ONE':
      return {
        query: SERVICER_REPORT_QUERY,
        variables: { id: String((params as GetOneParams).id) },
        parseResponse: (r) => ({ data: recordOf(r, 'servicerReport') as RaRecord }),
      };
    case 'CREATE': {
      const data = (params as CreateParams).data as Data;
      return {
        query: SUBMIT_SERVICER_REPORT,
        variables: {
          dealId: text(data.dealId),
          report: toServicerReportJson(isObject(data.report) ? data.report : {}),
        },
        parseResponse: (r) => ({ data: recordOf(r, 'submitServicerReport') as RaRecord }),
      };
    }
    default:
      return unsupported(fetchType, DISTRIBUTIONS);
  }
};

/** One create-only step: its mutation and variables; the response is the report it moved. */
const step = (
  fetchType: string,
  resource: string,
  params: unknown,
  build: (data: Data) => { query: BuiltQuery['query']; variables: Data; field: string },
): BuiltQuery => {
  if (fetchType !== 'CREATE') return unsupported(fetchType, resource);
  const { query, variables, field } = build((params as CreateParams).data as Data);
  return { query, variables, parseResponse: (r) => ({ data: recordOf(r, field) as RaRecord }) };
};

const projectionQuery = (fetchType: string, params: unknown): BuiltQuery => {
  if (fetchType !== 'GET_ONE') return unsupported(fetchType, DEAL_PROJECTIONS);
  return {
    query: DEAL_PROJECTION_QUERY,
    variables: { id: String((params as GetOneParams).id), scenario: BASE_SCENARIO },
    parseResponse: (r) => {
      const deal = recordOf(r, 'deal');
      const projection = isObject(deal.projection) ? deal.projection : {};
      return {
        data: {
          id: deal.id,
          currency: deal.currency,
          scenarioName: projection.scenarioName ?? BASE_SCENARIO.name,
          classes: Array.isArray(projection.classes) ? projection.classes : [],
        } as RaRecord,
      };
    },
  };
};

/** ra-data-graphql's `buildQuery` for the distribution pages' resources (DISTRIBUTION_RESOURCES). */
export const buildDistributionsQuery = (fetchType: string, resource: string, params: unknown): BuiltQuery => {
  switch (resource) {
    case DISTRIBUTIONS:
      return distributionsQuery(fetchType, params);
    case DISTRIBUTION_PREVIEWS:
      return {
        ...step(fetchType, resource, params, (data) => ({
          query: PREVIEW_DISTRIBUTION,
          variables: {
            dealId: text(data.dealId),
            period: Number(data.period),
            recordBlock: toRecordBlock(data.recordBlock) ?? null,
          },
          field: 'previewDistribution',
        })),
        // The preview's report, with the payload its approval must carry and the rounding rule.
        parseResponse: (r) => {
          const preview = recordOf(r, 'previewDistribution');
          const report = isObject(preview.report) ? preview.report : {};
          const data: RaRecord = {
            ...report,
            id: String(report.id),
            executionPayload: preview.executionPayload,
            roundingRule: preview.roundingRule,
          };
          return { data };
        },
      };
    case DISTRIBUTION_EXECUTIONS:
      return step(fetchType, resource, params, (data) => ({
        query: EXECUTE_DISTRIBUTION,
        variables: { id: text(data.id), changeRequestId: text(data.changeRequestId) || null },
        field: 'executeDistribution',
      }));
    case DISTRIBUTION_RECONCILIATIONS:
      return step(fetchType, resource, params, (data) => ({
        query: RECONCILE_DISTRIBUTION,
        variables: { id: text(data.id) },
        field: 'reconcileDistribution',
      }));
    case DEAL_PROJECTIONS:
      return projectionQuery(fetchType, params);
    case DISTRIBUTION_HOLDERS:
      if (fetchType !== 'GET_ONE') return unsupported(fetchType, resource);
      return {
        query: DISTRIBUTION_HOLDERS_QUERY,
        variables: { id: String((params as GetOneParams).id), page: { offset: 0, limit: HOLDERS_SHOWN } },
        parseResponse: (r) => ({ data: recordOf(r, 'servicerReport') as RaRecord }),
      };
    default:
      throw new HttpError('tranche.errors.unknown_resource', 404, { resource });
  }
};
