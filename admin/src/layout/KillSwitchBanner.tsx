import { Alert } from '@mui/material';
import { useCanAccess, useGetList, useTranslate, type RaRecord } from 'react-admin';

/** How often every page re-reads the active kill switches. */
export const BANNER_REFRESH_MS = 5000;

/**
 * The banner every page shows while a kill switch of the tenant is active: scope, target, reason.
 * Only for roles that may read kill switches (staff); an investor's pages never ask.
 */
export const KillSwitchBanner = () => {
  const translate = useTranslate();
  const { canAccess } = useCanAccess({ resource: 'killSwitches', action: 'list' });
  const { data } = useGetList<RaRecord>(
    'killSwitches',
    { pagination: { page: 1, perPage: 10 }, filter: {} },
    { refetchInterval: BANNER_REFRESH_MS, retry: false, enabled: canAccess === true },
  );
  if (!data?.length) return null;
  return (
    <Alert severity="error" role="alert" data-testid="kill-switch-banner" sx={{ borderRadius: 0 }}>
      {data
        .map((k) =>
          translate('tranche.governance.banner', {
            scope: k.scope,
            target: k.target ? ` ${String(k.target)}` : '',
            reason: k.reason,
          }),
        )
        .join(' · ')}
    </Alert>
  );
};
