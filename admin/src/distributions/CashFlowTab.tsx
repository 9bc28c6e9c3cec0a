/**
 * The deal page's cash flows: for each tranche, what the waterfall paid in every executed period
 * (from the servicer reports' `classes`) against the projection of the deal's structure under the
 * base scenario. A projection that cannot run (no structure yet) leaves the actuals on their own.
 */
import { Alert, Box, Typography } from '@mui/material';
import { Loading, useGetList, useGetOne, useRecordContext, useTranslate } from 'react-admin';
import { BASE_SCENARIO, buildCashFlows, type ProjectedClass, type ReportForChart } from './cashFlows';
import { CashFlowChart } from './CashFlowChart';
import { DEAL_PROJECTIONS, DISTRIBUTIONS } from './distributionsQuery';

export const CashFlowTab = () => {
  const deal = useRecordContext();
  const translate = useTranslate();
  const dealId = deal?.id === undefined ? '' : String(deal.id);
  const reports = useGetList(
    DISTRIBUTIONS,
    { filter: { dealId }, pagination: { page: 1, perPage: 100 } },
    { enabled: dealId !== '' },
  );
  const projection = useGetOne(DEAL_PROJECTIONS, { id: dealId }, { enabled: dealId !== '', retry: false });
  if (reports.isPending || projection.isPending) return <Loading />;
  const currency = typeof deal?.currency === 'string' ? deal.currency : 'USD';
  const projected = Array.isArray(projection.data?.classes)
    ? (projection.data.classes as ProjectedClass[])
    : [];
  const tranches = Array.isArray(deal?.tranches)
    ? (deal.tranches as { name?: unknown }[]).map((t) => String(t.name))
    : undefined;
  const series = buildCashFlows(
    (reports.data ?? []) as unknown as ReportForChart[],
    projected,
    currency,
    tranches,
  );
  const c = 'tranche.distributions.cash_flows';
  return (
    <Box>
      <Typography variant="body2" sx={{ mb: 2 }}>
        {translate(`${c}.explain`, { scenario: String(projection.data?.scenarioName ?? BASE_SCENARIO.name) })}
      </Typography>
      {projection.error ? (
        <Alert severity="warning" sx={{ mb: 2 }}>
          {translate(`${c}.no_projection`, {
            error: projection.error instanceof Error ? translate(projection.error.message) : '',
          })}
        </Alert>
      ) : null}
      {reports.error ? <Alert severity="error">{translate(`${c}.failed`)}</Alert> : null}
      {series.length === 0 ? <Typography variant="body2">{translate(`${c}.empty`)}</Typography> : null}
      {series.map((s) => (
        <CashFlowChart key={s.classId} series={s} currency={currency} />
      ))}
    </Box>
  );
};
