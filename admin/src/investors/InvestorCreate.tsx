import {
  AutocompleteArrayInput,
  Create,
  ReferenceArrayInput,
  regex,
  required,
  SelectInput,
  SimpleForm,
  TextInput,
} from 'react-admin';
import { RequireAccess } from '../layout/RequireAccess';
import { kindChoices } from './choices';

/** Searches deals by name as the user types (the API's `q` filter). */
const dealSearch = (q: string) => ({ q });

const COUNTRY = [required(), regex(/^\s*[A-Za-z]{2}\s*$/, 'tranche.investors.country_code')];

/** Onboards an investor (KYC pending) and opens its page to start KYC (COMPLIANCE, ADMIN). */
export const InvestorCreate = () => (
  <RequireAccess resource="investors" action="create">
    <Create redirect="show">
      <SimpleForm defaultValues={{ kind: 'ENTITY' }}>
        <TextInput source="legalName" validate={required()} fullWidth />
        <SelectInput source="kind" choices={kindChoices} validate={required()} />
        <TextInput
          source="jurisdiction"
          validate={COUNTRY}
          helperText="tranche.investors.jurisdiction_help"
        />
        <ReferenceArrayInput source="dealIds" reference="deals" sort={{ field: 'name', order: 'ASC' }}>
          <AutocompleteArrayInput
            label="resources.investors.fields.dealIds"
            optionText="name"
            filterToQuery={dealSearch}
          />
        </ReferenceArrayInput>
      </SimpleForm>
    </Create>
  </RequireAccess>
);
