import DownloadIcon from '@mui/icons-material/Download';
import { Button } from '@mui/material';
import { useState } from 'react';
import { useDataProvider, useNotify, useTranslate, type RaRecord } from 'react-admin';
import { bundleFileName, saveBlob, type BundleDownloads } from './bundleDownload';

/** Downloads a READY bundle's archive through the gateway with the session's token. */
export const DownloadBundleButton = ({ bundle }: { bundle: RaRecord }) => {
  const dataProvider = useDataProvider<ReturnType<typeof useDataProvider> & BundleDownloads>();
  const notify = useNotify();
  const translate = useTranslate();
  const [pending, setPending] = useState(false);
  if (bundle.status !== 'READY' || typeof bundle.downloadUrl !== 'string') return null;
  const download = async () => {
    setPending(true);
    try {
      saveBlob(await dataProvider.downloadAuditBundle(bundle.downloadUrl), bundleFileName(bundle));
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: 'error' });
    } finally {
      setPending(false);
    }
  };
  return (
    <Button size="small" startIcon={<DownloadIcon />} disabled={pending} onClick={() => void download()}>
      {translate('tranche.audit_bundles.download')}
    </Button>
  );
};
