/**
 * One tranche's cash flows as a plain SVG chart: a bar per paid period (interest + principal the
 * waterfall paid) and the projection as a line, then the paid periods as a table with the exact
 * amounts and the difference. No chart library: the loan tape's stratification draws its bars the
 * same way.
 */
import { Box, Table, TableBody, TableCell, TableHead, TableRow, Typography, useTheme } from '@mui/material';
import { useTranslate } from 'react-admin';
import { formatMinor, minorToPlotValue } from './amounts';
import type { ClassCashFlows } from './cashFlows';

export const CHART = { width: 640, height: 180, left: 56, bottom: 22, top: 8, right: 8 } as const;

/** Bar rectangles and line points of a series in the chart's pixel space (y grows downwards). */
export const chartGeometry = (series: ClassCashFlows, currency: string) => {
  const n = Math.max(series.points.length, 1);
  const plotW = CHART.width - CHART.left - CHART.right;
  const plotH = CHART.height - CHART.top - CHART.bottom;
  const values = series.points.flatMap((p) =>
    [p.actual, p.projected]
      .filter((v): v is bigint => v !== undefined)
      .map((v) => minorToPlotValue(v, currency)),
  );
  const max = Math.max(1, ...values);
  const band = plotW / n;
  const y = (v: bigint) => CHART.top + plotH - (minorToPlotValue(v, currency) / max) * plotH;
  const x = (period: number) => CHART.left + (period - 0.5) * band;
  return {
    max,
    band,
    bars: series.points
      .filter((p) => p.actual !== undefined)
      .map((p) => {
        const top = y(p.actual ?? 0n);
        return {
          period: p.period,
          x: x(p.period) - band * 0.35,
          y: top,
          w: band * 0.7,
          h: CHART.top + plotH - top,
        };
      }),
    line: series.points
      .filter((p) => p.projected !== undefined)
      .map((p) => ({ period: p.period, x: x(p.period), y: y(p.projected ?? 0n) })),
  };
};

const compact = (value: number) => new Intl.NumberFormat('en', { notation: 'compact' }).format(value);

export const CashFlowChart = ({ series, currency }: { series: ClassCashFlows; currency: string }) => {
  const translate = useTranslate();
  const theme = useTheme();
  const g = chartGeometry(series, currency);
  const c = 'tranche.distributions.cash_flows';
  const paid = series.points.filter((p) => p.actual !== undefined);
  const every = Math.max(1, Math.ceil(series.points.length / 12));
  const baseline = CHART.height - CHART.bottom;
  return (
    <Box sx={{ mb: 3 }} data-testid={`cash-flows-${series.classId}`}>
      <Typography variant="subtitle1">{translate(`${c}.class`, { tranche: series.classId })}</Typography>
      <svg
        role="img"
        aria-label={translate(`${c}.chart_label`, { tranche: series.classId })}
        viewBox={`0 0 ${CHART.width} ${CHART.height}`}
        style={{ width: '100%', maxWidth: CHART.width, height: 'auto' }}
      >
        <line
          x1={CHART.left}
          x2={CHART.width - CHART.right}
          y1={baseline}
          y2={baseline}
          stroke="currentColor"
        />
        <text x={CHART.left - 4} y={CHART.top + 8} textAnchor="end" fontSize="10" fill="currentColor">
          {compact(g.max)}
        </text>
        <text x={CHART.left - 4} y={baseline} textAnchor="end" fontSize="10" fill="currentColor">
          0
        </text>
        {series.points
          .filter((p) => p.period === 1 || p.period % every === 0)
          .map((p) => (
            <text
              key={`x-${p.period}`}
              x={CHART.left + (p.period - 0.5) * g.band}
              y={CHART.height - 6}
              textAnchor="middle"
              fontSize="10"
              fill="currentColor"
            >
              {p.period}
            </text>
          ))}
        {g.bars.map((b) => (
          <rect
            key={`bar-${b.period}`}
            x={b.x}
            y={b.y}
            width={b.w}
            height={b.h}
            fill={theme.palette.primary.main}
          >
            <title>{translate(`${c}.actual_at`, { period: b.period })}</title>
          </rect>
        ))}
        {g.line.length > 0 ? (
          <polyline
            points={g.line.map((p) => `${p.x},${p.y}`).join(' ')}
            fill="none"
            stroke={theme.palette.secondary.main}
            strokeWidth={2}
            strokeDasharray="4 3"
          />
        ) : null}
      </svg>
      <Typography variant="caption" component="p">
        <Box component="span" sx={{ color: 'primary.main' }}>
          ■
        </Box>{' '}
        {translate(`${c}.actual`)}{' '}
        <Box component="span" sx={{ color: 'secondary.main' }}>
          ╌
        </Box>{' '}
        {translate(`${c}.projected`)}
      </Typography>
      {paid.length > 0 ? (
        <Table
          size="small"
          aria-label={translate(`${c}.table_label`, { tranche: series.classId })}
          sx={{ maxWidth: 640 }}
        >
          <TableHead>
            <TableRow>
              {['period', 'actual', 'projected', 'difference'].map((k) => (
                <TableCell key={k} align={k === 'period' ? 'left' : 'right'}>
                  {translate(`${c}.${k}`)}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {paid.map((p) => (
              <TableRow key={p.period}>
                <TableCell>{p.period}</TableCell>
                <TableCell align="right">{formatMinor(p.actual ?? 0n, currency)}</TableCell>
                <TableCell align="right">
                  {p.projected === undefined ? '—' : formatMinor(p.projected, currency)}
                </TableCell>
                <TableCell align="right">
                  {p.projected === undefined ? '—' : formatMinor((p.actual ?? 0n) - p.projected, currency)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </Box>
  );
};
