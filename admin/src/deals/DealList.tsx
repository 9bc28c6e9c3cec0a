import {
  BulkUpdateButton,
  CreateButton,
  Datagrid,
  DateField,
  ExportButton,
  FilterButton,
  List,
  NumberField,
  SearchInput,
  SelectField,
  SelectInput,
  TextField,
  TopToolbar,
  useCanAccess,
} from 'react-admin';
import { RequireAccess } from '../layout/RequireAccess';
import { assetClassChoices, statusChoices } from './choices';
import { MoneyField } from './MoneyField';

const dealFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="status" source="status" choices={statusChoices} />,
  <SelectInput key="assetClass" source="assetClass" choices={assetClassChoices} />,
];

const DealListActions = () => (
  <TopToolbar>
    <FilterButton />
    <CreateButton />
    <ExportButton />
  </TopToolbar>
);

/** Bulk "matured" runs updateMany (a loop over updateDeal); there is no bulk delete, the API has none. */
const DealBulkActions = () => {
  const { canAccess } = useCanAccess({ resource: 'deals', action: 'edit' });
  return canAccess ? (
    <BulkUpdateButton
      data={{ status: 'MATURED' }}
      label="tranche.deals.close_selected"
      mutationMode="pessimistic"
    />
  ) : null;
};

/** Deals of the user's tenant, sorted and paged by the server (newest first by default). */
export const DealList = () => (
  <RequireAccess resource="deals" action="list">
    <List
      filters={dealFilters}
      actions={<DealListActions />}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
    >
      <Datagrid rowClick="show" bulkActionButtons={<DealBulkActions />}>
        <TextField source="name" />
        <SelectField source="assetClass" choices={assetClassChoices} />
        <SelectField source="status" choices={statusChoices} />
        <TextField source="currency" sortable={false} />
        <TextField source="closingDate" />
        <MoneyField source="originalBalance" textAlign="right" />
        <NumberField source="investorCount" sortable={false} />
        <DateField source="createdAt" showTime />
      </Datagrid>
    </List>
  </RequireAccess>
);
