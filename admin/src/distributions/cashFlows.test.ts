import { describe, expect, it } from 'vitest';
import { buildCashFlows, PERIODS_AHEAD, type ProjectedClass } from './cashFlows';

const classes = (period: number, a: [string, string], b: [string, string]) =>
  JSON.stringify([
    { classId: 'A', period, interestPaid: a[0], principalPaid: a[1] },
    { classId: 'B', period, interestPaid: b[0], principalPaid: b[1] },
  ]);

const projected: ProjectedClass[] = ['A', 'B'].map((classId) => ({
  classId,
  cashFlows: Array.from({ length: 30 }, (_, i) => ({
    period: i + 1,
    interestPaid: classId === 'A' ? '158333333' : '20000000',
    principalPaid: classId === 'A' ? '100000000' : '0',
  })),
}));

describe('cash flows, actual against projected', () => {
  it('pairs each executed period’s interest + principal with the projection, per class, to a year ahead', () => {
    const series = buildCashFlows(
      [
        { period: 2, status: 'PENDING', classes: classes(2, ['1.00', '1.00'], ['1.00', '0.00']) },
        {
          period: 1,
          status: 'RECONCILED',
          classes: classes(1, ['1583333.33', '2000000.00'], ['200000.00', '0.00']),
        },
      ],
      projected,
      'USD',
    );
    expect(series.map((s) => s.classId)).toEqual(['A', 'B']);
    const a = series[0]!;
    expect(a.points).toHaveLength(1 + PERIODS_AHEAD);
    expect(a.points[0]).toEqual({ period: 1, actual: 358333333n, projected: 258333333n });
    // the PENDING report is not paid yet: period 2 has only its projection
    expect(a.points[1]).toEqual({ period: 2, projected: 258333333n });
    expect(series[1]!.points[0]).toEqual({ period: 1, actual: 20000000n, projected: 20000000n });
  });

  it('counts a period once (the newest report), keeps classes only the actuals name, and stops at the projection’s end', () => {
    const series = buildCashFlows(
      [
        { period: 1, status: 'EXECUTED', classes: classes(1, ['10.00', '0.00'], ['1.00', '0.00']) },
        { period: 1, status: 'RECONCILED', classes: classes(1, ['99.00', '0.00'], ['9.00', '0.00']) },
        { period: 3, status: 'CANCELLED', classes: classes(3, ['5.00', '0.00'], ['5.00', '0.00']) },
      ],
      [{ classId: 'A', cashFlows: [{ period: 1, interestPaid: '900', principalPaid: '100' }] }],
      'USD',
    );
    expect(series.map((s) => s.classId)).toEqual(['A', 'B']);
    expect(series[0]!.points).toEqual([{ period: 1, actual: 1000n, projected: 1000n }]);
    expect(series[1]!.points).toEqual([{ period: 1, actual: 100n }]);
  });

  it('keeps only the deal’s tranches when given, leaving out e.g. a residual class', () => {
    const withResidual = [
      ...projected,
      { classId: 'R', cashFlows: [{ period: 1, interestPaid: '5', principalPaid: '0' }] },
    ];
    expect(buildCashFlows([], withResidual, 'USD', ['A', 'B']).map((s) => s.classId)).toEqual(['A', 'B']);
    expect(buildCashFlows([], withResidual, 'USD').map((s) => s.classId)).toEqual(['A', 'B', 'R']);
  });

  it('shows only the projection before any period is paid, and nothing without either', () => {
    const series = buildCashFlows([], projected, 'USD');
    expect(series[0]!.points).toHaveLength(PERIODS_AHEAD);
    expect(series[0]!.points.every((p) => p.actual === undefined)).toBe(true);
    expect(buildCashFlows([], [], 'USD')).toEqual([]);
  });
});
