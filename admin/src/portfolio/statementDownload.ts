/**
 * Downloading an investor's statement (CSV, PDF, the yearly tax summary): a GET of the path the
 * API names on the gateway's origin, with the session's bearer token, so it is a data-provider
 * method rather than a link (a link cannot carry the token). See auditAnchors/bundleDownload.ts.
 */
import type { DataProvider } from 'ra-core';
import { HttpError } from 'ra-core';

export interface StatementDownloads {
  /** The file at `path` (e.g. `/statements/<investorId>/2026-03.pdf`) on the gateway's origin. */
  downloadStatement(path: string): Promise<Blob>;
}

const MESSAGES: Readonly<Record<number, string>> = {
  401: 'tranche.errors.unauthenticated',
  403: 'tranche.errors.forbidden',
  404: 'ra.notification.item_doesnt_exist',
};

/**
 * Adds `downloadStatement` to `dataProvider`. Rejects with an HttpError whose message is an i18n
 * key (401, 403, 404; anything else 'tranche.portfolio.statements.download_failed').
 */
export const withStatementDownloads = <D extends DataProvider>(
  dataProvider: D,
  gatewayUrl: string,
  token: () => string | null,
): D & StatementDownloads => ({
  ...dataProvider,
  downloadStatement: async (path: string) => {
    const current = token();
    const response = await fetch(new URL(path, gatewayUrl), {
      headers: current === null ? {} : { Authorization: `Bearer ${current}` },
    });
    if (!response.ok)
      throw new HttpError(
        MESSAGES[response.status] ?? 'tranche.portfolio.statements.download_failed',
        response.status,
      );
    return response.blob();
  },
});

/** The file name a statement path is saved as, as the server names it: `statement-<investor>-<file>`. */
export const statementFileName = (path: string): string => {
  const parts = path.split('/').filter(Boolean);
  const file = parts.at(-1) ?? 'statement';
  const investorId = parts.at(-2);
  return investorId === undefined ? `statement-${file}` : `statement-${investorId}-${file}`;
};
