import { describe, expect, it } from 'vitest';

import {
  buildLoanBook,
  compileDeal,
  initialDealState,
  formatMinor,
  parseCollateral,
  parseScenario,
  parseWaterfallRules,
  projectCollateral,
  projectDeal,
  runActualPeriod,
  runPeriod,
  serializeProjection,
  serializeDealState,
  parseDealState,
  PCT_SCALE,
  type DealState,
  type PoolPeriod,
} from '../src/index.js';
import type { GroupPeriod } from '../src/pool.js';
import { passThrough } from './reference.js';
import { classOf, load, principalOf } from './structures-fixtures.js';

/*
 * Prime-deal rules, one period at a time on pools written by hand (whole dollars, so every
 * expected amount below is worked in the comment beside it): the NAS priority amount, ratio-
 * stripped PO and IO classes, the two-times and step-down tests, and cross-collateralized groups.
 */

const $ = (dollars: number): bigint => BigInt(Math.round(dollars * 100));

type PoolFields = Omit<PoolPeriod, 'period' | 'indexRates' | 'servicingFee' | 'newDefaults' | 'groups'>;
const ZERO_POOL: PoolFields = {
  poolBalanceBegin: 0n,
  interest: 0n,
  scheduledPrincipal: 0n,
  prepayments: 0n,
  recoveries: 0n,
  realizedLosses: 0n,
  delinquent60Plus: 0n,
  poolBalanceEnd: 0n,
};

function poolPeriod(period: number, fields: Partial<PoolFields>, groups?: GroupPeriod[]): PoolPeriod {
  return {
    ...ZERO_POOL,
    ...fields,
    period,
    servicingFee: 0n,
    newDefaults: 0n,
    indexRates: new Map(),
    ...(groups ? { groups } : {}),
  };
}

function group(id: string, fields: Partial<Omit<GroupPeriod, 'id'>>): GroupPeriod {
  return {
    id,
    ...ZERO_POOL,
    po: {
      balanceBegin: 0n,
      balanceEnd: 0n,
      scheduledPrincipal: 0n,
      prepayments: 0n,
      recoveries: 0n,
      realizedLosses: 0n,
    },
    excessInterest: 0n,
    ioNotionalBegin: 0n,
    ioNotionalEnd: 0n,
    ...fields,
  };
}

/** A pool period whose pool items are the sums of its groups' items. */
function poolOfGroups(period: number, groups: GroupPeriod[]): PoolPeriod {
  const sum = (key: keyof PoolFields): bigint => groups.reduce((t, g) => t + g[key], 0n);
  const fields: PoolFields = { ...ZERO_POOL };
  for (const key of Object.keys(ZERO_POOL) as (keyof PoolFields)[]) fields[key] = sum(key);
  return poolPeriod(period, fields, groups);
}

/** Compile `doc` and a state after `period - 1` with the given class balances. */
function setUp(doc: unknown, period: number, original: bigint, balances: Record<string, bigint>) {
  const deal = compileDeal(parseWaterfallRules(doc));
  const state: DealState = initialDealState(deal, original);
  state.period = period - 1;
  for (const [id, balance] of Object.entries(balances))
    state.classes[id] = { balance, interestShortfall: 0n };
  return { deal, state };
}

function principalPaid(result: ReturnType<typeof runPeriod>, id: string): bigint {
  return result.classes.find((c) => c.classId === id)?.principalPaid ?? -1n;
}

const SHIFT = [
  { fromPeriod: 1, pct: 0 },
  { fromPeriod: 61, pct: 30 },
  { fromPeriod: 121, pct: 300 },
];

function nasDeal(scheduledShiftPct: unknown, prepaymentShiftPct: unknown) {
  return {
    name: 'NAS priority',
    classes: [
      { id: 'A1', balance: 70000, coupon: 0 },
      { id: 'AN', balance: 20000, coupon: 0 },
      { id: 'B', balance: 10000, coupon: 0 },
      { id: 'R', residual: true },
    ],
    waterfall: [
      {
        payPrincipal: {
          sequential: [{ nasPriority: 'AN', scheduledShiftPct, prepaymentShiftPct }, 'A1', 'AN'],
        },
        amount: { seniorPrincipal: { seniors: ['A1', 'AN'], shiftPct: 100 } },
      },
      { payPrincipal: 'B' },
    ],
  };
}

