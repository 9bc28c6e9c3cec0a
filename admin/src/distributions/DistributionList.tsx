import {
  AutocompleteInput,
  CreateButton,
  Datagrid,
  DateField,
  List,
  NumberField,
  ReferenceField,
  ReferenceInput,
  SelectInput,
  TextField,
  TopToolbar,
  useCanAccess,
} from 'react-admin';
import { RequireAccess } from '../layout/RequireAccess';
import { payoutStatusChoices } from './choices';
import { PayoutStatusField, PerTokenField, TotalField } from './fields';

const filters = [
  <SelectInput key="status" source="status" choices={payoutStatusChoices} alwaysOn />,
  <ReferenceInput key="dealId" source="dealId" reference="deals" alwaysOn>
    <AutocompleteInput optionText="name" filterToQuery={(q: string) => ({ q })} />
  </ReferenceInput>,
];

const ListActions = () => {
  const { canAccess: canSubmit } = useCanAccess({ resource: 'distributions', action: 'create' });
  return <TopToolbar>{canSubmit ? <CreateButton label="tranche.distributions.submit" /> : null}</TopToolbar>;
};

/**
 * The distribution approval queue: every servicer report newest first, with the plan's card
 * (gross collections, fees and expenses, net distributable, per token, recipients, submitted),
 * filtered by status (on the client: the API filters by deal only) and deal.
 */
export const DistributionList = () => (
  <RequireAccess resource="distributions" action="list">
    <List
      filters={filters}
      actions={<ListActions />}
      perPage={25}
      sort={{ field: 'createdAt', order: 'DESC' }}
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <ReferenceField source="dealId" reference="deals" sortable={false} link={false} />
        <NumberField source="period" sortable={false} />
        <PayoutStatusField label="resources.distributions.fields.status" />
        <TotalField total="grossCollections" label="resources.distributions.fields.grossCollections" />
        <TotalField total="feesAndExpenses" label="resources.distributions.fields.feesAndExpenses" />
        <TotalField total="netDistributable" label="resources.distributions.fields.netDistributable" />
        <PerTokenField label="resources.distributions.fields.perToken" />
        <NumberField source="totals.recipients" emptyText="—" sortable={false} />
        <TextField source="submittedBy" sortable={false} />
        <DateField source="createdAt" showTime sortable={false} />
      </Datagrid>
    </List>
  </RequireAccess>
);
