import { Datagrid, NumberField, TextField, useRecordContext } from 'react-admin';
import { MoneyField } from './MoneyField';

/** Tranches of the deal in the record context, most senior first as the API returns them. */
export const TrancheGrid = () => {
  const deal = useRecordContext();
  const currency = typeof deal?.currency === 'string' ? deal.currency : undefined;
  return (
    <Datagrid bulkActionButtons={false} rowClick={false} empty={<span />}>
      <TextField source="name" label="resources.deals.fields.tranches.name" />
      <NumberField source="seniority" label="resources.deals.fields.tranches.seniority" />
      <MoneyField
        source="originalBalance"
        currency={currency}
        label="resources.deals.fields.tranches.originalBalance"
        textAlign="right"
      />
      <NumberField source="couponBps" label="resources.deals.fields.tranches.couponBps" />
    </Datagrid>
  );
};
