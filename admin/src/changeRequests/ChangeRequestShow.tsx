import {
  ArrayField,
  Datagrid,
  DateField,
  FunctionField,
  NumberField,
  ReferenceField,
  SelectField,
  Show,
  SimpleShowLayout,
  TextField,
  type RaRecord,
} from 'react-admin';
import { RequireAccess } from '../layout/RequireAccess';
import { CHANGE_STATUSES } from './choices';
import { DecisionButtons } from './DecisionButtons';
import { RiskField } from './RiskField';

/** The payload pretty-printed; shown as sent when it is not JSON. */
export const prettyPayload = (payload: unknown) => {
  try {
    return JSON.stringify(JSON.parse(String(payload)), null, 2);
  } catch {
    return String(payload);
  }
};

/** One change request: what would run (payload and hash), its risk, the votes, and the decision buttons. */
export const ChangeRequestShow = () => (
  <RequireAccess resource="changeRequests" action="show">
    <Show>
      <SimpleShowLayout>
        <TextField source="title" />
        <TextField source="type" />
        <RiskField source="riskLevel" />
        <SelectField source="status" choices={CHANGE_STATUSES} />
        <ReferenceField source="dealId" reference="deals" emptyText="—" />
        <TextField source="amount" emptyText="—" />
        <TextField source="rationale" />
        <TextField source="requestedBy" />
        <DateField source="createdAt" showTime />
        <DateField source="expiresAt" showTime emptyText="—" />
        <DateField source="decidedAt" showTime emptyText="—" />
        <DateField source="executedAt" showTime emptyText="—" />
        <TextField source="executedBy" emptyText="—" />
        <TextField source="failureReason" emptyText="—" />
        <NumberField source="policyVersion" />
        <TextField source="payloadHash" sx={{ fontFamily: 'monospace' }} />
        <FunctionField
          source="payload"
          render={(r: RaRecord) => (
            <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{prettyPayload(r.payload)}</pre>
          )}
        />
        <TextField source="approvalCount" />
        <ArrayField source="votes">
          <Datagrid bulkActionButtons={false} rowClick={false} empty={<span>—</span>}>
            <TextField source="actor" />
            <TextField source="vote" />
            <FunctionField
              source="roles"
              render={(r: RaRecord) => (Array.isArray(r.roles) ? r.roles.join(', ') : '')}
            />
            <TextField source="comment" emptyText="—" />
            <DateField source="createdAt" showTime />
          </Datagrid>
        </ArrayField>
        <DecisionButtons />
      </SimpleShowLayout>
    </Show>
  </RequireAccess>
);