describe('NAS priority amount (nasPriority)', () => {
  // Pool $100,000 at the start of the period: scheduled principal $1,000, prepayments $5,000.
  // Senior % = 90,000 / 100,000 = 90%, senior prepayment % = 100% (shift 100):
  // senior principal = 90% x 1,000 + 100% x 5,000 = $5,900; B takes the other $100.
  // NAS % = AN / pool = 20,000 / 100,000 = 20%.
  const pool = (period: number) =>
    poolPeriod(period, {
      poolBalanceBegin: $(100000),
      scheduledPrincipal: $(1000),
      prepayments: $(5000),
      poolBalanceEnd: $(94000),
    });
  const balances = { A1: $(70000), AN: $(20000), B: $(10000) };

  it('pays nothing in the lock-out years (shift 0%)', () => {
    const { deal, state } = setUp(nasDeal(SHIFT, SHIFT), 60, $(100000), balances);
    const r = runPeriod(deal, state, pool(60));
    expect(principalPaid(r, 'AN')).toBe(0n);
    expect(principalPaid(r, 'A1')).toBe($(5900));
    expect(principalPaid(r, 'B')).toBe($(100));
  });

  it("takes NAS% x shift% of the group's scheduled principal and of its prepayments (30%)", () => {
    // 20% x 30% x 1,000 + 20% x 30% x 5,000 = 60 + 300 = $360; A1 the rest of $5,900 = $5,540.
    const { deal, state } = setUp(nasDeal(SHIFT, SHIFT), 61, $(100000), balances);
    const r = runPeriod(deal, state, pool(61));
    expect(principalPaid(r, 'AN')).toBe($(360));
    expect(principalPaid(r, 'A1')).toBe($(5540));
  });

  it('uses a separate shift schedule for scheduled principal and for prepayments', () => {
    // Scheduled shift 100%, prepayment shift 0%: 20% x 100% x 1,000 + 0 = $200.
    const { deal, state } = setUp(nasDeal(100, 0), 61, $(100000), balances);
    expect(principalPaid(runPeriod(deal, state, pool(61)), 'AN')).toBe($(200));
  });

  it('allows a 300% shift, capped at the class balance', () => {
    // 20% x 300% x 1,000 + 20% x 300% x 5,000 = 600 + 3,000 = $3,600.
    const { deal, state } = setUp(nasDeal(SHIFT, SHIFT), 121, $(100000), balances);
    expect(principalPaid(runPeriod(deal, state, pool(121)), 'AN')).toBe($(3600));
    // With AN down to $2,000 (NAS % = 2%, the pool still $100,000): 2% x 300% x 6,000 = $360.
    const small = setUp(nasDeal(SHIFT, SHIFT), 121, $(100000), { ...balances, AN: $(2000) });
    expect(principalPaid(runPeriod(small.deal, small.state, pool(121)), 'AN')).toBe($(360));
    // A 3000% shift would be $3,600 on $2,000: capped at the balance.
    const capped = setUp(nasDeal(3000, 3000), 121, $(100000), { ...balances, AN: $(2000) });
    expect(principalPaid(runPeriod(capped.deal, capped.state, pool(121)), 'AN')).toBe($(2000));
  });

  it('pays the priority amount once a period even when a later step names the rule again', () => {
    // The second step offers B's leftovers to the same senior rule: AN has had its $360, so the
    // nasPriority element passes and A1 takes the money.
    const doc = nasDeal(SHIFT, SHIFT);
    doc.waterfall.push({ payPrincipal: doc.waterfall[0]?.payPrincipal } as never);
    const { deal, state } = setUp(doc, 61, $(100000), { ...balances, B: $(50) });
    const r = runPeriod(deal, state, pool(61));
    // B takes its $50 balance; the other $50 goes back to the seniors: A1 5,540 + 50.
    expect(principalPaid(r, 'AN')).toBe($(360));
    expect(principalPaid(r, 'A1')).toBe($(5590));
  });

  it('takes the NAS percentage against the non-PO pool balance of its group', () => {
    // Group 1: $102,000 of which $2,000 PO -> non-PO $100,000; non-PO scheduled 1,000 (of 1,050),
    // non-PO prepayments 5,000 (of 5,100). NAS% = 20%: 20% x 30% x 6,000 = $360.
    const doc = {
      ...nasDeal(SHIFT, SHIFT),
      collateralGroups: [{ id: '1', stripRatePct: 5.5 }],
    };
    doc.waterfall[0] = {
      payPrincipal: {
        sequential: [
          { nasPriority: 'AN', group: '1', scheduledShiftPct: SHIFT, prepaymentShiftPct: SHIFT },
          'A1',
          'AN',
        ],
      },
      amount: { seniorPrincipal: { seniors: ['A1', 'AN'], shiftPct: 100 } },
    } as never;
    const g = group('1', {
      poolBalanceBegin: $(102000),
      scheduledPrincipal: $(1050),
      prepayments: $(5100),
      poolBalanceEnd: $(95850),
      po: {
        balanceBegin: $(2000),
        balanceEnd: $(1900),
        scheduledPrincipal: $(50),
        prepayments: $(100),
        recoveries: 0n,
        realizedLosses: 0n,
      },
    });
    const { deal, state } = setUp(doc, 61, $(102000), balances);
    const r = runPeriod(deal, state, poolOfGroups(61, [g]));
    expect(principalPaid(r, 'AN')).toBe($(360));
  });
});

