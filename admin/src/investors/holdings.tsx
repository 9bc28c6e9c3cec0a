/**
 * Fields of a token holding (an investor's holdings, a portfolio's positions, a cap table's rows):
 * the deal and tranche it is of, its balance in the deal's currency and its share of the tranche.
 * The deal is read once per id (react-admin caches it) for its name, tranches and currency.
 */
import { Typography } from '@mui/material';
import { Datagrid, FunctionField, TextField, useGetOne, useRecordContext, useTranslate } from 'react-admin';
import { formatMinorUnits } from '../providers/money';

/** A share of the tranche's tokens in circulation (0 to 1) as a percentage, e.g. `12.5%`. */
export const formatShare = (share: unknown): string =>
  typeof share === 'number' && Number.isFinite(share)
    ? new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 4 }).format(share)
    : '—';

/** Token units (an integer string) grouped for reading, e.g. `1,500,000`; anything else as is. */
export const formatTokenUnits = (units: unknown): string => {
  const text = String(units ?? '');
  return /^\d+$/.test(text) ? BigInt(text).toLocaleString('en') : text;
};

const useDealOfHolding = () => {
  const holding = useRecordContext();
  const dealId = typeof holding?.dealId === 'string' ? holding.dealId : '';
  const { data: deal } = useGetOne('deals', { id: dealId }, { enabled: dealId !== '' });
  return { holding, deal };
};

/** "Deal name · tranche name" of the holding in the record context (ids until the deal is read). */
export const DealTrancheField = (_props: { label?: string }) => {
  const { holding, deal } = useDealOfHolding();
  if (!holding) return null;
  const tranches: unknown = deal?.tranches;
  const tranche = Array.isArray(tranches)
    ? (tranches as { id: string; name: string }[]).find((t) => t.id === holding.trancheId)
    : undefined;
  return (
    <Typography component="span" variant="body2">
      {`${String(deal?.name ?? holding.dealId)} · ${String(tranche?.name ?? holding.trancheId)}`}
    </Typography>
  );
};

/**
 * The holding's balance: token units are minor units of the deal's currency, so it reads as money
 * once the deal is known (`currency` when the caller knows it already, e.g. a deal's cap table).
 */
export const HoldingBalanceField = ({ currency }: { label?: string; currency?: string }) => {
  const { holding, deal } = useDealOfHolding();
  if (!holding) return null;
  const code = currency ?? (typeof deal?.currency === 'string' ? deal.currency : undefined);
  const balance = String(holding.balance ?? '');
  return (
    <Typography component="span" variant="body2" sx={{ fontVariantNumeric: 'tabular-nums' }}>
      {code === undefined ? formatTokenUnits(balance) : formatMinorUnits(balance, code)}
    </Typography>
  );
};

/** The holdings in the list context (e.g. an ArrayField of holdings or positions). */
export const HoldingsGrid = ({ empty }: { empty: string }) => {
  const translate = useTranslate();
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
    </Datagrid>
  );
};
