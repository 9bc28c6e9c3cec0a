import {
  ArrayInput,
  NumberInput,
  SimpleFormIterator,
  TextInput,
  minLength,
  minValue,
  required,
  type Validator,
} from 'react-admin';
import { majorAmountProblem, minorUnitDigits } from '../providers/money';

const integer: Validator = (value: unknown) =>
  value === null || value === undefined || value === '' || Number.isInteger(Number(value))
    ? undefined
    : 'tranche.validation.integer';

/** The balance is typed in major units of the deal's currency; the form's currency sets the decimals. */
const majorAmount: Validator = (value: unknown, allValues: Record<string, unknown>) => {
  if (value === null || value === undefined || value === '') return undefined;
  const currency = typeof allValues.currency === 'string' ? allValues.currency : 'EUR';
  return majorAmountProblem(String(value), minorUnitDigits(currency));
};

const trancheListRequired: Validator = (value: unknown) =>
  Array.isArray(value) && value.length > 0 ? undefined : 'tranche.validation.tranches_required';

/** Tranche rows of a new deal: name, seniority (1 = most senior), balance, coupon in bps. */
export const TranchesInput = () => (
  <ArrayInput source="tranches" validate={[trancheListRequired, minLength(1)]}>
    <SimpleFormIterator inline disableReordering>
      <TextInput source="name" validate={required()} />
      <NumberInput source="seniority" validate={[required(), integer, minValue(1)]} step={1} />
      <TextInput
        source="originalBalance"
        validate={[required(), majorAmount]}
        helperText="tranche.deals.balance_help"
      />
      <NumberInput
        source="couponBps"
        validate={[required(), integer, minValue(0)]}
        step={1}
        helperText="tranche.deals.coupon_help"
      />
    </SimpleFormIterator>
  </ArrayInput>
);