describe('ratio-stripped PO and IO classes', () => {
  // Strip rate 5.5%. The group's pool: $110,000 begins, of which the PO portion is $2,000 (non-PO
  // $108,000 = A 100,000 + B 8,000). This period the PO portion collects scheduled $20,
  // prepaid $80, recovered $10 and loses $30; the premium loans (notional $60,000 -> $59,000)
  // pay excess interest $50. Group: interest $500, scheduled $220, prepaid $880, recoveries $110,
  // losses $330 -> ends at 110,000 - 1,540 = $108,460.
  const g = group('1', {
    poolBalanceBegin: $(110000),
    interest: $(500),
    scheduledPrincipal: $(220),
    prepayments: $(880),
    recoveries: $(110),
    realizedLosses: $(330),
    poolBalanceEnd: $(108460),
    po: {
      balanceBegin: $(2000),
      balanceEnd: $(1890),
      scheduledPrincipal: $(20),
      prepayments: $(80),
      recoveries: $(10),
      realizedLosses: $(30),
    },
    excessInterest: $(50),
    ioNotionalBegin: $(60000),
    ioNotionalEnd: $(59000),
  });
  const pool = poolOfGroups(2, [g]);
  const doc = {
    name: 'ratio strip',
    collateralGroups: [{ id: '1', stripRatePct: 5.5 }],
    classes: [
      { id: 'PO', balance: 2000, ratioStrip: { group: '1', part: 'PO' } },
      { id: 'AX', ratioStrip: { group: '1', part: 'IO' } },
      { id: 'A', balance: 100000, coupon: 3 },
      { id: 'B', balance: 8000, coupon: 3 },
      { id: 'R', residual: true },
    ],
    waterfall: [
      { payInterest: ['A', 'AX'] },
      { payPrincipal: 'PO', amount: { poPrincipal: '1' } },
      {
        payPrincipal: 'A',
        amount: { seniorPrincipal: { seniors: ['A'], group: '1', shiftPct: 0 } },
      },
      { payInterest: ['B'] },
      { payPrincipal: 'B' },
    ],
    losses: { writedownOrder: ['B', 'A'] },
  };
  const { deal, state } = setUp(doc, 2, $(110000), { PO: $(2000), A: $(100000), B: $(8000) });
  state.groupOriginalBalances = { '1': $(110000) };
  const r = runPeriod(deal, state, pool);
  const row = (id: string) => r.classes.find((c) => c.classId === id);

  it("pays the IO the premium loans' excess interest on their balance as notional", () => {
    expect(row('AX')?.interestPaid).toBe($(50));
    expect(row('AX')?.beginBalance).toBe($(60000));
    expect(row('AX')?.endBalance).toBe($(59000));
    // 50 x 12 / 60,000 = 1%.
    expect(row('AX')?.couponPct).toBeCloseTo(1, 10);
  });

  it('pays the PO the PO fraction of principal and writes it down by the PO loss', () => {
    // 20 + 80 + 10 = $110 of principal; $30 PO loss written down: 2,000 - 110 - 30 = $1,860.
    expect(row('PO')?.principalPaid).toBe($(110));
    expect(row('PO')?.writedown).toBe($(30));
    expect(row('PO')?.endBalance).toBe($(1860));
  });

  it('takes the senior percentage against the non-PO pool balance', () => {
    // Non-PO: begin 108,000, scheduled 200, prepaid 800, recoveries 100. Senior % = 100,000 /
    // 108,000; shift 0 so the prepayment % is the senior % too:
    // (200 + 800 + 100) x 100,000 / 108,000 = 1,018.5185... -> $1,018.52.
    expect(row('A')?.principalPaid).toBe($(1018.52));
    // B: the rest of the non-PO principal, 1,100 - 1,018.52 = $81.48; then the non-PO losses of
    // $300 are written down on B: notes 1,860 + 98,981.48 + 7,918.52 = 108,760 vs pool 108,460.
    expect(row('B')?.principalPaid).toBe($(81.48));
    expect(row('B')?.writedown).toBe($(300));
    expect(r.summary.cashIn).toBe(r.summary.cashOut);
  });
});

