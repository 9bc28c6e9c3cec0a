/**
 * The waterfall's run for the period, by class (the report's `classes`): balances, interest due
 * and paid, shortfall, principal, write-down, in the deal's currency; and the pool's period with
 * the fees paid ahead of the notes (the report's `summary`).
 */
import { Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';
import { formatMajor } from './amounts';
import { parseClasses, parseSummary, POOL_LINES, type ClassAmount } from './engineOutput';
import { useCurrencyOf } from './fields';

const COLUMNS: readonly ClassAmount[] = [
  'beginBalance',
  'interestDue',
  'interestPaid',
  'interestShortfall',
  'principalPaid',
  'writedown',
  'endBalance',
];

const num = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

export const WaterfallTable = () => {
  const report = useRecordContext();
  const currency = useCurrencyOf(report);
  const translate = useTranslate();
  const classes = parseClasses(report?.classes);
  const summary = parseSummary(report?.summary);
  const w = 'tranche.distributions.waterfall';
  return (
    <Box sx={{ mt: 2 }}>
      <Typography variant="subtitle1">{translate(`${w}.title`)}</Typography>
      <Table size="small" aria-label={translate(`${w}.title`)}>
        <TableHead>
          <TableRow>
            <TableCell>{translate(`${w}.class`)}</TableCell>
            <TableCell align="right">{translate(`${w}.coupon`)}</TableCell>
            {COLUMNS.map((c) => (
              <TableCell key={c} align="right">
                {translate(`${w}.${c}`)}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {classes.map((row) => (
            <TableRow key={row.classId}>
              <TableCell component="th" scope="row">
                {row.classId}
              </TableCell>
              <TableCell align="right" sx={num}>
                {row.couponPct ? `${row.couponPct}%` : '—'}
              </TableCell>
              {COLUMNS.map((c) => (
                <TableCell key={c} align="right" sx={num}>
                  {formatMajor(row[c], currency)}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {summary ? (
        <Table size="small" aria-label={translate(`${w}.pool`)} sx={{ mt: 2, maxWidth: 560 }}>
          <TableBody>
            {POOL_LINES.filter((k) => summary.pool[k] !== undefined).map((k) => (
              <TableRow key={k}>
                <TableCell component="th" scope="row">
                  {translate(`${w}.pool_lines.${k}`)}
                </TableCell>
                <TableCell align="right" sx={num}>
                  {formatMajor(summary.pool[k], currency)}
                </TableCell>
              </TableRow>
            ))}
            {summary.feesPaid.map(([fee, amount]) => (
              <TableRow key={`fee-${fee}`}>
                <TableCell component="th" scope="row">
                  {translate(`${w}.fee`, { fee })}
                </TableCell>
                <TableCell align="right" sx={num}>
                  {formatMajor(amount, currency)}
                </TableCell>
              </TableRow>
            ))}
            {(['cashIn', 'cashOut', 'residual'] as const).map((k) => (
              <TableRow key={k}>
                <TableCell component="th" scope="row">
                  {translate(`${w}.${k}`)}
                </TableCell>
                <TableCell align="right" sx={num}>
                  {formatMajor(summary[k], currency)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </Box>
  );
};
