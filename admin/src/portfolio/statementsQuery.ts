/**
 * The investor's distribution statements (`investorStatement(investorId, year, month)`), as the
 * read-only resource `investorStatements`: one record per investor and month or year, whose id
 * carries the three (`<investorId>:<year>` or `<investorId>:<year>-<month>`).
 */
import { gql } from '@apollo/client';
import type { GetOneParams, RaRecord } from 'ra-core';
import { HttpError } from 'ra-core';
import type { BuiltQuery } from '../providers/buildQuery';

export const INVESTOR_STATEMENTS = 'investorStatements';
export const STATEMENT_RESOURCES: readonly string[] = [INVESTOR_STATEMENTS];

export const INVESTOR_STATEMENT_QUERY = gql`
  query InvestorStatement($investorId: ID!, $year: Int!, $month: Int) {
    investorStatement(investorId: $investorId, year: $year, month: $month) {
      investorId
      legalName
      year
      month
      lines {
        paidAt
        dealName
        tranche
        period
        amount
        interest
        principal
        distributionId
      }
      totals {
        amount
        interest
        principal
      }
      csvPath
      pdfPath
      taxSummaryPdfPath
    }
  }
`;

export interface StatementKey {
  investorId: string;
  year: number;
  /** 1-12, or undefined for the whole year. */
  month?: number;
}

/** The record id of a statement: `<investorId>:<year>` or `<investorId>:<year>-<month>`. */
export const statementId = ({ investorId, year, month }: StatementKey): string =>
  `${investorId}:${year}${month === undefined ? '' : `-${month}`}`;

/** The investor, year and month of a statement id; throws HttpError 400 when it is not one. */
export const parseStatementId = (id: unknown): StatementKey => {
  const match = /^(.+):(\d{4})(?:-(\d{1,2}))?$/.exec(String(id));
  const month = match?.[3] === undefined ? undefined : Number(match[3]);
  if (!match || (month !== undefined && (month < 1 || month > 12)))
    throw new HttpError('tranche.errors.invalid_input', 400, { errors: { id: 'not a statement id' } });
  return { investorId: String(match[1]), year: Number(match[2]), ...(month === undefined ? {} : { month }) };
};

/** ra-data-graphql's `buildQuery` for `investorStatements` (GET_ONE only). */
export const buildStatementsQuery = (fetchType: string, resource: string, params: unknown): BuiltQuery => {
  if (fetchType !== 'GET_ONE')
    throw new HttpError('tranche.errors.unsupported', 405, { fetchType, resource });
  const id = String((params as GetOneParams).id);
  const key = parseStatementId(id);
  return {
    query: INVESTOR_STATEMENT_QUERY,
    variables: { investorId: key.investorId, year: key.year, month: key.month ?? null },
    parseResponse: (r) => {
      const statement = r.data?.investorStatement;
      if (typeof statement !== 'object' || statement === null)
        throw new HttpError('ra.notification.item_doesnt_exist', 404);
      return { data: { ...statement, id } as RaRecord };
    },
  };
};