describe('two-times test and cumulative-loss step-down test', () => {
  // Original: pool $100,000, seniors $90,000, subordinates $10,000 (10%). Now: pool $50,000,
  // seniors $40,000, subordinates $10,000 -> subordinate % 20% = 2 x 10%: the ratio part is met.
  // Limits: 60+ delinquencies averaged over 6 months < 50% x 10,000 = $5,000; cumulative losses
  // <= 20% x 10,000 = $2,000 through month 36, 30% = $3,000 after.
  const doc = {
    name: 'two times',
    triggers: [
      {
        id: 'twoTimes',
        type: 'twoTimesTest',
        subordinates: ['B'],
        cumulativeLossLimitPct: [
          { fromPeriod: 1, pct: 20 },
          { fromPeriod: 37, pct: 30 },
        ],
      },
      {
        id: 'stepdown',
        type: 'stepdownTest',
        subordinates: ['B'],
        cumulativeLossLimitPct: [
          { fromPeriod: 1, pct: 30 },
          { fromPeriod: 73, pct: 35 },
        ],
      },
    ],
    classes: [
      { id: 'A', balance: 90000, coupon: 0 },
      { id: 'B', balance: 10000, coupon: 0 },
      { id: 'R', residual: true },
    ],
    waterfall: [
      {
        payPrincipal: 'A',
        amount: {
          seniorPrincipal: {
            seniors: ['A'],
            shiftPct: 100,
            blockedBy: { trigger: 'stepdown' },
            twoTimes: {
              passes: { not: { trigger: 'twoTimes' } },
              shiftPct: [
                { fromPeriod: 1, pct: 50 },
                { fromPeriod: 37, pct: 0 },
              ],
            },
          },
        },
      },
      { payPrincipal: 'B' },
    ],
  };
  // Scheduled $500, prepayments $1,000, delinquent at period end as given.
  function run(period: number, cumulativeLoss: number, history: number[], delinquent: number) {
    const { deal, state } = setUp(doc, period, $(100000), { A: $(40000), B: $(10000) });
    state.cumulativeLoss = $(cumulativeLoss);
    state.delinquencyHistory = history.map((d) => ({ delinquent: $(d), pool: $(50000) }));
    const pool = poolPeriod(period, {
      poolBalanceBegin: $(50000),
      scheduledPrincipal: $(500),
      prepayments: $(1000),
      delinquent60Plus: $(delinquent),
      poolBalanceEnd: $(48500),
    });
    return runPeriod(deal, state, pool);
  }

  it('passes at exactly twice the original subordinate percentage: senior % + 50% of the rest', () => {
    // Senior % 80%; prepayment % = 80% + 50% x 20% = 90%: 80% x 500 + 90% x 1,000 = $1,300.
    const r = run(30, 1000, [4000, 4000, 4000, 4000, 4000], 4000);
    expect(r.summary.triggers.twoTimes).toBe(false);
    expect(principalPaid(r, 'A')).toBe($(1300));
  });

  it('after month 36 gives the seniors only the senior percentage of prepayments', () => {
    // 80% x 500 + 80% x 1,000 = $1,200.
    const r = run(40, 1000, [4000, 4000, 4000, 4000, 4000], 4000);
    expect(principalPaid(r, 'A')).toBe($(1200));
  });

  it('fails on cumulative losses above 20% of the original subordinates through month 36, not 30% after', () => {
    // $2,500 of losses: above $2,000 in month 30 -> shift 100%: 400 + 1,000 = $1,400.
    const early = run(30, 2500, [4000, 4000, 4000, 4000, 4000], 4000);
    expect(early.summary.triggers.twoTimes).toBe(true);
    expect(principalPaid(early, 'A')).toBe($(1400));
    // Within $3,000 in month 40.
    expect(run(40, 2500, [4000, 4000, 4000, 4000, 4000], 4000).summary.triggers.twoTimes).toBe(false);
  });

  it('fails when six-month average 60+ delinquencies reach 50% of the subordinate balance', () => {
    // (5 x 4,000 + 7,000) / 6 = 4,500 < 5,000: met; (5 x 4,000 + 10,000) / 6 = 5,000: not below.
    expect(run(40, 0, [4000, 4000, 4000, 4000, 4000], 7000).summary.triggers.twoTimes).toBe(false);
    const r = run(40, 0, [4000, 4000, 4000, 4000, 4000], 10000);
    expect(r.summary.triggers.twoTimes).toBe(true);
    expect(r.summary.triggers.stepdown).toBe(true);
  });

  it('fails the ratio part below twice the original subordinate percentage', () => {
    const { deal, state } = setUp(doc, 40, $(100000), { A: $(45000), B: $(10000) });
    // 10,000 / 55,000 = 18.2% < 20%.
    const pool = poolPeriod(40, { poolBalanceBegin: $(55000), poolBalanceEnd: $(55000) });
    expect(runPeriod(deal, state, pool).summary.triggers.twoTimes).toBe(true);
  });

  it('with whenBlocked "noReduction" a failed step-down test keeps last period\'s shift', () => {
    const stepping = structuredClone(doc);
    const amount = stepping.waterfall[0]?.amount as { seniorPrincipal: Record<string, unknown> };
    amount.seniorPrincipal.shiftPct = [
      { fromPeriod: 1, pct: 100 },
      { fromPeriod: 61, pct: 70 },
      { fromPeriod: 73, pct: 60 },
    ];
    amount.seniorPrincipal.whenBlocked = 'noReduction';
    const at73 = (cumulativeLoss: number, seniorShifts?: Record<string, bigint>) => {
      const { deal, state } = setUp(stepping, 73, $(100000), { A: $(40000), B: $(10000) });
      state.cumulativeLoss = $(cumulativeLoss);
      if (seniorShifts) state.seniorShifts = seniorShifts;
      const pool = poolPeriod(73, {
        poolBalanceBegin: $(50000),
        scheduledPrincipal: $(500),
        prepayments: $(1000),
        poolBalanceEnd: $(48500),
      });
      return runPeriod(deal, state, pool);
    };
    const seventy = 70n * PCT_SCALE;
    // Losses $3,600 > 35% x 10,000: the step-down test fails, so the shift stays at last period's
    // 70%: prepayment % = 80% + 70% x 20% = 94%; 80% x 500 + 94% x 1,000 = $1,340.
    const held = at73(3600, { A: seventy });
    expect(held.summary.triggers.stepdown).toBe(true);
    expect(principalPaid(held, 'A')).toBe($(1340));
    expect(held.next.seniorShifts).toEqual({ A: seventy });
    // Losses $3,400: the step-down test is met (the two-times test is not, above 30%): the
    // scheduled 60%: 80% + 60% x 20% = 92%; 400 + 920 = $1,320.
    const stepped = at73(3400, { A: seventy });
    expect(principalPaid(stepped, 'A')).toBe($(1320));
    expect(stepped.next.seniorShifts).toEqual({ A: 60n * PCT_SCALE });
    // The held shift survives the JSON state.
    expect(serializeDealState(held.next).seniorShifts).toEqual({ A: '70.0000000000' });
    expect(parseDealState(serializeDealState(held.next)).seniorShifts).toEqual({ A: seventy });
  });

  it('the step-down test follows its schedule of loss limits by month', () => {
    // 30% x 10,000 = $3,000 through month 72: $3,000 is not above it; $3,000.01 is.
    expect(run(61, 3000, [], 0).summary.triggers.stepdown).toBe(false);
    expect(run(61, 3000.01, [], 0).summary.triggers.stepdown).toBe(true);
    // 35% = $3,500 from month 73.
    expect(run(73, 3400, [], 0).summary.triggers.stepdown).toBe(false);
  });
});

