/**
 * Each tranche payout's holders: the wallet at the record block, what the leaf entitles them to,
 * what the chain paid them once reconciled, and whether it ties. Only for the roles that may see
 * wallets (SERVICER, COMPLIANCE, AUDITOR, ADMIN: `distributions.holders`); the first HOLDERS_SHOWN
 * of each tranche, with the count of the rest.
 */
import { Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useCanAccess, useGetOne, useRecordContext, useTranslate } from 'react-admin';
import { formatStablecoin } from './amounts';
import { DISTRIBUTION_HOLDERS, HOLDERS_SHOWN } from './distributionsQuery';

interface HolderRow {
  index: number;
  account: string;
  amount: string;
  paid: string | null;
  status: 'PENDING' | 'PAID' | 'DIFFERS';
}

interface PayoutHolders {
  id: string;
  classId: string;
  holders: { total: number; items: HolderRow[] };
}

const num = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

export const HoldersTable = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  const { canAccess } = useCanAccess({ resource: 'distributions', action: 'holders' });
  const id = record ? String(record.id) : '';
  const { data } = useGetOne<{ id: string; payouts: PayoutHolders[] }>(
    DISTRIBUTION_HOLDERS,
    // keyed by the report's status too: read again once the distribution is executed and reconciled
    { id, meta: { status: record?.status } },
    { enabled: canAccess === true && id !== '' && Boolean(record?.recordBlock), retry: false },
  );
  const payouts = (data?.payouts ?? []).filter((p) => p.holders.total > 0);
  if (!canAccess || !payouts.length) return null;
  const t = (key: string) => translate(`tranche.distributions.holders.${key}`);
  return (
    <Box component="section" aria-label={t('title')} sx={{ mt: 3 }}>
      <Typography variant="h6">{t('title')}</Typography>
      {payouts.map((payout) => (
        <Box key={payout.id} sx={{ mt: 1 }}>
          <Typography variant="subtitle2">
            {translate('tranche.distributions.holders.tranche', {
              classId: payout.classId,
              count: payout.holders.total,
            })}
          </Typography>
          <Table size="small" data-testid={`holders-${payout.classId}`}>
            <TableHead>
              <TableRow>
                <TableCell>#</TableCell>
                <TableCell>{t('account')}</TableCell>
                <TableCell align="right">{t('amount')}</TableCell>
                <TableCell align="right">{t('paid')}</TableCell>
                <TableCell>{t('status')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {payout.holders.items.map((h) => (
                <TableRow key={h.index} data-status={h.status}>
                  <TableCell sx={num}>{h.index}</TableCell>
                  <TableCell sx={{ fontFamily: 'monospace' }}>{h.account}</TableCell>
                  <TableCell align="right" sx={num}>
                    {formatStablecoin(h.amount)}
                  </TableCell>
                  <TableCell align="right" sx={num}>
                    {h.paid === null ? '—' : formatStablecoin(h.paid)}
                  </TableCell>
                  <TableCell>{t(`status_${h.status}`)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {payout.holders.total > HOLDERS_SHOWN ? (
            <Typography variant="caption">
              {translate('tranche.distributions.holders.more', {
                count: payout.holders.total - HOLDERS_SHOWN,
              })}
            </Typography>
          ) : null}
        </Box>
      ))}
    </Box>
  );
};
