import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  DomainError,
  NotFoundError,
  requireRole,
  routeContext,
  sendRouteError,
  type SubgraphRouteDeps,
} from '@tranche/platform';
import { statementCsv, statementPdf, taxSummaryCsv, taxSummaryPdf } from './statement.render.js';
import { StatementService } from './statement.service.js';

/** Where statements are downloaded (through the gateway, with the caller's bearer token). */
export const STATEMENT_PATH = '/statements/';
const NAME = /^(\d{4})(?:-(\d{2}))?(-1099)?\.(csv|pdf)$/;

/**
 * `GET /statements/<investorId>/<year>[-<month>].csv|pdf` — an investor's distribution statement for
 * a month or a year — and `/statements/<investorId>/<year>-1099.csv|pdf`, the yearly interest summary
 * in the shape of a 1099-INT. Staff download any investor of their tenant; an INVESTOR only their
 * own (the portal user linked to the investor). Errors are shaped as GraphQL's.
 */
export function statementRoutes(deps: SubgraphRouteDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (!pathname.startsWith(STATEMENT_PATH)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.statusCode = 405;
      res.setHeader('allow', 'GET, HEAD');
      res.end();
      return true;
    }
    const requestId = String(res.getHeader('x-request-id') ?? '');
    try {
      const [investorId = '', file = ''] = pathname
        .slice(STATEMENT_PATH.length)
        .split('/')
        .map(decodeURIComponent);
      const match = NAME.exec(file);
      if (!match) throw new NotFoundError('Statement', pathname);
      const [, year, month, tax, format] = match;
      const ctx = await routeContext(deps, req, requestId);
      const service = new StatementService(ctx.em, requireRole(ctx), requestId);
      const statement = await service.statement(
        investorId,
        Number(year),
        tax ? null : month ? Number(month) : null,
      );
      const body =
        format === 'csv'
          ? Buffer.from(tax ? taxSummaryCsv(statement) : statementCsv(statement), 'utf8')
          : await (tax ? taxSummaryPdf(statement) : statementPdf(statement));
      res.statusCode = 200;
      res.setHeader('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/pdf');
      res.setHeader('content-length', String(body.length));
      res.setHeader('cache-control', 'private, no-store');
      res.setHeader('content-disposition', `attachment; filename="statement-${investorId}-${file}"`);
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      if (err instanceof DomainError) sendRouteError(res, err);
      else {
        deps.logger.error({ err }, 'statement failed');
        res.statusCode = 500;
        res.end();
      }
    }
    return true;
  };
}
