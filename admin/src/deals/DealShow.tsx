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
import { CashFlowTab } from '../distributions/CashFlowTab';
import { IssuanceTab } from '../issuance/IssuanceTab';
import { LoanTapeTab } from '../loanTapes/LoanTapeTab';
import { RequireAccess } from '../layout/RequireAccess';
import { StructuringTab } from '../structuring/StructuringTab';
import { CapTables } from './CapTables';
import { assetClassChoices, statusChoices } from './choices';
import { MoneyField } from './MoneyField';
import { TrancheGrid } from './TrancheGrid';

const DealShowActions = () => (
  <TopToolbar>
    <EditButton />
  </TopToolbar>
);

/** Summary, tranches and, for roles that may read them, the cap tables, issuance, tape and audit trail. */
const DealShowPage = () => {
  const { canAccess: canReadAudit } = useCanAccess({ resource: 'auditEvents', action: 'list' });
  const { canAccess: canReadTapes } = useCanAccess({ resource: 'loanTapes', action: 'read' });
  const { canAccess: canReadHolders } = useCanAccess({ resource: 'investors', action: 'read' });
  const { canAccess: canReadDistributions } = useCanAccess({ resource: 'distributions', action: 'read' });
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
        {canReadHolders ? (
          <TabbedShowLayout.Tab label="tranche.investors.cap_table.tab" path="cap-table">
            <CapTables />
          </TabbedShowLayout.Tab>
        ) : null}
        {canReadTapes ? (
          <TabbedShowLayout.Tab label="tranche.issuance.tab" path="issuance">
            <IssuanceTab />
          </TabbedShowLayout.Tab>
        ) : null}
        {canReadTapes ? (
          <TabbedShowLayout.Tab label="tranche.loan_tapes.tab" path="tape">
            <LoanTapeTab />
          </TabbedShowLayout.Tab>
        ) : null}
        {canReadDistributions ? (
          <TabbedShowLayout.Tab label="tranche.distributions.cash_flows.tab" path="cash-flows">
            <CashFlowTab />
          </TabbedShowLayout.Tab>
        ) : null}
        {canReadDistributions ? (
          <TabbedShowLayout.Tab label="tranche.structuring.tab" path="structuring">
            <StructuringTab />
          </TabbedShowLayout.Tab>
        ) : null}
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

/** One deal, for roles that may read deals. */
export const DealShow = () => (
  <RequireAccess resource="deals" action="show">
    <DealShowPage />
  </RequireAccess>
);
