import {
  ArrayField,
  DateField,
  EditButton,
  NumberField,
  Pagination,
  ReferenceManyField,
  SelectField,
  Show,
  TabbedShowLayout,
  TextField,
  TopToolbar,
  useCanAccess,
} from 'react-admin';
import { AuditEventGrid } from '../auditEvents/AuditEventGrid';
import { assetClassChoices, statusChoices } from './choices';
import { MoneyField } from './MoneyField';
import { TrancheGrid } from './TrancheGrid';

const DealShowActions = () => (
  <TopToolbar>
    <EditButton />
  </TopToolbar>
);

/** One deal: summary, its tranches and, for roles that may read it, its audit trail. */
export const DealShow = () => {
  const { canAccess: canReadAudit } = useCanAccess({ resource: 'auditEvents', action: 'list' });
  return (
    <Show actions={<DealShowActions />}>
      <TabbedShowLayout>
        <TabbedShowLayout.Tab label="tranche.deals.tabs.summary">
          <TextField source="id" />
          <TextField source="name" />
          <SelectField source="assetClass" choices={assetClassChoices} />
          <SelectField source="status" choices={statusChoices} />
          <TextField source="currency" />
          <TextField source="closingDate" emptyText="—" />
          <MoneyField source="originalBalance" />
          <NumberField source="investorCount" />
          <DateField source="createdAt" showTime />
          <DateField source="updatedAt" showTime />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="tranche.deals.tabs.tranches" path="tranches">
          <ArrayField source="tranches" label={false}>
            <TrancheGrid />
          </ArrayField>
        </TabbedShowLayout.Tab>
        {canReadAudit ? (
          <TabbedShowLayout.Tab label="tranche.deals.tabs.audit" path="audit">
            <ReferenceManyField
              reference="auditEvents"
              target="aggregateId"
              label={false}
              pagination={<Pagination />}
              perPage={10}
            >
              <AuditEventGrid />
            </ReferenceManyField>
          </TabbedShowLayout.Tab>
        ) : null}
      </TabbedShowLayout>
    </Show>
  );
};