describe('multi-group deal with cross-collateralization', () => {
  // G1: begin 44,000, interest 200, scheduled 200, prepaid 300, ends 43,500 (1A1 at 45,000 is
  // already above it). G2: begin 52,000, interest 250, scheduled 500, prepaid 4,500, ends 47,000.
  const g1 = group('G1', {
    poolBalanceBegin: $(44000),
    interest: $(200),
    scheduledPrincipal: $(200),
    prepayments: $(300),
    poolBalanceEnd: $(43500),
  });
  const g2 = group('G2', {
    poolBalanceBegin: $(52000),
    interest: $(250),
    scheduledPrincipal: $(500),
    prepayments: $(4500),
    poolBalanceEnd: $(47000),
  });
  const pool = poolOfGroups(70, [g1, g2]);
  const doc = {
    name: 'two groups',
    collateralGroups: [{ id: 'G1' }, { id: 'G2' }],
    classes: [
      { id: '1A1', balance: 45000, coupon: 6 },
      { id: '2A1', balance: 40000, coupon: 6 },
      { id: 'B', balance: 10000, coupon: 6 },
      { id: 'R', residual: true },
    ],
    waterfall: [
      { payInterest: ['1A1'], from: ['interest.G1'] },
      {
        payPrincipal: '1A1',
        amount: { seniorPrincipal: { seniors: ['1A1'], group: 'G1', shiftPct: 100 } },
        from: ['principal.G1'],
      },
      { payInterest: ['2A1'], from: ['interest.G2'] },
      {
        payPrincipal: '2A1',
        amount: { seniorPrincipal: { seniors: ['2A1'], group: 'G2', shiftPct: 0 } },
        from: ['principal.G2'],
      },
      { payInterest: ['1A1'], from: ['interest', 'principal'] },
      {
        payPrincipal: '1A1',
        amount: { undercollateralization: { group: 'G1', seniors: ['1A1'] } },
        from: ['principal', 'interest'],
      },
      { payInterest: ['B'], from: ['interest', 'principal'] },
      { payPrincipal: 'B' },
    ],
    losses: { writedownOrder: ['B', '2A1', '1A1'] },
  };
  const { deal, state } = setUp(doc, 70, $(100000), { '1A1': $(45000), '2A1': $(40000), B: $(10000) });
  state.groupOriginalBalances = { G1: $(50000), G2: $(50000) };
  const r = runPeriod(deal, state, pool);
  const row = (id: string) => r.classes.find((c) => c.classId === id);

  it("pays each group's seniors from that group's collections", () => {
    // 1A1: interest due 6%/12 x 45,000 = $225, G1 has $200. Senior % capped at 100%:
    // 200 + 300 = $500 of principal.
    // 2A1: interest $200 from G2's $250. Senior % = 40,000 / 52,000, shift 0:
    // 500 x 40/52 = 384.615.. -> 384.62; 4,500 x 40/52 = 3,461.538.. -> 3,461.54; $3,846.16.
    expect(row('2A1')?.interestPaid).toBe($(200));
    expect(row('2A1')?.principalPaid).toBe($(3846.16));
  });

  it("covers the undercollateralized group's interest shortfall and principal from the other group", () => {
    // 1A1's $25 shortfall from G2's interest left ($50 -> $25). After its $500 1A1 is $44,500,
    // $1,000 above G1's $43,500: G2's remaining principal 5,000 - 3,846.16 = $1,153.84 pays it.
    expect(row('1A1')?.interestPaid).toBe($(225));
    expect(row('1A1')?.principalPaid).toBe($(1500));
    expect(row('1A1')?.endBalance).toBe($(43500));
  });

  it('pays the shared subordinates from what all groups have left', () => {
    // B: interest due $50 from the available funds of both groups, interest first: $25 of G2's
    // interest and $25 of its principal; principal 1,153.84 - 1,000 - 25 = $128.84. The notes
    // (43,500 + 36,153.84 + 9,871.16 = 89,525) stay below the pool ($90,500): no write-down.
    expect(row('B')?.interestPaid).toBe($(50));
    expect(row('B')?.principalPaid).toBe($(128.84));
    expect(row('B')?.writedown).toBe(0n);
    expect(r.summary.residual).toBe(0n);
    expect(r.summary.cashIn).toBe(r.summary.cashOut);
  });

  // The same period from a servicer report with per-group collections (actual-period mode).
  const groupReport = (g: GroupPeriod) => ({
    id: g.id,
    poolBalanceBegin: formatMinor(g.poolBalanceBegin),
    interestCollected: formatMinor(g.interest),
    scheduledPrincipal: formatMinor(g.scheduledPrincipal),
    prepayments: formatMinor(g.prepayments),
    poolBalanceEnd: formatMinor(g.poolBalanceEnd),
  });
  const report = {
    period: 70,
    poolBalanceBegin: '96000.00',
    interestCollected: '450.00',
    scheduledPrincipal: '700.00',
    prepayments: '4800.00',
    poolBalanceEnd: '90500.00',
    groups: [groupReport(g1), groupReport(g2)],
  };

  it("actual-period mode pays the same from a report with each group's collections", () => {
    const actual = runActualPeriod({ rules: doc as never, state, report });
    for (const row of r.classes) {
      const same = actual.classes.find((c) => c.classId === row.classId);
      expect(same?.principalPaid).toBe(row.principalPaid);
      expect(same?.interestPaid).toBe(row.interestPaid);
    }
  });

  it('actual-period mode rejects a grouped report that is missing a group or does not add up', () => {
    expect(() =>
      runActualPeriod({ rules: doc as never, state, report: { ...report, groups: [groupReport(g1)] } }),
    ).toThrow('report.groups: expected one entry for each collateral group: "G1", "G2"');
    const off = { ...groupReport(g2), prepayments: '4400.00', poolBalanceEnd: '47100.00' };
    expect(() =>
      runActualPeriod({ rules: doc as never, state, report: { ...report, groups: [groupReport(g1), off] } }),
    ).toThrow("report.prepayments: the groups' prepayments add up to 4700.00");
  });
});

