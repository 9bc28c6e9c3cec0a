/**
 * A deal's loan tape in the back office: the versions with their validation and anchor, the upload
 * of a new version (cut-off date and CSV file, with upload progress, then the ingest job's rows
 * read), the validation report of a rejected tape (row and column of each error), and the
 * stratification of a validated one as tables with bars.
 */
import UploadIcon from '@mui/icons-material/UploadFile';
import {
  Alert,
  Box,
  Button,
  Chip,
  LinearProgress,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField as MuiTextField,
  Typography,
} from '@mui/material';
import { useCallback, useEffect, useState } from 'react';
import { useCanAccess, useDataProvider, useNotify, useRecordContext, useTranslate } from 'react-admin';
import type { LoanTape, LoanTapeCalls, StratBucket } from './tapeProvider';

const DONE = new Set(['VALIDATED', 'REJECTED']);
const money = (minor: string) =>
  (Number(BigInt(minor) / 100n) + Number(BigInt(minor) % 100n) / 100).toLocaleString('en-US', {
    maximumFractionDigits: 0,
  });
const lastMonthEnd = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0)).toISOString().slice(0, 10);
};

/** A stratification table: bucket, loans, balance and a bar of its share. */
export const StratTable = ({ title, buckets }: { title: string; buckets: StratBucket[] }) => (
  <Box sx={{ minWidth: 280, flex: 1 }}>
    <Typography variant="subtitle2">{title}</Typography>
    <Table size="small" aria-label={title}>
      <TableBody>
        {buckets.map((b) => (
          <TableRow key={b.key}>
            <TableCell>{b.key}</TableCell>
            <TableCell align="right">{b.loanCount}</TableCell>
            <TableCell align="right">{money(b.balance)}</TableCell>
            <TableCell sx={{ width: 120 }}>
              <Box
                role="meter"
                aria-valuenow={Math.round(b.share * 1000) / 10}
                aria-label={`${b.key} share`}
                sx={{
                  height: 10,
                  width: `${Math.max(1, b.share * 100)}%`,
                  bgcolor: 'primary.main',
                  borderRadius: 1,
                }}
              />
            </TableCell>
            <TableCell align="right">{(b.share * 100).toFixed(1)}%</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  </Box>
);

const TapeDetail = ({ tape }: { tape: LoanTape }) => {
  const translate = useTranslate();
  const s = tape.stratification;
  return (
    <Box data-testid={`loan-tape-${tape.version}`} sx={{ mt: 2 }}>
      <Typography variant="h6">
        {translate('tranche.loan_tapes.version', { version: tape.version })} — {tape.fileName}{' '}
        <Chip
          size="small"
          label={tape.status}
          color={tape.status === 'VALIDATED' ? 'success' : tape.status === 'REJECTED' ? 'error' : 'default'}
        />
      </Typography>
      {!DONE.has(tape.status) ? (
        <Box sx={{ my: 1 }}>
          <Typography variant="body2">
            {translate('tranche.loan_tapes.rows_read', { rows: tape.rowsProcessed })}
          </Typography>
          <LinearProgress />
        </Box>
      ) : null}
      {tape.status === 'REJECTED' ? (
        <>
          <Alert severity="error" sx={{ my: 1 }}>
            {translate('tranche.loan_tapes.rejected', { count: tape.errorCount })}
          </Alert>
          <Table size="small" aria-label={translate('tranche.loan_tapes.report')}>
            <TableHead>
              <TableRow>
                <TableCell>{translate('tranche.loan_tapes.row')}</TableCell>
                <TableCell>{translate('tranche.loan_tapes.column')}</TableCell>
                <TableCell>{translate('tranche.loan_tapes.message')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {tape.errors.map((e, i) => (
                <TableRow key={i}>
                  <TableCell>{e.row}</TableCell>
                  <TableCell>{e.column ?? '—'}</TableCell>
                  <TableCell>{e.message}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      ) : null}
      {tape.status === 'VALIDATED' ? (
        <Typography variant="body2" sx={{ my: 1, wordBreak: 'break-all' }}>
          {translate('tranche.loan_tapes.summary', { rows: tape.rowCount ?? 0, sha256: tape.sha256 ?? '' })}
          <br />
          {translate('tranche.loan_tapes.root', {
            root: tape.poseidonRoot ?? '',
            capacity: tape.rootCapacity ?? 0,
          })}
          <br />
          {translate('tranche.loan_tapes.anchor', {
            status: tape.anchorStatus,
            tx: tape.anchorTxHash ?? tape.anchorError ?? '—',
          })}
        </Typography>
      ) : null}
      {s ? (
        <>
          <Stack direction="row" spacing={3} sx={{ my: 1 }} data-testid="stratification-summary">
            <span>{translate('tranche.loan_tapes.loans', { count: s.loanCount })}</span>
            <span>{translate('tranche.loan_tapes.balance', { balance: money(s.currentBalance) })}</span>
            <span>WAC {s.wac.toFixed(3)}%</span>
            <span>WAM {s.wam.toFixed(0)}</span>
            <span>WA LTV {s.waLtv.toFixed(1)}%</span>
            <span>WA FICO {s.waFico.toFixed(0)}</span>
            <span>WA DTI {s.waDti.toFixed(1)}%</span>
          </Stack>
          <Stack direction="row" flexWrap="wrap" gap={3}>
            <StratTable title={translate('tranche.loan_tapes.by_state')} buckets={s.byState} />
            <StratTable title={translate('tranche.loan_tapes.by_delinquency')} buckets={s.byDelinquency} />
            <StratTable title={translate('tranche.loan_tapes.by_ltv')} buckets={s.byLtv} />
            <StratTable title={translate('tranche.loan_tapes.by_fico')} buckets={s.byFico} />
            <StratTable title={translate('tranche.loan_tapes.by_occupancy')} buckets={s.byOccupancy} />
          </Stack>
        </>
      ) : null}
    </Box>
  );
};

/** The upload form: cut-off date and file; then the upload's progress. */
const UploadForm = ({ dealId, onUploaded }: { dealId: string; onUploaded: (tape: LoanTape) => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const provider = useDataProvider<LoanTapeCalls & ReturnType<typeof useDataProvider>>();
  const [cutoffDate, setCutoffDate] = useState(lastMonthEnd());
  const [file, setFile] = useState<File | null>(null);
  const [sent, setSent] = useState<number | null>(null);
  const submit = async () => {
    if (!file) return;
    try {
      setSent(0);
      const tape = await provider.createLoanTapeUpload({ dealId, cutoffDate, fileName: file.name });
      await provider.uploadLoanTape(tape, file, setSent);
      onUploaded(tape);
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: 'error' });
    } finally {
      setSent(null);
      setFile(null);
    }
  };
  return (
    <Stack direction="row" spacing={2} alignItems="center" sx={{ my: 1 }}>
      <MuiTextField
        type="date"
        size="small"
        label={translate('tranche.loan_tapes.cutoff')}
        value={cutoffDate}
        onChange={(e) => setCutoffDate(e.target.value)}
        slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'aria-label': 'cut-off date' } }}
      />
      <Button component="label" variant="outlined" startIcon={<UploadIcon />}>
        {file ? file.name : translate('tranche.loan_tapes.choose')}
        <input
          hidden
          type="file"
          accept=".csv,text/csv"
          aria-label="loan tape file"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </Button>
      <Button variant="contained" disabled={!file || sent !== null} onClick={() => void submit()}>
        {translate('tranche.loan_tapes.upload')}
      </Button>
      {sent !== null ? <LinearProgress variant="determinate" value={sent * 100} sx={{ width: 160 }} /> : null}
    </Stack>
  );
};

/** The deal's loan tape tab. */
export const LoanTapeTab = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  const provider = useDataProvider<LoanTapeCalls & ReturnType<typeof useDataProvider>>();
  const { canAccess: canUpload } = useCanAccess({ resource: 'loanTapes', action: 'create' });
  const [tapes, setTapes] = useState<LoanTape[] | null>(null);
  const dealId = record?.id === undefined ? null : String(record.id);
  const refresh = useCallback(async () => {
    // a fresh array each time: Apollo hands back the same object while nothing changed, and the
    // follow-up below only runs again on a new value
    if (dealId) setTapes([...(await provider.loanTapesOf(dealId))]);
  }, [dealId, provider]);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  // Follow the newest version until its job is done.
  useEffect(() => {
    const newest = tapes?.[0];
    if (!newest || (DONE.has(newest.status) && newest.anchorStatus !== 'PENDING')) return;
    const timer = setTimeout(() => void refresh(), 1000);
    return () => clearTimeout(timer);
  }, [tapes, refresh]);
  if (!dealId) return null;
  return (
    <Box>
      {canUpload ? <UploadForm dealId={dealId} onUploaded={() => void refresh()} /> : null}
      {tapes === null ? <LinearProgress /> : null}
      {tapes?.length === 0 ? <Typography>{translate('tranche.loan_tapes.none')}</Typography> : null}
      {tapes?.map((tape) => (
        <TapeDetail key={tape.id} tape={tape} />
      ))}
    </Box>
  );
};
