import {
  AutocompleteInput,
  Create,
  FormDataConsumer,
  ReferenceInput,
  required,
  SelectInput,
  SimpleForm,
  TextInput,
} from 'react-admin';
import { SWITCHABLE_CAPABILITIES } from '../changeRequests/choices';
import { RequireAccess } from '../layout/RequireAccess';

const SCOPES = ['GLOBAL', 'DEAL', 'CAPABILITY'].map((id) => ({ id, name: `tranche.governance.scope.${id}` }));

/** Searches deals by name as the user types (the API's `q` filter). */
const dealSearch = (q: string) => ({ q });

/**
 * The target input of a scope: a deal picker, a capability, or nothing for a GLOBAL switch. Each
 * has its own source so switching scope never sends the other scope's target.
 */
const TargetInput = ({ scope }: { scope: unknown }) => {
  if (scope === 'CAPABILITY')
    return <SelectInput source="capability" choices={SWITCHABLE_CAPABILITIES} validate={required()} />;
  if (scope === 'DEAL')
    return (
      <ReferenceInput source="dealId" reference="deals" sort={{ field: 'name', order: 'ASC' }}>
        <AutocompleteInput
          label="resources.killSwitches.fields.deal"
          optionText="name"
          filterToQuery={dealSearch}
          validate={required()}
        />
      </ReferenceInput>
    );
  return null;
};

/** Pulls a kill switch: effective at once in every service, no approval (ADMIN, COMPLIANCE). */
export const KillSwitchCreate = () => (
  <RequireAccess resource="killSwitches" action="create">
    <Create redirect="list">
      <SimpleForm defaultValues={{ scope: 'GLOBAL' }}>
        <SelectInput source="scope" choices={SCOPES} validate={required()} />
        <FormDataConsumer>{({ formData }) => <TargetInput scope={formData.scope} />}</FormDataConsumer>
        <TextInput source="reason" validate={required()} multiline fullWidth />
      </SimpleForm>
    </Create>
  </RequireAccess>
);
