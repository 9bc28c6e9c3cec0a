import {
  BooleanField,
  BooleanInput,
  CreateButton,
  Datagrid,
  DateField,
  FunctionField,
  List,
  TextField,
  TopToolbar,
  type RaRecord,
} from 'react-admin';
import { RequireAccess } from '../layout/RequireAccess';
import { ReviewButton } from './ReviewButton';

/** Break-glass grants, newest first (or only the ones still in force), with their review. */
export const BreakGlassGrantList = () => (
  <RequireAccess resource="breakGlassGrants" action="list">
    <List
      filters={[<BooleanInput key="active" source="active" alwaysOn />]}
      actions={
        <TopToolbar>
          <CreateButton label="tranche.break_glass.grant" />
        </TopToolbar>
      }
      perPage={25}
      sort={{ field: 'grantedAt', order: 'DESC' }}
    >
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <TextField source="grantee" sortable={false} />
        <TextField source="capability" sortable={false} />
        <TextField source="reason" sortable={false} />
        <TextField source="grantedBy" sortable={false} />
        <BooleanField source="selfGranted" sortable={false} />
        <DateField source="grantedAt" showTime sortable={false} />
        <DateField source="expiresAt" showTime sortable={false} />
        <TextField source="reviewedBy" emptyText="—" sortable={false} />
        <TextField source="reviewComment" emptyText="—" sortable={false} />
        <FunctionField render={(record: RaRecord) => <ReviewButton record={record} />} />
      </Datagrid>
    </List>
  </RequireAccess>
);
