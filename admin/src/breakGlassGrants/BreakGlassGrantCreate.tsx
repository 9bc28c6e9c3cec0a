import {
  Create,
  maxValue,
  minValue,
  NumberInput,
  required,
  SelectInput,
  SimpleForm,
  TextInput,
} from 'react-admin';
import { CAPABILITIES } from '../changeRequests/choices';
import { RequireAccess } from '../layout/RequireAccess';

/** Longest grant the API allows, minutes. */
export const MAX_GRANT_MINUTES = 240;

/**
 * Grants one capability for a few minutes in an emergency. An empty grantee grants it to yourself
 * (a second person then reviews it); only ADMIN may grant to someone else.
 */
export const BreakGlassGrantCreate = () => (
  <RequireAccess resource="breakGlassGrants" action="create">
    <Create redirect="list">
      <SimpleForm defaultValues={{ minutes: 60 }}>
        <TextInput source="grantee" type="email" helperText="tranche.break_glass.grantee_help" />
        <SelectInput source="capability" choices={CAPABILITIES} validate={required()} />
        <TextInput source="reason" validate={required()} multiline fullWidth />
        <NumberInput
          source="minutes"
          step={1}
          validate={[required(), minValue(1), maxValue(MAX_GRANT_MINUTES)]}
          helperText="tranche.break_glass.minutes_help"
        />
      </SimpleForm>
    </Create>
  </RequireAccess>
);
