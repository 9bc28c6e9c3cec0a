/**
 * The top of a distribution's page: the plan's approval card (gross collections, fees and
 * expenses, net distributable, per token, recipients, record block, submitted) with the report's
 * hashes, and the execution's progress while the job works and after (error, approval, time).
 */
import { Alert, Box, LinearProgress, Table, TableBody, TableCell, TableRow, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { Link, useCreatePath, useRecordContext, useTranslate } from 'react-admin';
import { formatMajor } from './amounts';
import { EXECUTING } from './choices';
import { PayoutStatusField, PerTokenField, useDealOf } from './fields';

const Row = ({ label, children }: { label: string; children: ReactNode }) => {
  const translate = useTranslate();
  return (
    <TableRow>
      <TableCell component="th" scope="row" sx={{ width: 220 }}>
        {translate(label)}
      </TableCell>
      <TableCell sx={{ fontVariantNumeric: 'tabular-nums' }}>{children}</TableCell>
    </TableRow>
  );
};

const mono = { fontFamily: 'monospace', wordBreak: 'break-all' } as const;

/** The approval card of the report in the record context. */
export const ApprovalCard = () => {
  const report = useRecordContext();
  const deal = useDealOf(report);
  const translate = useTranslate();
  if (!report) return null;
  const currency = typeof deal?.currency === 'string' ? deal.currency : 'USD';
  const totals = (report.totals ?? null) as Record<string, unknown> | null;
  const f = 'resources.distributions.fields';
  return (
    <Box>
      <Typography variant="h6" data-testid="distribution-title">
        {translate('tranche.distributions.title', {
          deal: String(deal?.name ?? report.dealId),
          period: String(report.period),
        })}{' '}
        <PayoutStatusField />
      </Typography>
      <Table size="small" aria-label={translate('tranche.distributions.card')}>
        <TableBody>
          <Row label={`${f}.grossCollections`}>{formatMajor(totals?.grossCollections, currency)}</Row>
          <Row label={`${f}.feesAndExpenses`}>{formatMajor(totals?.feesAndExpenses, currency)}</Row>
          <Row label={`${f}.netDistributable`}>{formatMajor(totals?.netDistributable, currency)}</Row>
          <Row label={`${f}.perToken`}>
            <PerTokenField />
          </Row>
          <Row label={`${f}.totals.recipients`}>{String(totals?.recipients ?? '—')}</Row>
          <Row label={`${f}.recordBlock`}>{String(report.recordBlock ?? '—')}</Row>
          <Row label={`${f}.submittedBy`}>
            {`${String(report.submittedBy)} · ${new Date(String(report.createdAt)).toLocaleString()}`}
          </Row>
          <Row label={`${f}.reportSha256`}>
            <Box component="span" sx={mono}>
              {String(report.reportSha256)}
            </Box>
          </Row>
          <Row label={`${f}.inputSha256`}>
            <Box component="span" sx={mono}>
              {`${String(report.inputSha256)} (engine ${String(report.engineVersion)})`}
            </Box>
          </Row>
        </TableBody>
      </Table>
      {totals === null ? (
        <Alert severity="info" sx={{ mt: 1 }}>
          {translate('tranche.distributions.not_previewed')}
        </Alert>
      ) : null}
    </Box>
  );
};

/** Where the execution stands: its progress bar while the job works, its error, its approval. */
export const ExecutionProgress = () => {
  const report = useRecordContext();
  const translate = useTranslate();
  const createPath = useCreatePath();
  if (!report) return null;
  const status = String(report.status);
  const progress = typeof report.progress === 'number' ? report.progress : 0;
  const started = report.changeRequestId !== null && report.changeRequestId !== undefined;
  if (!started && !report.error) return null;
  return (
    <Box sx={{ mt: 2 }} data-testid="execution-progress">
      <Typography variant="subtitle1">{translate('tranche.distributions.execution')}</Typography>
      {started ? (
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
          <LinearProgress
            variant={EXECUTING.includes(status) && progress === 0 ? 'indeterminate' : 'determinate'}
            value={progress}
            sx={{ flex: 1 }}
            aria-label={translate('tranche.distributions.execution')}
          />
          <Typography variant="body2">{`${progress}%`}</Typography>
        </Box>
      ) : null}
      {started ? (
        <Typography variant="body2" sx={{ mt: 1 }}>
          {translate('tranche.distributions.approved_by')}{' '}
          <Link
            to={createPath({ resource: 'changeRequests', type: 'show', id: String(report.changeRequestId) })}
          >
            {String(report.changeRequestId)}
          </Link>
          {report.executedAt ? ` · ${new Date(String(report.executedAt)).toLocaleString()}` : ''}
        </Typography>
      ) : null}
      {report.error ? (
        <Alert severity={status === 'FAILED' ? 'error' : 'warning'} sx={{ mt: 1 }}>
          {String(report.error)}
        </Alert>
      ) : null}
    </Box>
  );
};
