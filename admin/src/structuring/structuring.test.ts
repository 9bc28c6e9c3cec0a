import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCENARIO,
  balanceSeries,
  cashFlowsCsv,
  decrementCsv,
  decrementPercent,
  decrementScenarios,
  decrementTables,
  gridCsv,
  gridRows,
  minorToDecimal,
  parsePpcCurve,
  paymentSeries,
  toScenarioInput,
  type Projection,
} from './structuring';

// Class A of 1,000.00 with the given balance (minor units) after each listed period, paid on the
// 25th of the period's month counted from November 2026; the residual class has no balance.
const projection = (name: string, endBalances: [number, string][], wal: number | null): Projection => ({
  scenarioName: name,
  poolWal: wal,
  periods: Math.max(...endBalances.map(([p]) => p)),
  classes: [
    {
      classId: 'A',
      originalBalance: '100000',
      wal,
      principalWindowFirst: endBalances[0]?.[0] ?? null,
      principalWindowLast: endBalances.at(-1)?.[0] ?? null,
      cashFlows: endBalances.map(([period, endBalance]) => ({
        period,
        paymentDate: `${2026 + Math.floor((period + 10) / 12)}-${String(((period + 10) % 12) + 1).padStart(2, '0')}-25`,
        beginBalance: '100000',
        interestPaid: '400',
        principalPaid: '25000',
        writedown: '0',
        endBalance,
      })),
    },
    {
      classId: 'R',
      originalBalance: '0',
      wal: null,
      principalWindowFirst: null,
      principalWindowLast: null,
      cashFlows: [],
    },
  ],
});

describe('the scenario form as the API’s ScenarioInput', () => {
  it('sends the prepayment speed, leaves defaults out at 0 and the call out when empty', () => {
    expect(toScenarioInput({ ...DEFAULT_SCENARIO, prepaymentRate: 250 })).toEqual({
      name: 'PSA 250',
      prepayment: { model: 'PSA', rate: 250 },
      severityPct: 35,
      recoveryLagMonths: 6,
    });
  });

  it('sends defaults, severity, lag and the clean-up call when set, named after them', () => {
    const input = toScenarioInput({
      ...DEFAULT_SCENARIO,
      prepaymentModel: 'CPR',
      prepaymentRate: 12,
      defaultModel: 'SDA',
      defaultRate: 100,
      severityPct: 40,
      recoveryLagMonths: 12,
      cleanUpCallPct: 10,
    });
    expect(input).toEqual({
      name: 'CPR 12, SDA 100, 40% sev, call 10%',
      prepayment: { model: 'CPR', rate: 12 },
      defaults: { model: 'SDA', rate: 100 },
      severityPct: 40,
      recoveryLagMonths: 12,
      cleanUpCallPct: 10,
    });
  });

  it('sends a PPC speed with its curves typed as month:CPR points; an empty adjustable curve is left out', () => {
    const f = { ...DEFAULT_SCENARIO, prepaymentModel: 'PPC' as const, prepaymentRate: 150 };
    expect(toScenarioInput(f).prepayment).toEqual({
      model: 'PPC',
      rate: 150,
      ppcFixed: [
        { month: 1, cprPct: 4 },
        { month: 12, cprPct: 16 },
      ],
    });
    expect(toScenarioInput({ ...f, ppcArmCurve: '1:6; 24:30' }).prepayment.ppcAdjustable).toEqual([
      { month: 1, cprPct: 6 },
      { month: 24, cprPct: 30 },
    ]);
  });

  it('refuses a PPC curve whose months do not increase or whose CPR is out of range', () => {
    expect(parsePpcCurve('12:16, 1:4')).toBeUndefined();
    expect(parsePpcCurve('1:140')).toBeUndefined();
    expect(parsePpcCurve('1:4, 12')).toBeUndefined();
    expect(parsePpcCurve('')).toEqual([]);
  });

  it('asks for the decrement table at the convention’s standard speeds, other assumptions kept', () => {
    const scenarios = decrementScenarios({ ...DEFAULT_SCENARIO, defaultRate: 2 });
    expect(scenarios.map((s) => s.name)).toEqual([
      'PSA 0',
      'PSA 50',
      'PSA 100',
      'PSA 200',
      'PSA 300',
      'PSA 400',
    ]);
    expect(scenarios.every((s) => s.defaults?.rate === 2)).toBe(true);
  });
});

