/**
 * The data-provider mapping of the governance resources. `changeRequests`: list (filters status,
 * type, dealId), one, create (`requestChange`) and update, which carries a decision
 * (`{ decision: 'APPROVE' | 'REJECT' | 'CANCEL', comment }`) rather than edited fields.
 * `killSwitches`: list (`activeOnly`, default true) and create (`activateKillSwitch`).
 */
import type { CreateParams, GetListParams, GetOneParams, RaRecord, UpdateParams } from 'ra-core';
import { HttpError } from 'ra-core';
import type { BuiltQuery } from './buildQuery';
import {
  ACTIVATE_KILL_SWITCH,
  APPROVE_CHANGE,
  CANCEL_CHANGE,
  CHANGE_REQUEST_QUERY,
  CHANGE_REQUESTS_QUERY,
  KILL_SWITCHES_QUERY,
  REJECT_CHANGE,
  REQUEST_CHANGE,
} from './governanceOperations';
import { toPageVariables } from './buildQuery';

export const CHANGE_REQUESTS = 'changeRequests';
export const KILL_SWITCHES = 'killSwitches';

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
const unsupported = (fetchType: string, resource: string): never => {
  throw new HttpError('tranche.errors.unsupported', 405, { fetchType, resource });
};

/** Form data -> `RequestChangeInput`; the payload is sent as the JSON text the form holds. */
export const toRequestChangeInput = (data: Data) => ({
  type: data.type,
  dealId: present(data.dealId) ? data.dealId : null,
  title: typeof data.title === 'string' ? data.title.trim() : data.title,
  rationale: typeof data.rationale === 'string' ? data.rationale.trim() : data.rationale,
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

/** The built query of one data-provider call on a governance resource. */
export const buildGovernanceQuery = (fetchType: string, resource: string, params: unknown): BuiltQuery => {
  if (resource === CHANGE_REQUESTS) {
    if (fetchType === 'GET_LIST') {
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
    if (fetchType === 'GET_ONE') {
      return {
        query: CHANGE_REQUEST_QUERY,
        variables: { id: String((params as GetOneParams).id) },
        parseResponse: (r) => recordOf(r, 'changeRequest'),
      };
    }
    if (fetchType === 'CREATE') {
      return {
        query: REQUEST_CHANGE,
        variables: { input: toRequestChangeInput((params as CreateParams).data as Data) },
        parseResponse: (r) => recordOf(r, 'requestChange'),
      };
    }
    if (fetchType === 'UPDATE') {
      const p = params as UpdateParams;
      return toDecision(String(p.id), p.data as Data);
    }
    return unsupported(fetchType, resource);
  }
  if (fetchType === 'GET_LIST') {
    const p = params as GetListParams;
    return {
      query: KILL_SWITCHES_QUERY,
      variables: { activeOnly: p.filter?.all !== true, page: toPageVariables(p) },
      parseResponse: (r) => pageOf(r, 'killSwitches'),
    };
  }
  if (fetchType === 'CREATE') {
    const data = (params as CreateParams).data as Data;
    return {
      query: ACTIVATE_KILL_SWITCH,
      variables: {
        input: {
          scope: data.scope,
          target: data.scope === 'GLOBAL' ? null : (data.target ?? null),
          reason: data.reason,
        },
      },
      parseResponse: (r) => recordOf(r, 'activateKillSwitch'),
    };
  }
  return unsupported(fetchType, resource);
};
