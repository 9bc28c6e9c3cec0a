/**
 * The data-provider mapping of the governance resources. `changeRequests`: list (filters status,
 * type, dealId), one, create (`requestChange`) and update, which carries a decision
 * (`{ decision: 'APPROVE' | 'REJECT' | 'CANCEL', comment }`) rather than edited fields.
 * `killSwitches`: list (`activeOnly`, default true; active ones first) and create (`activateKillSwitch`).
 * `breakGlassGrants`: list (`activeOnly` from the `active` filter), create (`grantBreakGlass`) and
 * update, which carries the review (`{ reviewComment }` -> `reviewBreakGlass`).
 */
import type { CreateParams, GetListParams, GetOneParams, RaRecord, UpdateParams } from 'ra-core';
import { HttpError } from 'ra-core';
import type { BuiltQuery } from './buildQuery';
import {
  ACTIVATE_KILL_SWITCH,
  APPROVE_CHANGE,
  BREAK_GLASS_GRANTS_QUERY,
  CANCEL_CHANGE,
  CHANGE_REQUEST_QUERY,
  CHANGE_REQUESTS_QUERY,
  KILL_SWITCHES_QUERY,
  REJECT_CHANGE,
  REQUEST_CHANGE,
  REVIEW_BREAK_GLASS,
  GRANT_BREAK_GLASS,
} from './governanceOperations';
import { toPageVariables } from './buildQuery';

export const CHANGE_REQUESTS = 'changeRequests';
export const KILL_SWITCHES = 'killSwitches';
export const BREAK_GLASS_GRANTS = 'breakGlassGrants';
export const GOVERNANCE_RESOURCES: readonly string[] = [CHANGE_REQUESTS, KILL_SWITCHES, BREAK_GLASS_GRANTS];

type Data = Record<string, unknown>;
interface Result {
  data?: Record<string, unknown> | null;
}
const isObject = (v: unknown): v is Data => typeof v === 'object' && v !== null;
const present = (v: unknown) => v !== undefined && v !== null && v !== '';

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
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : v);
const unsupported = (fetchType: string, resource: string): never => {
  throw new HttpError('tranche.errors.unsupported', 405, { fetchType, resource });
};

/** Form data -> `RequestChangeInput`; the payload is sent as the JSON text the form holds. */
export const toRequestChangeInput = (data: Data) => ({
  type: data.type,
  dealId: present(data.dealId) ? data.dealId : null,
  title: text(data.title),
  rationale: text(data.rationale),
  payload: typeof data.payload === 'string' ? data.payload : JSON.stringify(data.payload ?? {}),
});

/** A decision on a change request -> the mutation and variables that carry it out. */
export const toDecision = (id: string, data: Data): BuiltQuery => {
  const comment = typeof data.comment === 'string' && data.comment.trim() ? data.comment.trim() : null;
  switch (data.decision) {
    case 'APPROVE':
      return {
        query: APPROVE_CHANGE,
        variables: { id, comment },
        parseResponse: (r) => recordOf(r, 'approveChange'),
      };
    case 'REJECT':
      return {
        query: REJECT_CHANGE,
        variables: { id, reason: comment ?? '' },
        parseResponse: (r) => recordOf(r, 'rejectChange'),
      };
    case 'CANCEL':
      return { query: CANCEL_CHANGE, variables: { id }, parseResponse: (r) => recordOf(r, 'cancelChange') };
    default:
      return unsupported('UPDATE', CHANGE_REQUESTS);
  }
};

/** Form data -> `GrantBreakGlassInput`; an empty grantee means "myself" (the API's default). */
export const toGrantBreakGlassInput = (data: Data) => ({
  grantee: present(data.grantee) ? text(data.grantee) : null,
  capability: data.capability,
  reason: text(data.reason),
  minutes: Number(data.minutes),
});

