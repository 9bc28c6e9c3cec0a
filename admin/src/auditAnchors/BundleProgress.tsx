import { Box, LinearProgress, Typography } from '@mui/material';
import { useGetOne, useTranslate, type RaRecord } from 'react-admin';
import { DownloadBundleButton } from './DownloadBundleButton';

const finished = (bundle: RaRecord | undefined) => bundle?.status === 'READY' || bundle?.status === 'FAILED';

/** How far a bundle's job has come, polled every second until it is READY or FAILED. */
export const BundleProgressView = ({ bundle }: { bundle: RaRecord }) => {
  const translate = useTranslate();
  const percent = Math.round(Number(bundle.progress ?? 0) * 100);
  return (
    <Box data-testid="bundle-progress" sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
      <Typography variant="body2">
        {translate(`tranche.audit_bundles.status.${String(bundle.status)}`, { _: String(bundle.status) })}
        {bundle.status === 'RUNNING' ? ` — ${percent}%` : ''}
      </Typography>
      {bundle.status === 'FAILED' ? null : (
        <LinearProgress
          variant={bundle.status === 'QUEUED' ? 'indeterminate' : 'determinate'}
          value={percent}
        />
      )}
      {bundle.status === 'READY' ? (
        <Typography variant="body2">
          {translate('tranche.audit_bundles.ready', {
            events: bundle.eventCount,
            anchored: bundle.anchoredCount,
            sha256: bundle.sha256,
          })}
        </Typography>
      ) : null}
      {bundle.error ? (
        <Typography variant="body2" color="error">
          {String(bundle.error)}
        </Typography>
      ) : null}
      <Box>
        <DownloadBundleButton bundle={bundle} />
      </Box>
    </Box>
  );
};

/** The progress of bundle `id`, kept fresh while its job runs. */
export const BundleProgress = ({ id, intervalMs = 1000 }: { id: string; intervalMs?: number }) => {
  const { data } = useGetOne(
    'auditBundles',
    { id },
    { refetchInterval: (query) => (finished(query.state.data as RaRecord | undefined) ? false : intervalMs) },
  );
  return data ? <BundleProgressView bundle={data} /> : <LinearProgress />;
};
