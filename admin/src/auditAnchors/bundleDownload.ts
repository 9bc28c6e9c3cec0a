/**
 * Downloading an audit bundle's archive: a plain GET on the gateway (`AuditBundle.downloadUrl`,
 * a path on the gateway's origin) with the session's bearer token, so it is a data-provider
 * method rather than a link (a link cannot carry the token).
 */
import type { DataProvider } from 'ra-core';
import { HttpError } from 'ra-core';

/** The data provider with the bundle download the audit-anchors page uses. */
export interface BundleDownloads {
  /** The archive at `path` (e.g. `/audit-bundles/<id>`) on the gateway's origin. */
  downloadAuditBundle(path: string): Promise<Blob>;
}

const MESSAGES: Readonly<Record<number, string>> = {
  401: 'tranche.errors.unauthenticated',
  403: 'tranche.errors.forbidden',
  404: 'ra.notification.item_doesnt_exist',
  409: 'tranche.audit_bundles.not_ready',
};

/**
 * Adds `downloadAuditBundle` to `dataProvider`: fetches `path` resolved against `gatewayUrl`
 * with `Authorization: Bearer <token()>`. Rejects with an HttpError whose message is an i18n key
 * (401, 403, 404, 409 not ready yet; anything else 'tranche.audit_bundles.download_failed').
 */
export const withBundleDownloads = <D extends DataProvider>(
  dataProvider: D,
  gatewayUrl: string,
  token: () => string | null,
): D & BundleDownloads => ({
  ...dataProvider,
  downloadAuditBundle: async (path: string) => {
    const current = token();
    const response = await fetch(new URL(path, gatewayUrl), {
      headers: current === null ? {} : { Authorization: `Bearer ${current}` },
    });
    if (!response.ok) {
      throw new HttpError(
        MESSAGES[response.status] ?? 'tranche.audit_bundles.download_failed',
        response.status,
      );
    }
    return response.blob();
  },
});

/** Saves `blob` as `fileName` through the browser's download. */
export const saveBlob = (blob: Blob, fileName: string): void => {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
};

/** The file name of a bundle's archive (as the server names it). */
export const bundleFileName = (bundle: { id: unknown; dealId?: unknown }) =>
  `audit-bundle-${String(bundle.dealId)}-${String(bundle.id)}.tar.gz`;