describe('chart series', () => {
  it('draws each note’s balance from its original balance, flat after it is repaid; not the residual', () => {
    const p = {
      ...projection(
        'x',
        [
          [1, '75000'],
          [2, '0'],
        ],
        1,
      ),
      periods: 3,
    };
    expect(balanceSeries(p, 'USD')).toEqual([{ label: 'A', values: [1000, 750, 0, 0] }]);
  });

  it('sums principal and interest over the notes in each period', () => {
    const p = projection(
      'x',
      [
        [1, '75000'],
        [2, '50000'],
      ],
      1,
    );
    expect(paymentSeries(p, 'USD')).toEqual([
      { label: 'principal', values: [250, 250] },
      { label: 'interest', values: [4, 4] },
    ]);
  });
});

describe('the prospectus decrement table', () => {
  it('rounds to the nearest whole percent and prints * for a balance that rounds to zero', () => {
    expect(decrementPercent(745n, 1000n)).toBe('75');
    expect(decrementPercent(744n, 1000n)).toBe('74');
    expect(decrementPercent(4n, 1000n)).toBe('*');
    expect(decrementPercent(0n, 1000n)).toBe('0');
  });

  it('gives a row per anniversary until every speed has retired the class, and the WALs', () => {
    const slow = projection(
      'PSA 0',
      [
        [12, '90000'],
        [24, '60000'],
        [36, '30000'],
        [48, '0'],
      ],
      3.1,
    );
    const fast = projection(
      'PSA 400',
      [
        [12, '40000'],
        [24, '0'],
      ],
      1.2,
    );
    const [table] = decrementTables([slow, fast]);
    expect(table?.speeds).toEqual(['PSA 0', 'PSA 400']);
    expect(table?.rows).toEqual([
      { label: 'Initial', percents: ['100', '100'] },
      { label: '2027-11-25', percents: ['90', '40'] },
      { label: '2028-11-25', percents: ['60', '0'] },
      { label: '2029-11-25', percents: ['30', '0'] },
      { label: '2030-11-25', percents: ['0', '0'] },
    ]);
    expect(table?.wals).toEqual([3.1, 1.2]);
    expect(decrementCsv(table ? [table] : [])).toBe(
      'class,date,PSA 0,PSA 400\r\nA,Initial,100,100\r\nA,2027-11-25,90,40\r\nA,2028-11-25,60,0\r\n' +
        'A,2029-11-25,30,0\r\nA,2030-11-25,0,0\r\nA,WAL (years),3.10,1.20\r\n',
    );
  });
});

describe('the side-by-side grid and the CSV exports', () => {
  it('lines scenarios up by class: WAL and principal window', () => {
    const grid = gridRows([projection('PSA 100', [[12, '0']], 0.9), projection('PSA 300', [[6, '0']], 0.45)]);
    expect(grid.classIds).toEqual(['A']);
    expect(grid.rows.map((r) => [r.scenario, r.classes.A])).toEqual([
      ['PSA 100', { wal: 0.9, window: '12–12' }],
      ['PSA 300', { wal: 0.45, window: '6–6' }],
    ]);
    expect(gridCsv(grid)).toBe(
      'scenario,poolWal,A WAL,A window\r\nPSA 100,0.90,0.90,12–12\r\nPSA 300,0.45,0.45,6–6\r\n',
    );
  });

  it('exports cash flows in major units, quoting a scenario name with a comma', () => {
    const csv = cashFlowsCsv(projection('PSA 100, CDR 1', [[1, '75000']], 1), 2);
    expect(csv.split('\r\n')[1]).toBe('"PSA 100, CDR 1",A,1,2026-12-25,1000.00,4.00,250.00,0.00,750.00');
    expect(minorToDecimal('-5', 2)).toBe('-0.05');
    expect(minorToDecimal('123', 0)).toBe('123');
  });
});
