import { CreateButton, Datagrid, DateField, List, SelectField, TextField, TopToolbar } from 'react-admin';
import { RequireAccess } from '../layout/RequireAccess';
import { AccreditationBadge, KycBadge, SanctionsBadge } from './badges';
import { kindChoices } from './choices';

const InvestorListActions = () => (
  <TopToolbar>
    <CreateButton />
  </TopToolbar>
);

/** The tenant's investors with their KYC, accreditation and sanctions badges, paged by the server. */
export const InvestorList = () => (
  <RequireAccess resource="investors" action="list">
    <List actions={<InvestorListActions />} perPage={25}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="legalName" sortable={false} />
        <SelectField source="kind" choices={kindChoices} sortable={false} />
        <TextField source="jurisdiction" sortable={false} />
        <KycBadge label="resources.investors.fields.kycStatus" sortable={false} />
        <AccreditationBadge label="resources.investors.fields.accreditation" sortable={false} />
        <SanctionsBadge label="resources.investors.fields.sanctionsStatus" sortable={false} />
        <DateField source="createdAt" sortable={false} />
      </Datagrid>
    </List>
  </RequireAccess>
);
