import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  DomainError,
  routeContext,
  sendRouteError,
  serviceFor,
  type SubgraphRouteDeps,
} from '@tranche/platform';
import { BUNDLE_DOWNLOAD_PATH } from './bundle.mapper.js';
import { BUNDLE_READERS, BundleService, bundleFileName } from './bundle.service.js';

/**
 * `GET /audit-bundles/<id>`: the archive of a READY bundle of the caller's tenant, for the
 * bundle readers, authenticated like GraphQL (the bearer token); the gateway forwards it. Errors
 * answer as GraphQL errors do, with their HTTP status: 401 without a valid token, 403 for the
 * wrong role, 404 for an unknown or another tenant's bundle, 409 while it is not READY.
 */
export function bundleRoutes(deps: SubgraphRouteDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (!pathname.startsWith(BUNDLE_DOWNLOAD_PATH)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.statusCode = 405;
      res.setHeader('allow', 'GET, HEAD');
      res.end();
      return true;
    }
    const id = decodeURIComponent(pathname.slice(BUNDLE_DOWNLOAD_PATH.length));
    const requestId = String(res.getHeader('x-request-id') ?? '');
    try {
      const service = serviceFor(BundleService, await routeContext(deps, req, requestId), BUNDLE_READERS);
      const { bundle, content } = await service.archive(id);
      res.writeHead(200, {
        'content-type': 'application/gzip',
        'content-length': String(content.length),
        'content-disposition': `attachment; filename="${bundleFileName(bundle)}"`,
        'x-content-sha256': bundle.sha256 ?? '',
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : content);
    } catch (err) {
      if (err instanceof DomainError) sendRouteError(res, err);
      else throw err;
    }
    return true;
  };
}
