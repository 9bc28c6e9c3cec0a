import {
  Create,
  DateInput,
  SelectInput,
  SimpleForm,
  TextInput,
  maxLength,
  regex,
  required,
} from 'react-admin';
import { minorUnitDigits, toMinorUnits } from '../providers/money';
import { assetClassChoices } from './choices';
import { TranchesInput } from './TranchesInput';
import { RequireAccess } from '../layout/RequireAccess';

interface TrancheFormValues {
  name?: string;
  seniority?: number | string;
  originalBalance?: string;
  couponBps?: number | string;
}

/**
 * Converts the form's major-units balances to the API's integer minor units, exactly (strings and
 * BigInt, see money.ts). Validation has already checked the format and the decimals.
 */
export const toCreatePayload = (data: Record<string, unknown>) => {
  const currency = typeof data.currency === 'string' ? data.currency.trim().toUpperCase() : '';
  const digits = minorUnitDigits(currency || 'EUR');
  const tranches = Array.isArray(data.tranches) ? (data.tranches as TrancheFormValues[]) : [];
  return {
    ...data,
    currency,
    tranches: tranches.map((tranche) => ({
      ...tranche,
      originalBalance: toMinorUnits(String(tranche.originalBalance ?? ''), digits),
    })),
  };
};

const currencyCode = regex(/^[A-Za-z]{3}$/, 'tranche.validation.currency');

/** New deal with its tranches; server-side validation messages land on the matching inputs. */
export const DealCreate = () => (
  <RequireAccess resource="deals" action="create">
    <Create transform={toCreatePayload} redirect="show">
      <SimpleForm defaultValues={{ currency: 'EUR', assetClass: 'RMBS', tranches: [] }}>
        <TextInput source="name" validate={[required(), maxLength(200)]} fullWidth />
        <SelectInput source="assetClass" choices={assetClassChoices} validate={required()} />
        <TextInput source="currency" validate={[required(), currencyCode]} />
        <DateInput source="closingDate" />
        <TranchesInput />
      </SimpleForm>
    </Create>
  </RequireAccess>
);
