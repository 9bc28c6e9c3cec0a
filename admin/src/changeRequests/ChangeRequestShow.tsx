import {
  ArrayField,
  ChipField,
  Datagrid,
  DateField,
  FunctionField,
  Show,
  SimpleShowLayout,
  TextField,
  type RaRecord,
} from 'react-admin';
import { RequireAccess } from '../layout/RequireAccess';
import { DecisionButtons } from './DecisionButtons';

const prettyPayload = (record: RaRecord) => {
  try {
    return JSON.stringify(JSON.parse(String(record.payload)), null, 2);
  } catch {
    return String(record.payload);
  }
};

/** One change request: what would run (payload and hash), its risk, the votes, and the decision buttons. */
export const ChangeRequestShow = () => (
  <RequireAccess resource="changeRequests" action="show">
    <Show>
      <SimpleShowLayout>
        <TextField source="title" />
        <TextField source="type" />
        <ChipField source="riskLevel" />
        <TextField source="status" />
        <TextField source="rationale" />
        <TextField source="requestedBy" />
        <DateField source="createdAt" showTime />
        <DateField source="expiresAt" showTime emptyText="—" />
        <TextField source="payloadHash" />
        <FunctionField
          source="payload"
          render={(r: RaRecord) => <pre style={{ margin: 0 }}>{prettyPayload(r)}</pre>}
        />
        <ArrayField source="votes">
          <Datagrid bulkActionButtons={false} rowClick={false}>
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
