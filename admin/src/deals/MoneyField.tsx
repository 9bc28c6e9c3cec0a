import { useRecordContext, type FieldProps } from 'react-admin';
import { Typography } from '@mui/material';
import { formatMinorUnits } from '../providers/money';

interface MoneyFieldProps extends FieldProps {
  source: string;
  /** Currency of the amount when the record itself has no `currency` (e.g. a tranche row). */
  currency?: string;
}

/** Shows an integer minor-units string as an exact currency amount (no float conversion). */
export const MoneyField = ({ source, currency }: MoneyFieldProps) => {
  const record = useRecordContext();
  const value: unknown = record?.[source];
  const code = currency ?? (typeof record?.currency === 'string' ? record.currency : 'EUR');
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  return (
    <Typography component="span" variant="body2" sx={{ fontVariantNumeric: 'tabular-nums' }}>
      {formatMinorUnits(String(value), code)}
    </Typography>
  );
};