const changeRequestsQuery = (fetchType: string, params: unknown): BuiltQuery => {
  switch (fetchType) {
    case 'GET_LIST': {
      const p = params as GetListParams;
      const filter = Object.fromEntries(
        ['status', 'type', 'dealId'].filter((k) => present(p.filter?.[k])).map((k) => [k, p.filter[k]]),
      );
      return {
        query: CHANGE_REQUESTS_QUERY,
        variables: { filter, page: toPageVariables(p) },
        parseResponse: (r) => pageOf(r, 'changeRequests'),
      };
    }
    case 'GET_ONE':
      return {
        query: CHANGE_REQUEST_QUERY,
        variables: { id: String((params as GetOneParams).id) },
        parseResponse: (r) => recordOf(r, 'changeRequest'),
      };
    case 'CREATE':
      return {
        query: REQUEST_CHANGE,
        variables: { input: toRequestChangeInput((params as CreateParams).data as Data) },
        parseResponse: (r) => recordOf(r, 'requestChange'),
      };
    case 'UPDATE': {
      const p = params as UpdateParams;
      return toDecision(String(p.id), p.data as Data);
    }
    default:
      return unsupported(fetchType, CHANGE_REQUESTS);
  }
};

/** Active switches before lifted ones (within the page; the API returns newest first). */
const activeFirst = (records: RaRecord[]) =>
  [...records].sort((a, b) => Number(b.active === true) - Number(a.active === true));

/** The switch's target from the form: the picked deal, the picked capability, none for GLOBAL. */
const targetOf = (data: Data): unknown => {
  const picked = data.scope === 'DEAL' ? data.dealId : data.scope === 'CAPABILITY' ? data.capability : null;
  if (data.scope === 'GLOBAL') return null;
  return present(picked) ? picked : (data.target ?? null);
};

const killSwitchesQuery = (fetchType: string, params: unknown): BuiltQuery => {
  if (fetchType === 'GET_LIST') {
    const p = params as GetListParams;
    return {
      query: KILL_SWITCHES_QUERY,
      variables: { activeOnly: p.filter?.all !== true, page: toPageVariables(p) },
      parseResponse: (r) => {
        const page = pageOf(r, 'killSwitches');
        return { ...page, data: activeFirst(page.data) };
      },
    };
  }
  if (fetchType === 'CREATE') {
    const data = (params as CreateParams).data as Data;
    return {
      query: ACTIVATE_KILL_SWITCH,
      variables: {
        input: {
          scope: data.scope,
          target: targetOf(data),
          reason: text(data.reason),
        },
      },
      parseResponse: (r) => recordOf(r, 'activateKillSwitch'),
    };
  }
  return unsupported(fetchType, KILL_SWITCHES);
};

const breakGlassGrantsQuery = (fetchType: string, params: unknown): BuiltQuery => {
  if (fetchType === 'GET_LIST') {
    const p = params as GetListParams;
    return {
      query: BREAK_GLASS_GRANTS_QUERY,
      variables: { activeOnly: p.filter?.active === true, page: toPageVariables(p) },
      parseResponse: (r) => pageOf(r, 'breakGlassGrants'),
    };
  }
  if (fetchType === 'CREATE') {
    return {
      query: GRANT_BREAK_GLASS,
      variables: { input: toGrantBreakGlassInput((params as CreateParams).data as Data) },
      parseResponse: (r) => recordOf(r, 'grantBreakGlass'),
    };
  }
  if (fetchType === 'UPDATE') {
    const p = params as UpdateParams;
    const comment = (p.data as Data).reviewComment;
    if (typeof comment !== 'string' || !comment.trim()) return unsupported(fetchType, BREAK_GLASS_GRANTS);
    return {
      query: REVIEW_BREAK_GLASS,
      variables: { id: String(p.id), comment: comment.trim() },
      parseResponse: (r) => recordOf(r, 'reviewBreakGlass'),
    };
  }
  return unsupported(fetchType, BREAK_GLASS_GRANTS);
};

/**
 * The built query of one data-provider call on a governance resource (see the module comment).
 * Throws HttpError 405 ('tranche.errors.unsupported') for calls the API has no operation for.
 */
export const buildGovernanceQuery = (fetchType: string, resource: string, params: unknown): BuiltQuery => {
  if (resource === CHANGE_REQUESTS) return changeRequestsQuery(fetchType, params);
  if (resource === KILL_SWITCHES) return killSwitchesQuery(fetchType, params);
  return breakGlassGrantsQuery(fetchType, params);
};
