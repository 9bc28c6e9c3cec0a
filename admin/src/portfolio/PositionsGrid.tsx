/**
 * The investor's positions: the holding's deal and tranche, token, balance and share (as for any
 * holding), and what distributions have made of it: the tranche's factor (balance after the last
 * paid period over the original), the position's current value (balance × factor, deal currency)
 * and the stablecoin the chain has paid it so far.
 */
import { Typography } from '@mui/material';
import { Datagrid, FunctionField, TextField, useGetOne, useRecordContext, useTranslate } from 'react-admin';
import { formatStablecoin } from '../distributions/amounts';
import { DealTrancheField, formatShare, formatTokenUnits, HoldingBalanceField } from '../investors/holdings';
import { formatMinorUnits } from '../providers/money';

/** A tranche factor (1 before any principal is paid) with up to 6 decimals, e.g. `0.955`. */
export const formatFactor = (factor: unknown): string =>
  typeof factor === 'number' && Number.isFinite(factor)
    ? new Intl.NumberFormat('en', { minimumFractionDigits: 4, maximumFractionDigits: 6 }).format(factor)
    : '—';

const num = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

/** The position's current value in its deal's currency (token units until the deal is read). */
const CurrentValueField = (_props: { label?: string }) => {
  const position = useRecordContext();
  const dealId = typeof position?.dealId === 'string' ? position.dealId : '';
  const { data: deal } = useGetOne('deals', { id: dealId }, { enabled: dealId !== '' });
  if (!position) return null;
  const value = String(position.currentValue ?? '');
  return (
    <Typography component="span" variant="body2" sx={num}>
      {typeof deal?.currency === 'string' ? formatMinorUnits(value, deal.currency) : formatTokenUnits(value)}
    </Typography>
  );
};

export const PositionsGrid = ({ empty }: { empty: string }) => {
  const translate = useTranslate();
  const p = 'tranche.portfolio.fields';
  return (
    <Datagrid
      bulkActionButtons={false}
      rowClick={false}
      empty={<Typography variant="body2">{translate(empty)}</Typography>}
    >
      <DealTrancheField label="tranche.investors.holdings.tranche" />
      <TextField source="token" label="tranche.investors.holdings.token" sx={{ fontFamily: 'monospace' }} />
      <HoldingBalanceField label="tranche.investors.holdings.balance" />
      <FunctionField
        label="tranche.investors.holdings.share"
        textAlign="right"
        render={(h: { share?: unknown }) => formatShare(h.share)}
      />
      <FunctionField
        label={`${p}.factor`}
        textAlign="right"
        render={(h: { factor?: unknown }) => formatFactor(h.factor)}
      />
      <CurrentValueField label={`${p}.currentValue`} />
      <FunctionField
        label={`${p}.distributionsReceived`}
        textAlign="right"
        render={(h: { distributionsReceived?: unknown }) =>
          h.distributionsReceived === undefined || h.distributionsReceived === null
            ? '—'
            : formatStablecoin(h.distributionsReceived)
        }
      />
    </Datagrid>
  );
};
