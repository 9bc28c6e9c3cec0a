/** Scenarios side by side: pool WAL, then each class's WAL and principal window (periods). */
import { IconButton, Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import DeleteIcon from '@mui/icons-material/Delete';
import { useTranslate } from 'react-admin';
import { formatWal, type GridRow } from './structuring';

export const ScenarioGrid = ({
  grid,
  onRemove,
}: {
  grid: { classIds: string[]; rows: GridRow[] };
  onRemove: (index: number) => void;
}) => {
  const translate = useTranslate();
  const g = 'tranche.structuring.grid';
  return (
    <Table size="small" aria-label={translate(`${g}.title`)}>
      <TableHead>
        <TableRow>
          <TableCell>{translate(`${g}.scenario`)}</TableCell>
          <TableCell align="right">{translate(`${g}.pool_wal`)}</TableCell>
          {grid.classIds.map((id) => (
            <TableCell key={id} align="right">
              {translate(`${g}.class_wal`, { tranche: id })}
            </TableCell>
          ))}
          {grid.classIds.map((id) => (
            <TableCell key={`${id}-w`} align="right">
              {translate(`${g}.class_window`, { tranche: id })}
            </TableCell>
          ))}
          <TableCell />
        </TableRow>
      </TableHead>
      <TableBody>
        {grid.rows.map((r, i) => (
          <TableRow key={`${r.scenario}-${i}`}>
            <TableCell>{r.scenario}</TableCell>
            <TableCell align="right">{formatWal(r.poolWal)}</TableCell>
            {grid.classIds.map((id) => (
              <TableCell key={id} align="right">
                {formatWal(r.classes[id]?.wal)}
              </TableCell>
            ))}
            {grid.classIds.map((id) => (
              <TableCell key={`${id}-w`} align="right">
                {r.classes[id]?.window ?? '—'}
              </TableCell>
            ))}
            <TableCell>
              <IconButton
                size="small"
                aria-label={translate(`${g}.remove`, { scenario: r.scenario })}
                onClick={() => onRemove(i)}
              >
                <DeleteIcon fontSize="small" />
              </IconButton>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
