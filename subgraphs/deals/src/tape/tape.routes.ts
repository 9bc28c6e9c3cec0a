import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  DomainError,
  gatedService,
  httpStatusFor,
  NotFoundError,
  routeContext,
  sendRouteError,
  serviceFor,
  type SubgraphRouteDeps,
} from '@tranche/platform';
import { TAPE_UPLOAD_PATH } from './loan-tape.entity.js';
import { keysOf } from './tape.resolver.js';
import { TAPE_READERS, TapeService, TapeTooLargeError } from './tape.service.js';

/**
 * `PUT /loan-tapes/<id>`: the file of a tape version created by `createLoanTapeUpload`, as the raw
 * request body (text/csv), authenticated and gated like the mutation (`deal.tape`: the caller's
 * roles, tenant, kill switches). The body is streamed: sealed piece by piece, hashed, never held
 * whole. Answers 202 with the receipt (validation follows as a job), 401/403/404/423 as GraphQL
 * errors would, 409 for a second upload, 413 over TAPE_MAX_BYTES. The gateway forwards it.
 */
export function tapeRoutes(deps: SubgraphRouteDeps) {
  const { config } = deps;
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (!pathname.startsWith(TAPE_UPLOAD_PATH)) return false;
    if (req.method !== 'PUT' && req.method !== 'POST') {
      res.statusCode = 405;
      res.setHeader('allow', 'PUT, POST');
      res.end();
      return true;
    }
    const id = decodeURIComponent(pathname.slice(TAPE_UPLOAD_PATH.length));
    const requestId = String(res.getHeader('x-request-id') ?? '');
    try {
      const ctx = await routeContext(deps, req, requestId);
      const tape = await serviceFor(TapeService, ctx, TAPE_READERS).get(id);
      if (!tape) throw new NotFoundError('LoanTape', id);
      const { service } = await gatedService(TapeService, ctx, {
        capability: 'deal.tape',
        dealId: tape.dealId,
      });
      const declared = req.headers['content-length'];
      const receipt = await service.receive(
        tape.id,
        req,
        {
          maxBytes: config.TAPE_MAX_BYTES,
          declaredBytes: declared === undefined ? undefined : Number(declared),
        },
        keysOf(config),
      );
      res.writeHead(202, { 'content-type': 'application/json; charset=utf-8' });
      res.end(
        JSON.stringify({
          id: receipt.tape.id,
          version: receipt.tape.version,
          status: receipt.tape.status,
          sha256: receipt.sha256,
          byteSize: receipt.byteSize,
        }),
      );
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const status = err instanceof TapeTooLargeError ? 413 : httpStatusFor(err.code);
      if (!req.readableEnded) {
        // Drop what the client still sends, then answer: a proxy (the gateway) still streaming the
        // body would otherwise see the connection reset, not the answer. Give up after 30 s.
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(done, 30_000);
          req.once('end', done);
          req.once('error', done);
          req.once('close', done);
          req.resume();
        });
      }
      sendRouteError(res, err, status);
    }
    return true;
  };
}
