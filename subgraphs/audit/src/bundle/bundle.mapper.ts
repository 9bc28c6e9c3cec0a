import type { AuditBundle } from './audit-bundle.entity.js';
import { BundleStatus } from './audit-bundle.entity.js';
import type { ExportAuditBundleArgs } from './bundle.input.js';
import type { ExportRequest } from './bundle.service.js';

/** Where the gateway (and the audit subgraph) serve bundle archives: `GET <path><id>`. */
export const BUNDLE_DOWNLOAD_PATH = '/audit-bundles/';

/** The mutation's arguments as the service's export request. */
export function toExportRequest(args: ExportAuditBundleArgs): ExportRequest {
  return { dealId: args.dealId, from: args.from, to: args.to };
}

/** The archive's download path on the gateway's origin, once READY; null before. */
export function downloadUrlOf(bundle: Pick<AuditBundle, 'id' | 'status'>): string | null {
  return bundle.status === BundleStatus.READY ? `${BUNDLE_DOWNLOAD_PATH}${bundle.id}` : null;
}
