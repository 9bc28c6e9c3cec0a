/**
 * Each tranche's payout: the class cash the waterfall pays it, what its holders are paid in the
 * stablecoin and the remainder the treasury keeps, the recipients and how many claims were pushed,
 * the Merkle root and the funding, publishing and sweep transactions, and what the chain shows paid.
 * Per-holder amounts (the tree's leaves) are in HoldersTable, for the roles that may see wallets.
 */
import { Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';
import { formatMinor, formatStablecoin } from './amounts';
import { useCurrencyOf } from './fields';

/** A transaction or root shortened for the table (`0x1234…abcd`), the whole value in its title. */
export const shortHash = (hash: unknown): string => {
  const text = typeof hash === 'string' ? hash : '';
  return text.length > 14 ? `${text.slice(0, 6)}…${text.slice(-4)}` : text || '—';
};

const Hash = ({ value }: { value: unknown }) => (
  <Box
    component="span"
    title={typeof value === 'string' ? value : undefined}
    sx={{ fontFamily: 'monospace' }}
  >
    {shortHash(value)}
  </Box>
);

const num = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;
const COLUMNS = [
  'tranche',
  'classCash',
  'total',
  'remainder',
  'recipients',
  'pushed',
  'paidTotal',
  'merkleRoot',
  'fundTx',
  'publishTx',
  'claimDeadline',
  'swept',
] as const;

export const PayoutsTable = () => {
  const report = useRecordContext();
  const currency = useCurrencyOf(report);
  const translate = useTranslate();
  const payouts = Array.isArray(report?.payouts) ? (report.payouts as Record<string, unknown>[]) : [];
  const p = 'tranche.distributions.payouts';
  if (payouts.length === 0) return null;
  return (
    <Box sx={{ mt: 2, overflowX: 'auto' }}>
      <Typography variant="subtitle1">{translate(`${p}.title`)}</Typography>
      <Table size="small" aria-label={translate(`${p}.title`)}>
        <TableHead>
          <TableRow>
            {COLUMNS.map((c) => (
              <TableCell key={c}>{translate(`${p}.${c}`)}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {payouts.map((payout) => (
            <TableRow key={String(payout.trancheId)}>
              <TableCell component="th" scope="row">
                {String(payout.classId)}
                <Box component="span" sx={{ display: 'block' }}>
                  <Hash value={payout.token} />
                </Box>
              </TableCell>
              <TableCell sx={num}>{formatMinor(String(payout.classCash), currency)}</TableCell>
              <TableCell sx={num}>{formatStablecoin(payout.total)}</TableCell>
              <TableCell sx={num}>{formatStablecoin(payout.remainder)}</TableCell>
              <TableCell sx={num}>{String(payout.recipients)}</TableCell>
              <TableCell sx={num}>{`${String(payout.pushed)} / ${String(payout.recipients)}`}</TableCell>
              <TableCell sx={num}>{formatStablecoin(payout.paidTotal)}</TableCell>
              <TableCell>
                <Hash value={payout.merkleRoot} />
              </TableCell>
              <TableCell>
                <Hash value={payout.fundTx} />
              </TableCell>
              <TableCell>
                <Hash value={payout.publishTx} />
              </TableCell>
              <TableCell sx={num}>
                {payout.claimDeadline ? new Date(String(payout.claimDeadline)).toLocaleDateString() : '—'}
              </TableCell>
              <TableCell sx={num}>
                {payout.sweptTx ? (
                  <>
                    {formatStablecoin(payout.swept)} <Hash value={payout.sweptTx} />
                  </>
                ) : (
                  '—'
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Typography variant="caption">{translate(`${p}.units`)}</Typography>
    </Box>
  );
};
