/**
 * Execute a previewed distribution with an approved `distribution.execute` change request: the
 * deal's approved requests are listed, those approving exactly these payouts first and preselected
 * (the gate refuses any other); the job then funds, publishes and pushes, and the page follows it.
 */
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  Radio,
  RadioGroup,
} from '@mui/material';
import { useState } from 'react';
import { useDataProvider, useGetList, useNotify, useRefresh, useTranslate, type RaRecord } from 'react-admin';
import { approvesPayouts, DISTRIBUTION_EXECUTIONS } from './distributionsQuery';

export const ExecuteDialog = ({ report, onClose }: { report: RaRecord; onClose: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const dataProvider = useDataProvider();
  const [pending, setPending] = useState(false);
  const { data, isPending } = useGetList('changeRequests', {
    filter: { type: 'distribution.execute', dealId: report.dealId, status: 'APPROVED' },
    pagination: { page: 1, perPage: 50 },
    sort: { field: 'createdAt', order: 'DESC' },
  });
  const requests = [...(data ?? [])].sort(
    (a, b) => Number(approvesPayouts(b.payload, report)) - Number(approvesPayouts(a.payload, report)),
  );
  const preferred = requests.find((r) => approvesPayouts(r.payload, report));
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const selected = chosen ?? (preferred === undefined ? undefined : String(preferred.id));
  const e = 'tranche.distributions.execute';

  const execute = async () => {
    if (selected === undefined) return;
    setPending(true);
    try {
      await dataProvider.create(DISTRIBUTION_EXECUTIONS, {
        data: { id: report.id, changeRequestId: selected },
      });
      notify(`${e}.started`, { type: 'info' });
      onClose();
      refresh();
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: 'error' });
    } finally {
      setPending(false);
    }
  };

  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth>
      <DialogTitle>{translate(`${e}.title`)}</DialogTitle>
      <DialogContent>
        {!isPending && requests.length === 0 ? <Alert severity="info">{translate(`${e}.none`)}</Alert> : null}
        <RadioGroup
          value={selected ?? ''}
          onChange={(event) => setChosen(event.target.value)}
          aria-label={translate(`${e}.choose`)}
        >
          {requests.map((r) => (
            <FormControlLabel
              key={String(r.id)}
              value={String(r.id)}
              control={<Radio />}
              label={`${String(r.title)} — ${String(r.requestedBy)}${
                approvesPayouts(r.payload, report) ? '' : ` (${translate(`${e}.other_payouts`)})`
              }`}
            />
          ))}
        </RadioGroup>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
        <Button
          variant="contained"
          disabled={pending || selected === undefined}
          onClick={() => void execute()}
        >
          {translate(`${e}.confirm`)}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
