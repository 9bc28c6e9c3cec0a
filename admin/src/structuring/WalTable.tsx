/** Each class's WAL and principal window (periods, with their distribution dates) under one scenario. */
import { Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import { useTranslate } from 'react-admin';
import { formatWal, notesOf, type ClassProjection, type Projection } from './structuring';

const dateOf = (c: ClassProjection, period: number | null) =>
  period == null ? undefined : (c.cashFlows.find((r) => r.period === period)?.paymentDate ?? undefined);

export const WalTable = ({ projection }: { projection: Projection }) => {
  const translate = useTranslate();
  const w = 'tranche.structuring.wal';
  const windowText = (c: ClassProjection) => {
    if (c.principalWindowFirst == null) return '—';
    const first = dateOf(c, c.principalWindowFirst);
    const last = dateOf(c, c.principalWindowLast);
    const periods = `${c.principalWindowFirst}–${c.principalWindowLast ?? '?'}`;
    return first && last ? `${periods} (${first} – ${last})` : periods;
  };
  return (
    <Table size="small" aria-label={translate(`${w}.title`)} sx={{ maxWidth: 720, mb: 2 }}>
      <TableHead>
        <TableRow>
          <TableCell>{translate(`${w}.class`)}</TableCell>
          <TableCell align="right">{translate(`${w}.wal`)}</TableCell>
          <TableCell>{translate(`${w}.window`)}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {notesOf(projection).map((c) => (
          <TableRow key={c.classId}>
            <TableCell>{c.classId}</TableCell>
            <TableCell align="right" data-testid={`wal-${c.classId}`}>
              {formatWal(c.wal)}
            </TableCell>
            <TableCell>{windowText(c)}</TableCell>
          </TableRow>
        ))}
        <TableRow>
          <TableCell>{translate(`${w}.pool`)}</TableCell>
          <TableCell align="right" data-testid="wal-pool">
            {formatWal(projection.poolWal)}
          </TableCell>
          <TableCell />
        </TableRow>
      </TableBody>
    </Table>
  );
};
