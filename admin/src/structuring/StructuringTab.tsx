/**
 * The deal page's structuring desk: edit a scenario and project the deal's structure under it
 * (WALs, principal windows, tranche balances and principal/interest per period as charts), the
 * prospectus decrement tables at the scenario convention's standard speeds, and scenarios the
 * arranger keeps for a side-by-side comparison; each section exports to CSV. Two requests per
 * run: `projection` with every cash flow, `projectionGrid` with balances only.
 */
import { Alert, Box, Button, LinearProgress, Typography } from '@mui/material';
import { useEffect, useMemo, useState } from 'react';
import { useDataProvider, useRecordContext, useTranslate } from 'react-admin';
import { minorUnitDigits } from '../providers/money';
import { DecrementTables } from './DecrementTables';
import { LineChart } from './LineChart';
import { ScenarioEditor } from './ScenarioEditor';
import { ScenarioGrid } from './ScenarioGrid';
import type { StructuringCalls } from './structuringProvider';
import {
  DECREMENT_SPEEDS,
  DEFAULT_SCENARIO,
  MAX_GRID,
  balanceSeries,
  cashFlowsCsv,
  decrementCsv,
  decrementScenarios,
  decrementTables,
  gridCsv,
  gridRows,
  paymentSeries,
  toScenarioInput,
  type Projection,
  type ScenarioForm,
} from './structuring';
import { WalTable } from './WalTable';

const MAX_COMPARED = MAX_GRID - Math.max(...Object.values(DECREMENT_SPEEDS).map((s) => s.length));

const download = (filename: string, csv: string) => {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  URL.revokeObjectURL(url);
};

interface Results {
  detail: Projection;
  decrement: Projection[];
  compared: Projection[];
}

export const StructuringTab = () => {
  const deal = useRecordContext();
  const translate = useTranslate();
  const provider = useDataProvider<StructuringCalls & ReturnType<typeof useDataProvider>>();
  const dealId = deal?.id === undefined ? '' : String(deal.id);
  const currency = typeof deal?.currency === 'string' ? deal.currency : 'USD';
  const [form, setForm] = useState<ScenarioForm>(DEFAULT_SCENARIO);
  const [applied, setApplied] = useState<ScenarioForm>(DEFAULT_SCENARIO);
  const [compared, setCompared] = useState<ScenarioForm[]>([DEFAULT_SCENARIO]);
  const [results, setResults] = useState<Results>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (dealId === '') return;
    let live = true;
    setBusy(true);
    const decrement = decrementScenarios(applied);
    Promise.all([
      provider.dealProjection(dealId, toScenarioInput(applied)),
      provider.dealProjectionGrid(dealId, [...decrement, ...compared.map((f) => toScenarioInput(f))]),
    ])
      .then(([detail, grid]) => {
        if (!live) return;
        setResults({
          detail,
          decrement: grid.slice(0, decrement.length),
          compared: grid.slice(decrement.length),
        });
        setError(undefined);
      })
      .catch((err: unknown) => {
        if (live) setError(err instanceof Error ? err.message : String(err));
      })
      .finally(() => {
        if (live) setBusy(false);
      });
    return () => {
      live = false;
    };
  }, [provider, dealId, applied, compared]);

  const shaped = useMemo(() => {
    if (!results) return undefined;
    const payments = paymentSeries(results.detail, currency).map((s) => ({
      ...s,
      label: translate(`tranche.structuring.charts.${s.label}`),
    }));
    return {
      balances: balanceSeries(results.detail, currency),
      payments,
      decrement: decrementTables(results.decrement),
      grid: gridRows(results.compared),
    };
  }, [results, currency, translate]);

  const t = 'tranche.structuring';
  const digits = minorUnitDigits(currency);
  const section = (key: string) => (
    <Typography variant="h6" sx={{ mt: 3, mb: 1 }}>
      {translate(`${t}.sections.${key}`)}
    </Typography>
  );
  const exportButton = (name: string, csv: () => string) => (
    <Button size="small" onClick={() => download(`${dealId}-${name}.csv`, csv())}>
      {translate(`${t}.export_csv`)}
    </Button>
  );
  return (
    <Box>
      <Typography variant="body2" sx={{ mb: 2 }}>
        {translate(`${t}.explain`)}
      </Typography>
      <ScenarioEditor
        value={form}
        onChange={setForm}
        onProject={() => setApplied(form)}
        onCompare={() => setCompared((list) => [...list, form].slice(-MAX_COMPARED))}
        busy={busy}
      />
      {busy ? <LinearProgress sx={{ mb: 1 }} aria-label={translate(`${t}.running`)} /> : null}
      {error ? (
        <Alert severity="warning">{translate(`${t}.failed`, { error: translate(error) })}</Alert>
      ) : null}
      {results && shaped ? (
        <Box data-testid="structuring-results" data-scenario={results.detail.scenarioName ?? ''}>
          {section('summary')}
          <Typography variant="body2" sx={{ mb: 1 }}>
            {translate(`${t}.scenario_name`, { scenario: results.detail.scenarioName ?? '' })}
          </Typography>
          <WalTable projection={results.detail} />
          {exportButton('cash-flows', () => cashFlowsCsv(results.detail, digits))}
          {section('charts')}
          <LineChart
            testId="balances-chart"
            label={translate(`${t}.charts.balances`)}
            series={shaped.balances}
          />
          <LineChart
            testId="payments-chart"
            label={translate(`${t}.charts.payments`)}
            series={shaped.payments}
            firstIndex={1}
          />
          {section('decrement')}
          <DecrementTables tables={shaped.decrement} />
          {exportButton('decrement', () => decrementCsv(shaped.decrement))}
          {section('grid')}
          <ScenarioGrid
            grid={shaped.grid}
            onRemove={(i) => setCompared((list) => (list.length > 1 ? list.filter((_, k) => k !== i) : list))}
          />
          {exportButton('scenarios', () => gridCsv(shaped.grid))}
        </Box>
      ) : null}
    </Box>
  );
};
