/**
 * The prospectus decrement tables: percent of each class's original balance outstanding after
 * each anniversary's distribution, a column per prepayment speed, the WAL at the foot.
 */
import { Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { formatWal, type DecrementTable } from './structuring';

export const DecrementTables = ({ tables }: { tables: DecrementTable[] }) => {
  const translate = useTranslate();
  const d = 'tranche.structuring.decrement';
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 3 }}>
      {tables.map((t) => (
        <Box key={t.classId}>
          <Typography variant="subtitle2">{translate(`${d}.class`, { tranche: t.classId })}</Typography>
          <Table size="small" aria-label={translate(`${d}.class`, { tranche: t.classId })}>
            <TableHead>
              <TableRow>
                <TableCell>{translate(`${d}.date`)}</TableCell>
                {t.speeds.map((speed) => (
                  <TableCell key={speed} align="right">
                    {speed}
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {t.rows.map((r) => (
                <TableRow key={r.label}>
                  <TableCell>{r.label === 'Initial' ? translate(`${d}.initial`) : r.label}</TableCell>
                  {r.percents.map((p, i) => (
                    <TableCell key={t.speeds[i] ?? i} align="right">
                      {p}
                    </TableCell>
                  ))}
                </TableRow>
              ))}
              <TableRow>
                <TableCell>{translate(`${d}.wal`)}</TableCell>
                {t.wals.map((w, i) => (
                  <TableCell key={t.speeds[i] ?? i} align="right">
                    {formatWal(w)}
                  </TableCell>
                ))}
              </TableRow>
            </TableBody>
          </Table>
        </Box>
      ))}
      <Typography variant="caption" component="p" sx={{ width: '100%' }}>
        {translate(`${d}.footnote`)}
      </Typography>
    </Box>
  );
};
