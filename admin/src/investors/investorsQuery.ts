/**
 * The data-provider mapping of the investor pages. Besides `investors` (list, one, create, and
 * update = the profile), the investor actions are resources of their own so the pages use
 * react-admin's hooks for them: `kycInquiries` (create = start an inquiry), `sanctionsScreenings`
 * (by investor; create = screen now), `sanctionsReviews` (create = review a hit), `accreditations`
 * (create = record evidence), `investorVerifications` (create = verify a wallet address),
 * `expiringCredentials` (list), `capTables` (a deal's tranches with their holders) and `portfolio`
 * (one: the signed-in investor's positions).
 */
import type {
  CreateParams,
  GetListParams,
  GetManyReferenceParams,
  GetOneParams,
  RaRecord,
  UpdateParams,
} from 'ra-core';
import { HttpError } from 'ra-core';
import { toPageVariables, type BuiltQuery } from '../providers/buildQuery';
import {
  CAP_TABLES_QUERY,
  CREATE_INVESTOR,
  EXPIRING_CREDENTIALS_QUERY,
  INVESTOR_QUERY,
  INVESTORS_QUERY,
  PORTFOLIO_QUERY,
  RECORD_ACCREDITATION,
  REVIEW_SANCTIONS_HIT,
  SANCTIONS_SCREENINGS_QUERY,
  SCREEN_INVESTOR,
  START_KYC_INQUIRY,
  UPDATE_INVESTOR_PROFILE,
  VERIFY_INVESTOR,
} from './operations';

export const INVESTORS = 'investors';
export const KYC_INQUIRIES = 'kycInquiries';
export const SANCTIONS_SCREENINGS = 'sanctionsScreenings';
export const SANCTIONS_REVIEWS = 'sanctionsReviews';
export const ACCREDITATIONS = 'accreditations';
export const INVESTOR_VERIFICATIONS = 'investorVerifications';
export const EXPIRING_CREDENTIALS = 'expiringCredentials';
export const CAP_TABLES = 'capTables';
export const PORTFOLIO = 'portfolio';
export const INVESTOR_RESOURCES: readonly string[] = [
  INVESTORS,
  KYC_INQUIRIES,
  SANCTIONS_SCREENINGS,
  SANCTIONS_REVIEWS,
  ACCREDITATIONS,
  INVESTOR_VERIFICATIONS,
  EXPIRING_CREDENTIALS,
  CAP_TABLES,
  PORTFOLIO,
];

/** The id of the portfolio record: there is one, the signed-in investor's. */
export const MY_PORTFOLIO = 'mine';

type Data = Record<string, unknown>;
interface Result {
  data?: Record<string, unknown> | null;
}
const isObject = (v: unknown): v is Data => typeof v === 'object' && v !== null;
const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

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
const listOf = (r: Result, name: string): Data[] => {
  const list = r.data?.[name];
  if (!Array.isArray(list)) throw new Error('tranche.errors.bad_response');
  return list.filter(isObject);
};
const unsupported = (fetchType: string, resource: string): never => {
  throw new HttpError('tranche.errors.unsupported', 405, { fetchType, resource });
};

/** Two-letter codes typed as `us, GB ;ie` -> `['US', 'GB', 'IE']` (order kept, repeats dropped). */
export const parseCountryList = (value: unknown): string[] => {
  const codes = Array.isArray(value) ? value.map(String) : String(value ?? '').split(/[\s,;]+/);
  return [...new Set(codes.map((c) => c.trim().toUpperCase()).filter(Boolean))];
};

/** Form data -> `CreateInvestorInput` (jurisdiction upper-cased; no deals unless chosen). */
export const toCreateInvestorInput = (data: Data) => ({
  legalName: text(data.legalName),
  kind: data.kind,
  jurisdiction: text(data.jurisdiction).toUpperCase(),
  ...(Array.isArray(data.dealIds) && data.dealIds.length ? { dealIds: data.dealIds.map(String) } : {}),
});

const sameList = (a: readonly string[], b: unknown) =>
  Array.isArray(b) && a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Form data -> `InvestorProfileInput` with only the fields that changed from `previousData` (all
 * present ones without it). An emptied state or portal user is sent as '' (the API clears it); tax
 * residencies may be typed as one comma-separated string.
 */
