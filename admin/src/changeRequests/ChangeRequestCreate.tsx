import {
  AutocompleteInput,
  Create,
  ReferenceInput,
  required,
  SelectInput,
  SimpleForm,
  TextInput,
} from 'react-admin';
import { RequireAccess } from '../layout/RequireAccess';
import { CHANGE_TYPES } from './choices';

/** The payload must be JSON: it is what the approvals bind to. */
export const validJson = (value: unknown) => {
  if (typeof value !== 'string' || !value.trim()) return 'ra.validation.required';
  try {
    JSON.parse(value);
    return undefined;
  } catch {
    return 'tranche.governance.payload_json';
  }
};

/** Proposes a change; its risk (from the tenant's policy) decides the approvals it needs. */
export const ChangeRequestCreate = () => (
  <RequireAccess resource="changeRequests" action="create">
    <Create redirect="show">
      <SimpleForm defaultValues={{ payload: '{}' }}>
        <SelectInput source="type" choices={CHANGE_TYPES} validate={required()} />
        <ReferenceInput source="dealId" reference="deals" sort={{ field: 'name', order: 'ASC' }}>
          <AutocompleteInput optionText="name" filterToQuery={(q: string) => ({ q })} />
        </ReferenceInput>
        <TextInput source="title" validate={required()} fullWidth />
        <TextInput source="rationale" validate={required()} multiline fullWidth />
        <TextInput
          source="payload"
          validate={validJson}
          multiline
          fullWidth
          helperText="tranche.governance.payload_help"
        />
      </SimpleForm>
    </Create>
  </RequireAccess>
);
