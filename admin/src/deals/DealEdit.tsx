import {
  DateInput,
  Edit,
  SaveButton,
  SelectInput,
  SimpleForm,
  TextInput,
  Toolbar,
  required,
} from 'react-admin';
import { statusChoices } from './choices';
import { RequireAccess } from '../layout/RequireAccess';

/** Deals are never deleted (the API has no delete): the toolbar only saves. */
const DealEditToolbar = () => (
  <Toolbar>
    <SaveButton />
  </Toolbar>
);

/**
 * Edits what `UpdateDealInput` allows (name, closing date, status). Pessimistic, so the server's
 * validation errors reach the form instead of being undone after the fact.
 */
export const DealEdit = () => (
  <RequireAccess resource="deals" action="edit">
    <Edit mutationMode="pessimistic" redirect="show">
      <SimpleForm toolbar={<DealEditToolbar />}>
        <TextInput source="name" validate={required()} fullWidth />
        <DateInput source="closingDate" />
        <SelectInput source="status" choices={statusChoices} validate={required()} />
      </SimpleForm>
    </Edit>
  </RequireAccess>
);
