import { useEffect, useState } from 'react';
import { Title, useDataProvider, useTranslate } from 'react-admin';
import { useSearchParams } from 'react-router-dom';
import type { BundleDownloads } from '../auditAnchors/bundleDownload';
import { RequireAccess } from '../layout/RequireAccess';
import { AttestReport } from './AttestReport';
import { PUBLIC_VERIFY_PATH } from './paths';
import { VerifyPanel, type BundleSource } from './VerifyPanel';

/**
 * The verification page inside the back office: `#/verify?bundle=<id>` downloads that audit bundle
 * with the auditor's session and verifies it at once in this browser; without `bundle` the auditor
 * picks a file. Here the page may read only the platform's configured chain endpoint (the back
 * office's CSP); the public page (`/verify`) reads any.
 */
const VerifyPage = ({ chainRpcUrl }: { chainRpcUrl: string | null }) => {
  const translate = useTranslate();
  const dataProvider = useDataProvider<BundleDownloads & ReturnType<typeof useDataProvider>>();
  const [params] = useSearchParams();
  const bundleId = params.get('bundle');
  const [initial, setInitial] = useState<BundleSource | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  useEffect(() => {
    if (!bundleId) return;
    setInitial(null);
    setLoadError(null);
    dataProvider
      .downloadAuditBundle(`/audit-bundles/${encodeURIComponent(bundleId)}`)
      .then(async (blob) =>
        setInitial({ name: `audit bundle ${bundleId}`, bytes: new Uint8Array(await blob.arrayBuffer()) }),
      )
      .catch((error: unknown) =>
        setLoadError(translate(error instanceof Error ? error.message : String(error))),
      );
  }, [bundleId, dataProvider, translate]);
  return (
    <>
      <Title title="tranche.verify.title" />
      <VerifyPanel
        defaultRpcUrl={chainRpcUrl}
        initial={initial}
        loading={bundleId && !initial && !loadError ? translate('tranche.verify.downloading') : null}
        loadError={loadError}
        after={(run, source) => <AttestReport run={run} source={source} bundleId={bundleId} />}
      />
      <p>
        <a href={PUBLIC_VERIFY_PATH} target="_blank" rel="noreferrer">
          {translate('tranche.verify.public_link')}
        </a>
      </p>
    </>
  );
};

/** The page, for the audit readers only (others get react-admin's access-denied page). */
const VerifyRoute = ({ chainRpcUrl }: { chainRpcUrl: string | null }) => (
  <RequireAccess resource="verify" action="list">
    <VerifyPage chainRpcUrl={chainRpcUrl} />
  </RequireAccess>
);

export default VerifyRoute;
