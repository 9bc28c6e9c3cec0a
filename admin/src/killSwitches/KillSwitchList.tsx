import { Button } from '@mui/material';
import {
  BooleanInput,
  CreateButton,
  Datagrid,
  DateField,
  FunctionField,
  List,
  TextField,
  TopToolbar,
  useCreate,
  useNotify,
  useRedirect,
  useTranslate,
  type RaRecord,
} from 'react-admin';
import { RequireAccess } from '../layout/RequireAccess';

/**
 * The change request that lifts `record`: `killswitch.deactivate.global` (CRITICAL risk) for a
 * GLOBAL switch, `killswitch.deactivate` otherwise, with the switch id as its payload.
 */
export const liftRequestFor = (record: RaRecord, translate: (key: string, args?: object) => string) => ({
  type: record.scope === 'GLOBAL' ? 'killswitch.deactivate.global' : 'killswitch.deactivate',
  dealId: record.scope === 'DEAL' ? record.target : null,
  title: translate('tranche.governance.lift_title', {
    scope: record.scope,
    target: record.target ? ` ${String(record.target)}` : '',
  }),
  rationale: translate('tranche.governance.lift_rationale', { reason: record.reason }),
  payload: JSON.stringify({ killSwitchId: record.id }),
});

/** Creates the change request that lifts `record` and opens it. */
const RequestLiftButton = ({ record }: { record: RaRecord }) => {
  const [create, { isPending }] = useCreate();
  const notify = useNotify();
  const redirect = useRedirect();
  const translate = useTranslate();
  if (!record.active) return null;
  const lift = () =>
    create(
      'changeRequests',
      {
        data: liftRequestFor(record, translate),
      },
      {
        onSuccess: (created) => redirect('show', 'changeRequests', created.id),
        onError: (error) => notify(error instanceof Error ? error.message : String(error), { type: 'error' }),
      },
    );
  return (
    <Button size="small" disabled={isPending} onClick={lift}>
      {translate('tranche.governance.request_lift')}
    </Button>
  );
};

/** Where the switch's on-chain pauses stand (QUEUED, PAUSING, PAUSED, NOT_APPLICABLE, NO_CHAIN, FAILED). */
const OnChainStatus = ({ status }: { status: string }) => {
  const translate = useTranslate();
  return <span>{status ? translate(`tranche.governance.on_chain.${status}`, { _: status }) : '—'}</span>;
};

/** The kill-switch console: active switches (or all), pulling one, and requesting a lift. */
export const KillSwitchList = () => (
  <RequireAccess resource="killSwitches" action="list">
    <List
      filters={[<BooleanInput key="all" source="all" alwaysOn />]}
      actions={
        <TopToolbar>
          <CreateButton label="tranche.governance.activate" />
        </TopToolbar>
      }
      perPage={25}
      sort={{ field: 'activatedAt', order: 'DESC' }}
    >
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <TextField source="scope" sortable={false} />
        <TextField source="target" emptyText="—" sortable={false} />
        <TextField source="reason" sortable={false} />
        <TextField source="activatedBy" sortable={false} />
        <DateField source="activatedAt" showTime sortable={false} />
        <FunctionField
          source="onChainStatus"
          sortable={false}
          render={(record: RaRecord) => <OnChainStatus status={String(record.onChainStatus ?? '')} />}
        />
        <DateField source="deactivatedAt" showTime emptyText="—" sortable={false} />
        <TextField source="deactivatedBy" emptyText="—" sortable={false} />
        <FunctionField render={(record: RaRecord) => <RequestLiftButton record={record} />} />
      </Datagrid>
    </List>
  </RequireAccess>
);
