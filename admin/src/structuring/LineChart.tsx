/**
 * Lines over projection periods as a plain SVG chart (the approach of the cash-flow tab: no chart
 * library), one colour per series, with its legend. `lineGeometry` is the pixel maths, kept pure.
 */
import { Box, Typography, useTheme } from '@mui/material';
import type { Series } from './structuring';

export const LINE_CHART = { width: 720, height: 220, left: 60, bottom: 22, top: 8, right: 8 } as const;

/** Each series as polyline points in the chart's pixel space (x by index, y grows downwards). */
export const lineGeometry = (series: Series[]) => {
  const n = Math.max(2, ...series.map((s) => s.values.length));
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const plotW = LINE_CHART.width - LINE_CHART.left - LINE_CHART.right;
  const plotH = LINE_CHART.height - LINE_CHART.top - LINE_CHART.bottom;
  const x = (i: number) => LINE_CHART.left + (i / (n - 1)) * plotW;
  const y = (v: number) => LINE_CHART.top + plotH - (v / max) * plotH;
  return {
    max,
    n,
    lines: series.map((s) => ({
      label: s.label,
      points: s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' '),
    })),
  };
};

const compact = (value: number) => new Intl.NumberFormat('en', { notation: 'compact' }).format(value);

export const LineChart = ({
  series,
  label,
  firstIndex = 0,
  testId,
}: {
  series: Series[];
  label: string;
  /** The period of the first value (0 for balances, 1 for payments). */
  firstIndex?: number;
  testId: string;
}) => {
  const theme = useTheme();
  const palette = [
    theme.palette.primary.main,
    theme.palette.secondary.main,
    theme.palette.success.main,
    theme.palette.warning.main,
    theme.palette.error.main,
    theme.palette.info.main,
  ];
  const colour = (i: number) => palette[i % palette.length];
  const g = lineGeometry(series);
  const baseline = LINE_CHART.height - LINE_CHART.bottom;
  const ticks = [0, Math.floor((g.n - 1) / 2), g.n - 1];
  return (
    <Box sx={{ mb: 2 }} data-testid={testId}>
      <Typography variant="subtitle2">{label}</Typography>
      <svg
        role="img"
        aria-label={label}
        viewBox={`0 0 ${LINE_CHART.width} ${LINE_CHART.height}`}
        style={{ width: '100%', maxWidth: LINE_CHART.width, height: 'auto' }}
      >
        <line
          x1={LINE_CHART.left}
          x2={LINE_CHART.width - LINE_CHART.right}
          y1={baseline}
          y2={baseline}
          stroke="currentColor"
        />
        <text
          x={LINE_CHART.left - 4}
          y={LINE_CHART.top + 8}
          textAnchor="end"
          fontSize="10"
          fill="currentColor"
        >
          {compact(g.max)}
        </text>
        <text x={LINE_CHART.left - 4} y={baseline} textAnchor="end" fontSize="10" fill="currentColor">
          0
        </text>
        {ticks.map((i) => (
          <text
            key={i}
            x={LINE_CHART.left + (i / (g.n - 1)) * (LINE_CHART.width - LINE_CHART.left - LINE_CHART.right)}
            y={LINE_CHART.height - 6}
            textAnchor="middle"
            fontSize="10"
            fill="currentColor"
          >
            {i + firstIndex}
          </text>
        ))}
        {g.lines.map((l, i) => (
          <polyline
            key={l.label}
            data-series={l.label}
            points={l.points}
            fill="none"
            stroke={colour(i)}
            strokeWidth={1.5}
          />
        ))}
      </svg>
      <Typography variant="caption" component="p">
        {g.lines.map((l, i) => (
          <Box component="span" key={l.label} sx={{ mr: 2 }}>
            <Box component="span" sx={{ color: colour(i) }}>
              ━
            </Box>{' '}
            {l.label}
          </Box>
        ))}
      </Typography>
    </Box>
  );
};
