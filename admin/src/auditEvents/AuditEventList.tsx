import { ExportButton, FilterButton, List, TextInput, TopToolbar } from 'react-admin';
import { RequireAccess } from '../layout/RequireAccess';
import { AuditEventGrid } from './AuditEventGrid';

const auditEventFilters = [
  <TextInput key="aggregateId" source="aggregateId" alwaysOn resettable />,
  <TextInput key="aggregateType" source="aggregateType" />,
  <TextInput key="action" source="action" />,
];

const AuditEventListActions = () => (
  <TopToolbar>
    <FilterButton />
    <ExportButton />
  </TopToolbar>
);

/** Read-only audit log of the tenant, newest first, filterable by aggregate id, type and action. */
export const AuditEventList = () => (
  <RequireAccess resource="auditEvents" action="list">
    <List
      filters={auditEventFilters}
      actions={<AuditEventListActions />}
      perPage={25}
      sort={{ field: 'occurredAt', order: 'DESC' }}
    >
      <AuditEventGrid />
    </List>
  </RequireAccess>
);
