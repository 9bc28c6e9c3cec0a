import { Create, FormDataConsumer, required, SelectInput, SimpleForm, TextInput } from 'react-admin';
import { CAPABILITIES } from '../changeRequests/choices';
import { RequireAccess } from '../layout/RequireAccess';

const SCOPES = ['GLOBAL', 'DEAL', 'CAPABILITY'].map((id) => ({ id, name: `tranche.governance.scope.${id}` }));

/** Pulls a kill switch: effective at once in every service, no approval (ADMIN, COMPLIANCE). */
export const KillSwitchCreate = () => (
  <RequireAccess resource="killSwitches" action="create">
    <Create redirect="list">
      <SimpleForm defaultValues={{ scope: 'GLOBAL' }}>
        <SelectInput source="scope" choices={SCOPES} validate={required()} />
        <FormDataConsumer>
          {({ formData }) =>
            formData.scope === 'CAPABILITY' ? (
              <SelectInput source="target" choices={CAPABILITIES} validate={required()} />
            ) : formData.scope === 'DEAL' ? (
              <TextInput source="target" label="resources.killSwitches.fields.dealId" validate={required()} />
            ) : null
          }
        </FormDataConsumer>
        <TextInput source="reason" validate={required()} multiline fullWidth />
      </SimpleForm>
    </Create>
  </RequireAccess>
);