export const toInvestorProfileInput = (data: Data, previousData?: Data): Data => {
  const input: Data = {};
  for (const key of ['state', 'portalSubject'] as const) {
    if (!(key in data)) continue;
    const value = text(data[key]);
    if (previousData === undefined || value !== text(previousData[key])) input[key] = value;
  }
  if ('taxResidencies' in data) {
    const residencies = parseCountryList(data.taxResidencies);
    if (previousData === undefined || !sameList(residencies, previousData.taxResidencies))
      input.taxResidencies = residencies;
  }
  return input;
};

/** A date (`YYYY-MM-DD`, a Date or an ISO string) -> the ISO instant it starts, or undefined. */
const toInstant = (value: unknown): string | undefined => {
  if (value === undefined || value === null || value === '') return undefined;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

/** Form data -> `recordAccreditation` variables (the proof hash lower-cased, the date as an instant). */
export const toAccreditationVariables = (data: Data) => ({
  investorId: String(data.investorId),
  input: {
    type: data.type,
    expiresAt: toInstant(data.expiresAt),
    proofSha256: text(data.proofSha256).toLowerCase(),
  },
});

/** Form data -> `reviewSanctionsHit` variables; `falsePositive` must be an explicit boolean. */
export const toSanctionsReviewVariables = (data: Data) => {
  if (typeof data.falsePositive !== 'boolean')
    throw new HttpError('tranche.errors.invalid_input', 400, { errors: { falsePositive: 'required' } });
  return {
    investorId: String(data.investorId),
    falsePositive: data.falsePositive,
    comment: text(data.comment),
  };
};

/** The id of an expiring credential row: its investor and credential (one of each per investor). */
export const expiringCredentialId = (row: Data) =>
  `${isObject(row.investor) ? String(row.investor.id) : ''}:${String(row.credential)}`;

/** The rows of a list the API returns whole, paged here for react-admin. */
const pageHere = (rows: Data[], params: GetListParams | GetManyReferenceParams) => {
  const perPage = params.pagination?.perPage ?? rows.length;
  const start = (Math.max(params.pagination?.page ?? 1, 1) - 1) * perPage;
  return { data: rows.slice(start, start + perPage) as RaRecord[], total: rows.length };
};

const investorsQuery = (fetchType: string, params: unknown): BuiltQuery => {
  switch (fetchType) {
    case 'GET_LIST':
      return {
        query: INVESTORS_QUERY,
        variables: { page: toPageVariables(params as GetListParams) },
        parseResponse: (r) => pageOf(r, 'investors'),
      };
    case 'GET_ONE':
      return {
        query: INVESTOR_QUERY,
        variables: { id: String((params as GetOneParams).id) },
        parseResponse: (r) => recordOf(r, 'investor'),
      };
    case 'CREATE':
      return {
        query: CREATE_INVESTOR,
        variables: { input: toCreateInvestorInput((params as CreateParams).data as Data) },
        parseResponse: (r) => recordOf(r, 'createInvestor'),
      };
    case 'UPDATE': {
      const p = params as UpdateParams;
      return {
        query: UPDATE_INVESTOR_PROFILE,
        variables: {
          investorId: String(p.id),
          input: toInvestorProfileInput(p.data as Data, p.previousData as Data | undefined),
        },
        parseResponse: (r) => recordOf(r, 'updateInvestorProfile'),
      };
    }
    default:
      return unsupported(fetchType, INVESTORS);
  }
};

/** The investor a list call is about: `filter.investorId`, or the reference id. */
const investorOf = (params: GetListParams | GetManyReferenceParams) =>
  'target' in params ? String(params.id) : text(params.filter?.investorId);

const screeningsQuery = (fetchType: string, params: unknown): BuiltQuery => {
  if (fetchType === 'GET_LIST' || fetchType === 'GET_MANY_REFERENCE') {
    const p = params as GetListParams | GetManyReferenceParams;
    return {
      query: SANCTIONS_SCREENINGS_QUERY,
      variables: { investorId: investorOf(p) },
      parseResponse: (r) => pageHere(listOf(r, 'sanctionsScreenings'), p),
    };
  }
  if (fetchType === 'CREATE')
    return {
      query: SCREEN_INVESTOR,
      variables: { id: String(((params as CreateParams).data as Data).investorId) },
      parseResponse: (r) => recordOf(r, 'screenInvestor'),
    };
  return unsupported(fetchType, SANCTIONS_SCREENINGS);
};

/** One create-only action: its mutation, variables, and the record the response becomes. */
const action = (
  fetchType: string,
  resource: string,
  params: unknown,
  build: (data: Data) => { query: BuiltQuery['query']; variables: Data; field: string; id?: string },
): BuiltQuery => {
  if (fetchType !== 'CREATE') return unsupported(fetchType, resource);
  const { query, variables, field, id } = build((params as CreateParams).data as Data);
  return {
    query,
    variables,
    parseResponse: (r) => {
      const { data } = recordOf(r, field);
      return { data: id === undefined ? data : { ...data, id } };
    },
  };
};

const expiringQuery = (fetchType: string, params: unknown): BuiltQuery => {
  if (fetchType !== 'GET_LIST') return unsupported(fetchType, EXPIRING_CREDENTIALS);
  const p = params as GetListParams;
  const days = Number(p.filter?.days);
  return {
    query: EXPIRING_CREDENTIALS_QUERY,
    variables: Number.isInteger(days) && days >= 0 ? { days } : {},
    parseResponse: (r) =>
      pageHere(
        listOf(r, 'expiringCredentials').map((row) => ({ ...row, id: expiringCredentialId(row) })),
        p,
      ),
  };
};

const capTablesQuery = (fetchType: string, params: unknown): BuiltQuery => {
  if (fetchType !== 'GET_MANY_REFERENCE') return unsupported(fetchType, CAP_TABLES);
  const p = params as GetManyReferenceParams;
  return {
    query: CAP_TABLES_QUERY,
    variables: { dealId: String(p.id) },
    parseResponse: (r) => {
      const deal = recordOf(r, 'deal').data;
      const tranches = Array.isArray(deal.tranches) ? deal.tranches.filter(isObject) : [];
      return pageHere(
        tranches.map((t) => ({ ...t, dealId: deal.id, currency: deal.currency })),
        p,
      );
    },
  };
};

const portfolioQuery = (fetchType: string): BuiltQuery => {
  if (fetchType !== 'GET_ONE') return unsupported(fetchType, PORTFOLIO);
  return {
    query: PORTFOLIO_QUERY,
    variables: {},
    // Null until compliance links the signed-in user to an investor: an unlinked, empty portfolio.
    parseResponse: (r) => {
      const portfolio = r.data?.portfolio;
      return {
        data: isObject(portfolio)
          ? { ...portfolio, id: MY_PORTFOLIO, linked: true }
          : { id: MY_PORTFOLIO, linked: false, positions: [] },
      };
    },
  };
};

/** ra-data-graphql's `buildQuery` for the investor pages' resources (INVESTOR_RESOURCES). */
export const buildInvestorsQuery = (fetchType: string, resource: string, params: unknown): BuiltQuery => {
  switch (resource) {
    case INVESTORS:
      return investorsQuery(fetchType, params);
    case SANCTIONS_SCREENINGS:
      return screeningsQuery(fetchType, params);
    case KYC_INQUIRIES:
      return action(fetchType, resource, params, (data) => ({
        query: START_KYC_INQUIRY,
        variables: { investorId: String(data.investorId) },
        field: 'startKycInquiry',
      }));
    case SANCTIONS_REVIEWS:
      return action(fetchType, resource, params, (data) => ({
        query: REVIEW_SANCTIONS_HIT,
        variables: toSanctionsReviewVariables(data),
        field: 'reviewSanctionsHit',
      }));
    case ACCREDITATIONS:
      return action(fetchType, resource, params, (data) => ({
        query: RECORD_ACCREDITATION,
        variables: toAccreditationVariables(data),
        field: 'recordAccreditation',
      }));
    case INVESTOR_VERIFICATIONS: {
      return action(fetchType, resource, params, (data) => ({
        query: VERIFY_INVESTOR,
        variables: { address: text(data.address) },
        field: 'verifyInvestor',
        id: text(data.address),
      }));
    }
    case EXPIRING_CREDENTIALS:
      return expiringQuery(fetchType, params);
    case CAP_TABLES:
      return capTablesQuery(fetchType, params);
    case PORTFOLIO:
      return portfolioQuery(fetchType);
    default:
      throw new HttpError('tranche.errors.unknown_resource', 404, { resource });
  }
};
