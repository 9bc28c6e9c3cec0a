import {
  AutocompleteInput,
  CreateButton,
  Datagrid,
  DateField,
  List,
  ReferenceInput,
  SelectField,
  SelectInput,
  TextField,
  TopToolbar,
} from 'react-admin';
import { RequireAccess } from '../layout/RequireAccess';
import { CHANGE_STATUSES, CHANGE_TYPES, RISK_LEVELS } from './choices';
import { RiskField } from './RiskField';

const filters = [
  <SelectInput key="status" source="status" choices={CHANGE_STATUSES} alwaysOn />,
  <SelectInput key="type" source="type" choices={CHANGE_TYPES} />,
  <SelectInput key="riskLevel" source="riskLevel" choices={RISK_LEVELS} />,
  <ReferenceInput key="dealId" source="dealId" reference="deals">
    <AutocompleteInput optionText="name" filterToQuery={(q: string) => ({ q })} />
  </ReferenceInput>,
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
        <RiskField source="riskLevel" sortable={false} />
        <SelectField source="status" choices={CHANGE_STATUSES} sortable={false} />
        <TextField source="requestedBy" sortable={false} />
        <TextField source="approvalCount" sortable={false} />
        <DateField source="createdAt" showTime sortable={false} />
      </Datagrid>
    </List>
  </RequireAccess>
);
