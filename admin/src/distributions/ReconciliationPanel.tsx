/**
 * The reconciliation of an executed distribution: ✓ when every holder was paid exactly their
 * amount and each escrow holds nothing back, else each tranche's differences (the holder's leaf,
 * account, what they were entitled to and what the chain shows paid; -1 is the escrow itself).
 */
import { Alert, Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';
import { formatStablecoin } from './amounts';
import { parseReconciliation } from './engineOutput';

const num = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

export const ReconciliationPanel = () => {
  const report = useRecordContext();
  const translate = useTranslate();
  const reconciliation = parseReconciliation(report?.reconciliation);
  const r = 'tranche.distributions.reconciliation';
  if (!reconciliation) return null;
  const payouts = Array.isArray(report?.payouts) ? (report.payouts as Record<string, unknown>[]) : [];
  const nameOf = (trancheId: string) =>
    String(payouts.find((p) => p.trancheId === trancheId)?.classId ?? trancheId);
  return (
    <Box sx={{ mt: 2 }} data-testid="reconciliation">
      <Typography variant="subtitle1">{translate(`${r}.title`)}</Typography>
      <Alert severity={reconciliation.ties ? 'success' : 'error'}>
        {translate(reconciliation.ties ? `${r}.ties` : `${r}.differs`)}
      </Alert>
      <Table size="small" aria-label={translate(`${r}.title`)}>
        <TableHead>
          <TableRow>
            {['tranche', 'entitled', 'funded', 'paid', 'remainder', 'result'].map((c) => (
              <TableCell key={c}>{translate(`${r}.${c}`)}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {reconciliation.tranches.map((t) => (
            <TableRow key={t.trancheId}>
              <TableCell component="th" scope="row">
                {nameOf(t.trancheId)}
              </TableCell>
              <TableCell sx={num}>{formatStablecoin(t.entitled)}</TableCell>
              <TableCell sx={num}>{formatStablecoin(t.funded)}</TableCell>
              <TableCell sx={num}>{formatStablecoin(t.paid)}</TableCell>
              <TableCell sx={num}>{formatStablecoin(t.remainder)}</TableCell>
              <TableCell>
                {t.differences.length === 0
                  ? '✓'
                  : translate(`${r}.difference_count`, { smart_count: t.differences.length })}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {reconciliation.tranches
        .filter((t) => t.differences.length > 0)
        .map((t) => (
          <Table
            key={`diff-${t.trancheId}`}
            size="small"
            sx={{ mt: 1 }}
            aria-label={translate(`${r}.differences`, { tranche: nameOf(t.trancheId) })}
          >
            <TableHead>
              <TableRow>
                {['index', 'account', 'entitled', 'paid'].map((c) => (
                  <TableCell key={c}>{translate(`${r}.${c}`)}</TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {t.differences.map((d) => (
                <TableRow key={`${d.index}-${d.account}`}>
                  <TableCell>{d.index < 0 ? translate(`${r}.escrow`) : d.index}</TableCell>
                  <TableCell sx={{ fontFamily: 'monospace' }}>{d.account}</TableCell>
                  <TableCell sx={num}>{formatStablecoin(d.entitled)}</TableCell>
                  <TableCell sx={num}>{formatStablecoin(d.paid)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ))}
    </Box>
  );
};
