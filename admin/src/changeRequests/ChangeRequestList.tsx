import {
  ChipField,
  CreateButton,
  Datagrid,
  DateField,
  List,
  SelectInput,
  TextField,
  TopToolbar,
} from 'react-admin';
import { RequireAccess } from '../layout/RequireAccess';
import { CHANGE_STATUSES, CHANGE_TYPES } from './choices';

const filters = [
  <SelectInput key="status" source="status" choices={CHANGE_STATUSES} alwaysOn />,
  <SelectInput key="type" source="type" choices={CHANGE_TYPES} />,
];

/** The approval queue: the tenant's change requests, pending ones first by default. */
export const ChangeRequestList = () => (
  <RequireAccess resource="changeRequests" action="list">
    <List
      filters={filters}
      filterDefaultValues={{ status: 'PENDING' }}
      actions={
        <TopToolbar>
          <CreateButton />
        </TopToolbar>
      }
      perPage={25}
      sort={{ field: 'createdAt', order: 'DESC' }}
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="title" sortable={false} />
        <TextField source="type" sortable={false} />
        <ChipField source="riskLevel" sortable={false} />
        <TextField source="status" sortable={false} />
        <TextField source="requestedBy" sortable={false} />
        <TextField source="approvalCount" sortable={false} />
        <DateField source="createdAt" showTime sortable={false} />
      </Datagrid>
    </List>
  </RequireAccess>
);