describe('the prime examples projected from loans', () => {
  it("ratio-strip.json: PO takes 1/11 of the 5.00% loan's principal, AX 1% on the 6.50% loan", () => {
    // Discount loan: $11mm net 5.00% -> PO fraction (5.5 - 5) / 5.5 = 1/11 ($1mm = the PO class).
    // Premium loan: $89mm net 6.50% -> excess interest (6.5 - 5.5)% x balance / 12.
    const discount = passThrough({ balance: 11e6, wac: 0.0525, net: 0.05, wam: 360, wala: 0, psa: 150 });
    const premium = passThrough({ balance: 89e6, wac: 0.0675, net: 0.065, wam: 360, wala: 0, psa: 150 });
    const r = projectDeal({
      collateral: {
        loans: [
          { balance: 11e6, couponPct: 5.25, servicingFeePct: 0.25, originalTerm: 360, remainingTerm: 360 },
          { balance: 89e6, couponPct: 6.75, servicingFeePct: 0.25, originalTerm: 360, remainingTerm: 360 },
        ],
      },
      rules: load('ratio-strip.json') as never,
      scenario: { prepayment: { type: 'PSA', speed: 150 } },
    });
    const po = principalOf(r, 'PO');
    const ax = classOf(r, 'AX').rows.map((x) => Number(x.interestPaid) / 100);
    const a1 = principalOf(r, 'A1');
    let a = 70e6 + 23.1e6;
    for (let n = 1; n <= 24; n++) {
      expect(po[n]).toBeCloseTo((discount.principal[n] ?? 0) / 11, 1);
      expect(ax[n - 1]).toBeCloseTo(((premium.begin[n] ?? 0) * 0.01) / 12, 1);
      // Seniors: senior % of the non-PO scheduled principal + 100% of the non-PO prepayments.
      const nonPoBegin = ((discount.begin[n] ?? 0) * 10) / 11 + (premium.begin[n] ?? 0);
      const sched = ((discount.scheduled[n] ?? 0) * 10) / 11 + (premium.scheduled[n] ?? 0);
      const prepaid = ((discount.prepaid[n] ?? 0) * 10) / 11 + (premium.prepaid[n] ?? 0);
      const senior = (a / nonPoBegin) * sched + prepaid;
      expect(Math.abs((a1[n] ?? 0) - senior)).toBeLessThan(0.05);
      a -= senior;
    }
    expect(classOf(r, 'AX').rows[0]?.beginBalance).toBe(89_000_000_00n);
  });

  it('ratio-strip.json under defaults: the PO is written down by 1/11 of the discount loan losses', () => {
    const discount = {
      balance: 11e6,
      couponPct: 5.25,
      servicingFeePct: 0.25,
      originalTerm: 360,
      remainingTerm: 360,
    };
    const premium = { ...discount, balance: 89e6, couponPct: 6.75 };
    const scenario = {
      prepayment: { type: 'PSA', speed: 150 },
      default: { type: 'CDR', cdr: 1 },
      severityPct: 30,
      recoveryLagMonths: 6,
    } as const;
    const r = projectDeal({
      collateral: { loans: [discount, premium] },
      rules: load('ratio-strip.json') as never,
      scenario,
    });
    for (const p of r.periods) expect(p.cashIn).toBe(p.cashOut);
    // The discount loan on its own: its realized losses; the PO Fraction of them is the PO loss.
    const alone = projectCollateral(
      buildLoanBook(parseCollateral({ loans: [discount] })),
      parseScenario(scenario),
    );
    const discountLosses = alone.losses.reduce((t, x) => t + x, 0);
    expect(discountLosses).toBeGreaterThan(100000);
    expect(Number(classOf(r, 'PO').totalWritedown) / 100).toBeCloseTo(discountLosses / 11, 0);
    // Losses stay within the $5.9mm of subordinates, so the PO is repaid its deferred amount from
    // the subordinates' principal: it collects its whole $1mm in cash and the subordinates absorb
    // the PO losses.
    expect(classOf(r, 'B2').totalWritedown).toBeGreaterThan(0n);
    expect(Number(classOf(r, 'PO').totalPrincipal) / 100).toBeCloseTo(1e6 - discountLosses / 11, 0);
    const reimbursed = classOf(r, 'PO').rows.reduce((t, x) => t + x.writedownReimbursed, 0n);
    expect(Number(classOf(r, 'PO').totalPrincipal + reimbursed) / 100).toBeCloseTo(1e6, 0);
  });

  it('nas-priority.json: A4 gets its NAS priority amount from month 61, worked from the pass-through', () => {
    const pt = passThrough({ balance: 100e6, wac: 0.06, net: 0.0575, wam: 360, wala: 0, psa: 250 });
    const r = projectDeal({
      collateral: {
        loans: [
          { balance: 100e6, couponPct: 6, servicingFeePct: 0.25, originalTerm: 360, remainingTerm: 360 },
        ],
      },
      rules: load('nas-priority.json') as never,
      scenario: { prepayment: { type: 'PSA', speed: 250 } },
    });
    // Seniors: senior % of scheduled principal + senior prepayment % of prepayments, where the
    // prepayment % is 100% for 60 months, then senior % + 70/60/40/20% of the rest, then senior %
    // (100% whenever the senior % is above its original 94.5%). Within it A4 first takes
    // A4/pool x shift x scheduled + A4/pool x prepayment shift x prepaid (0% to month 60, then
    // 30/40/60/80/100%, prepayments 300% from month 121), then A1-A3 in turn, then A4.
    const shift = (n: number) =>
      n <= 60 ? 1 : n <= 72 ? 0.7 : n <= 84 ? 0.6 : n <= 96 ? 0.4 : n <= 108 ? 0.2 : 0;
    const nasShift = (n: number) =>
      n <= 60 ? 0 : n <= 72 ? 0.3 : n <= 84 ? 0.4 : n <= 96 ? 0.6 : n <= 108 ? 0.8 : 1;
    const nasPrepayShift = (n: number) => (n > 120 ? 3 : nasShift(n));
    const bal = { A1: 55e6, A2: 20e6, A3: 10e6, A4: 9.5e6 };
    const a4: number[] = [0];
    for (let n = 1; n <= 150; n++) {
      const pool = pt.begin[n] ?? 0;
      const seniors = bal.A1 + bal.A2 + bal.A3 + bal.A4;
      const pct = Math.min(1, seniors / pool);
      const prepPct = pct > 0.945 + 1e-12 ? 1 : pct + shift(n) * (1 - pct);
      let left = Math.min(seniors, pct * (pt.scheduled[n] ?? 0) + prepPct * (pt.prepaid[n] ?? 0));
      const nas =
        (bal.A4 / pool) * (nasShift(n) * (pt.scheduled[n] ?? 0) + nasPrepayShift(n) * (pt.prepaid[n] ?? 0));
      const first = Math.min(nas, bal.A4, left);
      bal.A4 -= first;
      left -= first;
      let paid = first;
      for (const id of ['A1', 'A2', 'A3', 'A4'] as const) {
        const x = Math.min(bal[id], left);
        bal[id] -= x;
        left -= x;
        if (id === 'A4') paid += x;
      }
      a4.push(paid);
    }
    const engine = principalOf(r, 'A4');
    for (let n = 1; n <= 150; n++) expect(Math.abs((engine[n] ?? 0) - (a4[n] ?? 0))).toBeLessThan(1);
    expect(engine.slice(1, 61).every((x) => x === 0)).toBe(true);
    expect(engine[61]).toBeGreaterThan(0);
  });

  it("multi-group.json: each group's seniors take their group's principal", () => {
    const g1 = passThrough({ balance: 64e6, wac: 0.065, net: 0.0625, wam: 360, wala: 0, psa: 200 });
    const g2 = passThrough({ balance: 36e6, wac: 0.0575, net: 0.055, wam: 180, wala: 0, psa: 200 });
    const r = projectDeal({
      collateral: {
        loans: [
          { balance: 64e6, couponPct: 6.5, servicingFeePct: 0.25, originalTerm: 360, remainingTerm: 360 },
          {
            group: 'G2',
            balance: 36e6,
            couponPct: 5.75,
            servicingFeePct: 0.25,
            originalTerm: 180,
            remainingTerm: 180,
          },
        ],
      },
      rules: load('multi-group.json') as never,
      scenario: { prepayment: { type: 'PSA', speed: 200 } },
    });
    const a1 = principalOf(r, '1A1');
    const a2 = principalOf(r, '2A1');
    let s1 = 60.5e6;
    let s2 = 33.2e6;
    for (let n = 1; n <= 24; n++) {
      // Months 1-60: senior % of the group's scheduled principal + all of its prepayments.
      const p1 = (s1 / (g1.begin[n] ?? 1)) * (g1.scheduled[n] ?? 0) + (g1.prepaid[n] ?? 0);
      const p2 = (s2 / (g2.begin[n] ?? 1)) * (g2.scheduled[n] ?? 0) + (g2.prepaid[n] ?? 0);
      expect(Math.abs((a1[n] ?? 0) - p1)).toBeLessThan(0.05);
      expect(Math.abs((a2[n] ?? 0) - p2)).toBeLessThan(0.05);
      s1 -= p1;
      s2 -= p2;
    }
    for (const p of r.periods) expect(p.cashIn).toBe(p.cashOut);
    // The groups' closing balances survive the JSON state (what a projection from it compares with).
    const state = parseDealState(serializeDealState(r.finalState));
    expect(state.groupOriginalBalances).toEqual({ G1: 64_000_000_00n, G2: 36_000_000_00n });
    // The JSON form carries each group's collections.
    const json = serializeProjection(r);
    expect(json.periods[0]?.pool.groups?.map((g) => g.id)).toEqual(['G1', 'G2']);
    expect(json.periods[0]?.pool.groups?.[1]?.poolBalanceBegin).toBe('36000000.00');
  });

  it('a clean-up call buys every group: the PO and the seniors of both groups are retired', () => {
    const r = projectDeal({
      collateral: {
        loans: [
          { balance: 6e6, couponPct: 5.25, servicingFeePct: 0.25, originalTerm: 360, remainingTerm: 360 },
          { balance: 58e6, couponPct: 6.75, servicingFeePct: 0.25, originalTerm: 360, remainingTerm: 360 },
          {
            group: 'G2',
            balance: 36e6,
            couponPct: 5.75,
            servicingFeePct: 0.25,
            originalTerm: 180,
            remainingTerm: 180,
          },
        ],
      },
      rules: load('multi-group.json') as never,
      scenario: { prepayment: { type: 'PSA', speed: 300 }, cleanUpCallPct: 10 },
    });
    for (const p of r.periods) expect(p.cashIn).toBe(p.cashOut);
    for (const c of r.classes) expect(c.finalBalance).toBe(0n);
    const last = r.periods.at(-1);
    // The call is the first period the pool is at or below 10% of $100mm.
    expect(last?.pool.poolBalanceBegin ?? 0n).toBeGreaterThan(10_000_000_00n);
    expect(last?.pool.groups?.every((g) => g.poolBalanceEnd === 0n)).toBe(true);
  });

  it('rejects a loan in a group the rule document does not declare', () => {
    expect(() =>
      projectDeal({
        collateral: {
          loans: [{ group: 'G9', balance: 1e6, couponPct: 6, originalTerm: 360, remainingTerm: 360 }],
        },
        rules: load('multi-group.json') as never,
        scenario: {},
      }),
    ).toThrow('collateral.loans[0].group: unknown collateral group "G9"');
  });
});
