/**
 * The investor's distribution statements: pick a year (and a month, or the whole year) to see
 * every distribution the chain paid them, split into interest and principal, with the totals, and
 * download it as CSV or PDF, or the year's tax summary (1099-INT shaped) as PDF.
 */
import DownloadIcon from '@mui/icons-material/Download';
import {
  Alert,
  Box,
  Button,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField as MuiTextField,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import { useDataProvider, useGetOne, useNotify, useTranslate } from 'react-admin';
import { saveBlob } from '../auditAnchors/bundleDownload';
import { formatStablecoin } from '../distributions/amounts';
import { statementFileName, type StatementDownloads } from './statementDownload';
import { INVESTOR_STATEMENTS, statementId } from './statementsQuery';

/** The years offered: this one and the four before it, newest first. */
export const statementYears = (now: Date = new Date()): number[] =>
  Array.from({ length: 5 }, (_, i) => now.getUTCFullYear() - i);

const num = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;
const COLUMNS = ['paidAt', 'dealName', 'tranche', 'period', 'amount', 'interest', 'principal'] as const;

export const StatementSection = ({ investorId }: { investorId: string }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useDataProvider<ReturnType<typeof useDataProvider> & StatementDownloads>();
  const [year, setYear] = useState(() => statementYears()[0] ?? new Date().getUTCFullYear());
  const [month, setMonth] = useState<number | ''>('');
  const [downloading, setDownloading] = useState(false);
  const id = statementId({ investorId, year, ...(month === '' ? {} : { month }) });
  const { data: statement, isPending, error } = useGetOne(INVESTOR_STATEMENTS, { id });
  const s = 'tranche.portfolio.statements';
  const lines = Array.isArray(statement?.lines) ? (statement.lines as Record<string, unknown>[]) : [];
  const totals = (statement?.totals ?? {}) as Record<string, unknown>;

  const download = async (path: unknown) => {
    if (typeof path !== 'string') return;
    setDownloading(true);
    try {
      saveBlob(await dataProvider.downloadStatement(path), statementFileName(path));
    } catch (failure) {
      notify(failure instanceof Error ? failure.message : String(failure), { type: 'error' });
    } finally {
      setDownloading(false);
    }
  };

  return (
    <Box sx={{ mt: 3 }} data-testid="statements">
      <Typography variant="subtitle1">{translate(`${s}.title`)}</Typography>
      <Stack direction="row" spacing={2} sx={{ my: 1, alignItems: 'center', flexWrap: 'wrap' }}>
        <MuiTextField
          select
          size="small"
          label={translate(`${s}.year`)}
          fullWidth={false}
          sx={{ minWidth: 120 }}
          value={year}
          onChange={(e) => setYear(Number(e.target.value))}
        >
          {statementYears().map((y) => (
            <MenuItem key={y} value={y}>
              {y}
            </MenuItem>
          ))}
        </MuiTextField>
        <MuiTextField
          select
          size="small"
          label={translate(`${s}.month`)}
          value={month}
          onChange={(e) => setMonth(e.target.value === '' ? '' : Number(e.target.value))}
          fullWidth={false}
          sx={{ minWidth: 160 }}
          slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
        >
          <MenuItem value="">{translate(`${s}.whole_year`)}</MenuItem>
          {Array.from({ length: 12 }, (_, i) => (
            <MenuItem key={i + 1} value={i + 1}>
              {new Date(Date.UTC(2000, i, 1)).toLocaleString('en', { month: 'long', timeZone: 'UTC' })}
            </MenuItem>
          ))}
        </MuiTextField>
        {(['csvPath', 'pdfPath', 'taxSummaryPdfPath'] as const).map((path) => (
          <Button
            key={path}
            size="small"
            startIcon={<DownloadIcon />}
            disabled={downloading || !statement}
            onClick={() => void download(statement?.[path])}
          >
            {translate(`${s}.${path}`)}
          </Button>
        ))}
      </Stack>
      {error ? <Alert severity="error">{translate(`${s}.failed`)}</Alert> : null}
      {!isPending && !error && lines.length === 0 ? (
        <Typography variant="body2">{translate(`${s}.empty`)}</Typography>
      ) : null}
      {lines.length > 0 ? (
        <Table size="small" aria-label={translate(`${s}.title`)}>
          <TableHead>
            <TableRow>
              {COLUMNS.map((c) => (
                <TableCell key={c}>{translate(`${s}.${c}`)}</TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {lines.map((line) => (
              <TableRow key={`${String(line.distributionId)}-${String(line.paidAt)}`}>
                <TableCell>{new Date(String(line.paidAt)).toLocaleDateString()}</TableCell>
                <TableCell>{String(line.dealName)}</TableCell>
                <TableCell>{String(line.tranche)}</TableCell>
                <TableCell>{String(line.period)}</TableCell>
                <TableCell sx={num}>{formatStablecoin(line.amount)}</TableCell>
                <TableCell sx={num}>{formatStablecoin(line.interest)}</TableCell>
                <TableCell sx={num}>{formatStablecoin(line.principal)}</TableCell>
              </TableRow>
            ))}
            <TableRow>
              <TableCell colSpan={4}>{translate(`${s}.totals`)}</TableCell>
              <TableCell sx={num}>{formatStablecoin(totals.amount)}</TableCell>
              <TableCell sx={num}>{formatStablecoin(totals.interest)}</TableCell>
              <TableCell sx={num}>{formatStablecoin(totals.principal)}</TableCell>
            </TableRow>
          </TableBody>
        </Table>
      ) : null}
    </Box>
  );
};
