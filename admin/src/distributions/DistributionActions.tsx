/**
 * What a servicer (or an admin) does with a report, in order: preview the payouts at a record
 * block (the chain's latest when empty), request approval (the change-request form prefilled with
 * the payload the gate checks), execute with the approved request; and reconcile again once
 * executed (also compliance and auditors). Each button shows only in the statuses it applies to.
 */
import { Button, Stack, TextField as MuiTextField } from '@mui/material';
import { useState } from 'react';
import {
  useCanAccess,
  useCreatePath,
  useDataProvider,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { useNavigate } from 'react-router-dom';
import { PREVIEWABLE, RECONCILABLE } from './choices';
import {
  DISTRIBUTION_PREVIEWS,
  DISTRIBUTION_RECONCILIATIONS,
  executionPayloadOf,
  toRecordBlock,
} from './distributionsQuery';
import { ExecuteDialog } from './ExecuteDialog';
import { useDealOf } from './fields';

export const DistributionActions = () => {
  const report = useRecordContext();
  const deal = useDealOf(report);
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const navigate = useNavigate();
  const createPath = useCreatePath();
  const dataProvider = useDataProvider();
  const { canAccess: canAct } = useCanAccess({ resource: 'distributions', action: 'create' });
  const { canAccess: canReconcile } = useCanAccess({ resource: 'distributions', action: 'reconcile' });
  const [recordBlock, setRecordBlock] = useState('');
  const [pending, setPending] = useState(false);
  const [executing, setExecuting] = useState(false);
  if (!report) return null;
  const status = String(report.status);
  const a = 'tranche.distributions.actions';

  const run = async (resource: string, data: Record<string, unknown>, done: string) => {
    setPending(true);
    try {
      await dataProvider.create(resource, { data });
      notify(done, { type: 'info' });
      refresh();
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: 'error' });
    } finally {
      setPending(false);
    }
  };
  const payload = executionPayloadOf(report);
  const requestApproval = () =>
    navigate(createPath({ resource: 'changeRequests', type: 'create' }), {
      state: {
        record: {
          type: 'distribution.execute',
          dealId: report.dealId,
          title: translate(`${a}.approval_title`, {
            deal: String(deal?.name ?? report.dealId),
            period: String(report.period),
          }),
          rationale: translate(`${a}.approval_rationale`, {
            period: String(report.period),
            block: String(report.recordBlock),
          }),
          payload: JSON.stringify(payload, null, 2),
        },
      },
    });

  return (
    <Stack direction="row" spacing={1} sx={{ my: 2, alignItems: 'center', flexWrap: 'wrap' }}>
      {canAct && PREVIEWABLE.includes(status) ? (
        <>
          <MuiTextField
            size="small"
            fullWidth={false}
            label={translate(`${a}.record_block`)}
            value={recordBlock}
            onChange={(event) => setRecordBlock(event.target.value)}
            helperText={translate(`${a}.record_block_help`)}
          />
          <Button
            variant="outlined"
            disabled={pending || (recordBlock.trim() !== '' && toRecordBlock(recordBlock) === undefined)}
            onClick={() =>
              void run(
                DISTRIBUTION_PREVIEWS,
                { dealId: report.dealId, period: report.period, recordBlock },
                `${a}.previewed`,
              )
            }
          >
            {translate(`${a}.preview`)}
          </Button>
        </>
      ) : null}
      {canAct && status === 'PENDING' && payload !== undefined ? (
        <>
          <Button variant="outlined" disabled={pending} onClick={requestApproval}>
            {translate(`${a}.request_approval`)}
          </Button>
          <Button variant="contained" disabled={pending} onClick={() => setExecuting(true)}>
            {translate(`${a}.execute`)}
          </Button>
        </>
      ) : null}
      {canReconcile && RECONCILABLE.includes(status) ? (
        <Button
          variant="outlined"
          disabled={pending}
          onClick={() => void run(DISTRIBUTION_RECONCILIATIONS, { id: report.id }, `${a}.reconciled`)}
        >
          {translate(`${a}.reconcile`)}
        </Button>
      ) : null}
      {executing ? <ExecuteDialog report={report} onClose={() => setExecuting(false)} /> : null}
    </Stack>
  );
};
