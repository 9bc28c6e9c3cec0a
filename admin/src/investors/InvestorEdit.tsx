import { Edit, SimpleForm, TextInput } from 'react-admin';
import { RequireAccess } from '../layout/RequireAccess';

/** Tax residencies as the comma-separated text the form edits. */
const joinCountries = (value: unknown) => (Array.isArray(value) ? value.join(', ') : (value ?? ''));

/**
 * The profile compliance keeps: state, tax residencies and the portal user (the OIDC subject who
 * sees this investor's portfolio; empty to unlink). The data provider sends only what changed.
 */
export const InvestorEdit = () => (
  <RequireAccess resource="investors" action="edit">
    <Edit mutationMode="pessimistic" redirect="show">
      <SimpleForm>
        <TextInput source="legalName" disabled />
        <TextInput source="state" helperText="tranche.investors.state_help" />
        <TextInput
          source="taxResidencies"
          format={joinCountries}
          helperText="tranche.investors.tax_help"
          fullWidth
        />
        <TextInput source="portalSubject" helperText="tranche.investors.portal_help" fullWidth />
      </SimpleForm>
    </Edit>
  </RequireAccess>
);
