import {
  ArrayInput,
  NumberInput,
  SimpleFormIterator,
  maxLength,
  maxValue,
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

/**
 * Tranche rows of a new deal: name, seniority (1 = most senior), balance, coupon in bps. The limits
 * mirror the API's (at most 30 tranches, seniority 1-99, coupon 0-10,000 bps); rules that need the
 * whole deal, such as unique seniorities, are the server's and come back as field errors.
 */
export const TranchesInput = () => (
  <ArrayInput source="tranches" validate={[trancheListRequired, minLength(1), maxLength(30)]}>
    <SimpleFormIterator inline disableReordering>
      <TextInput source="name" validate={[required(), maxLength(64)]} />
      <NumberInput source="seniority" validate={[required(), integer, minValue(1), maxValue(99)]} step={1} />
      <TextInput
        source="originalBalance"
        validate={[required(), majorAmount]}
        helperText="tranche.deals.balance_help"
      />
      <NumberInput
        source="couponBps"
        validate={[required(), integer, minValue(0), maxValue(10_000)]}
        step={1}
        helperText="tranche.deals.coupon_help"
      />
    </SimpleFormIterator>
  </ArrayInput>
);
