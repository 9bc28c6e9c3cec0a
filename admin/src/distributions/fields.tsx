/**
 * Fields shared by the distribution pages: the status chip, amounts in the deal's currency (read
 * once per deal, aggregated across rows) and the per-token line of the approval card.
 */
import { Chip, Typography } from '@mui/material';
import { useGetManyAggregate, useRecordContext, useTranslate, type RaRecord } from 'react-admin';
import { formatMajor, formatMinor } from './amounts';
import { PAYOUT_STATUS_TONE } from './choices';

/** The deal of the report in the record context (name, currency, tranches), once read. */
export const useDealOf = (report: RaRecord | undefined) => {
  const dealId = typeof report?.dealId === 'string' ? report.dealId : '';
  const { data } = useGetManyAggregate('deals', { ids: [dealId] }, { enabled: dealId !== '' });
  return data?.[0];
};

/** The currency of the report's deal; USD until the deal is read. */
export const useCurrencyOf = (report: RaRecord | undefined): string => {
  const deal = useDealOf(report);
  return typeof deal?.currency === 'string' ? deal.currency : 'USD';
};

const amountSx = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

/** The report's status as a coloured chip. */
export const PayoutStatusField = (_props: { label?: string; sortable?: boolean }) => {
  const report = useRecordContext();
  const translate = useTranslate();
  if (!report) return null;
  const status = String(report.status);
  return (
    <Chip
      size="small"
      label={translate(`tranche.distributions.status.${status}`, { _: status })}
      color={PAYOUT_STATUS_TONE[status] ?? 'default'}
      data-testid="distribution-status"
    />
  );
};

/** One figure of the approval card (`totals.<key>`, major units of the deal currency). */
export const TotalField = ({
  total,
}: {
  total: 'grossCollections' | 'feesAndExpenses' | 'netDistributable';
  label?: string;
  sortable?: boolean;
}) => {
  const report = useRecordContext();
  const currency = useCurrencyOf(report);
  const totals = report?.totals as Record<string, unknown> | null | undefined;
  return (
    <Typography component="span" variant="body2" sx={amountSx}>
      {formatMajor(totals?.[total], currency)}
    </Typography>
  );
};

/** The card's "per token" line: each tranche token's class cash, e.g. `A $3,583,333.33`. */
export const PerTokenField = (_props: { label?: string; sortable?: boolean }) => {
  const report = useRecordContext();
  const currency = useCurrencyOf(report);
  const payouts = Array.isArray(report?.payouts) ? (report.payouts as Record<string, unknown>[]) : [];
  if (payouts.length === 0) return <span>—</span>;
  return (
    <Typography component="span" variant="body2" sx={{ ...amountSx, whiteSpace: 'normal' }}>
      {payouts.map((p) => (
        <span key={String(p.trancheId)} style={{ display: 'block' }}>
          {`${String(p.classId)} ${formatMinor(String(p.classCash), currency)}`}
        </span>
      ))}
    </Typography>
  );
};
