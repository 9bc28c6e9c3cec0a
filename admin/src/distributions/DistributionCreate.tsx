import { Typography } from '@mui/material';
import {
  AutocompleteInput,
  Create,
  ReferenceInput,
  required,
  SimpleForm,
  TextInput,
  useTranslate,
} from 'react-admin';
import { RequireAccess } from '../layout/RequireAccess';
import { OPTIONAL_REPORT_AMOUNTS, REPORT_AMOUNTS } from './distributionsQuery';

const amountHelp = 'tranche.distributions.report.amount_help';

/**
 * Submits a servicer's monthly report as a form of its fields (major units of the deal currency).
 * The server runs it through the deal's waterfall and names any faulty field
 * (`report.poolBalanceEnd` when the pool does not roll forward), shown under its input; nothing is
 * stored then. A corrected report replaces one not yet approved.
 */
export const DistributionCreate = () => {
  const translate = useTranslate();
  return (
    <RequireAccess resource="distributions" action="create">
      <Create redirect="show" title="tranche.distributions.submit">
        <SimpleForm>
          <ReferenceInput source="dealId" reference="deals" sort={{ field: 'name', order: 'ASC' }}>
            <AutocompleteInput
              optionText="name"
              filterToQuery={(q: string) => ({ q })}
              validate={required()}
            />
          </ReferenceInput>
          <TextInput
            source="report.period"
            validate={required()}
            helperText="tranche.distributions.report.period_help"
          />
          {REPORT_AMOUNTS.map((key) => (
            <TextInput key={key} source={`report.${key}`} validate={required()} helperText={amountHelp} />
          ))}
          <Typography variant="subtitle2" sx={{ mt: 2 }}>
            {translate('tranche.distributions.report.optional')}
          </Typography>
          {OPTIONAL_REPORT_AMOUNTS.map((key) => (
            <TextInput key={key} source={`report.${key}`} helperText={amountHelp} />
          ))}
          <TextInput source="report.indexRates" helperText="tranche.distributions.report.index_help" />
        </SimpleForm>
      </Create>
    </RequireAccess>
  );
};
