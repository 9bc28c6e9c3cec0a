import { rateToPct } from './coupons.js';
import { formatDate } from './dates.js';
import type { DealState } from './deal-state.js';
import { cashInterest, type ClassLedger, type PeriodContext } from './period-context.js';
import type { PoolPeriod } from './pool.js';

/*
 * What a waterfall period returns: a row per class, the pool-level summary and the deal state
 * to start the next period from, read off the period's ledgers once the cash has reconciled.
 */

/** One class in one period. Money in minor units. */
export interface ClassPeriod {
  classId: string;
  period: number;
  beginBalance: bigint;
  /** Current interest plus unpaid interest carried from earlier periods. */
  interestDue: bigint;
  /** Interest paid in cash (for an accrual class: only what was not accreted). */
  interestPaid: bigint;
  /** Unpaid interest carried forward. */
  interestShortfall: bigint;
  /** Net-WAC-cap carryover paid this period (included in interestPaid) and still unpaid after it. */
  capCarryoverPaid: bigint;
  capCarryover: bigint;
  /** Earlier write-downs repaid this period (cash, not principal) and still unrepaid after it. */
  writedownReimbursed: bigint;
  unpaidWritedown: bigint;
  /** Interest added to the balance of an accrual (Z) class. */
  accreted: bigint;
  principalPaid: bigint;
  writedown: bigint;
  endBalance: bigint;
  /** Annual coupon used this period, percent (for reporting). */
  couponPct: number;
}

/** Pool-level results of one period. */
export interface PeriodSummary {
  period: number;
  paymentDate: string | undefined;
  pool: PoolPeriod;
  feesPaid: Record<string, bigint>;
  feeShortfalls: Record<string, bigint>;
  triggers: Record<string, boolean>;
  accounts: Record<string, bigint>;
  residual: bigint;
  /**
   * Net interest collections less fees paid and class interest paid in cash (cap carryover
   * included) or accreted.
   */
  excessSpread: bigint;
  cashIn: bigint;
  cashOut: bigint;
}

export interface PeriodResult {
  summary: PeriodSummary;
  classes: ClassPeriod[];
  next: DealState;
}

/** The residual class's row: it is paid what was left, as interest, and has no balance. */
function residualRow(classId: string, period: number, residual: bigint): ClassPeriod {
  return {
    classId,
    period,
    beginBalance: 0n,
    interestDue: 0n,
    interestPaid: residual,
    interestShortfall: 0n,
    capCarryoverPaid: 0n,
    capCarryover: 0n,
    writedownReimbursed: 0n,
    unpaidWritedown: 0n,
    accreted: 0n,
    principalPaid: 0n,
    writedown: 0n,
    endBalance: 0n,
    couponPct: 0,
  };
}

/**
 * A class's row. What it carries into the next period (shortfall, carryover, unreimbursed
 * write-downs) is taken from the next state, already worked out there, not computed twice.
 */
function classRow(ledger: ClassLedger, period: number, carried: DealState['classes'][string]): ClassPeriod {
  return {
    classId: ledger.compiled.id,
    period,
    beginBalance: ledger.beginBalance,
    interestDue: ledger.interestDue,
    interestPaid: cashInterest(ledger),
    interestShortfall: carried.interestShortfall,
    capCarryoverPaid: ledger.capCarryoverPaid,
    capCarryover: carried.capCarryover ?? 0n,
    writedownReimbursed: ledger.writedownReimbursed,
    unpaidWritedown: carried.unpaidWritedown ?? 0n,
    accreted: ledger.accreted,
    principalPaid: ledger.principalPaid,
    writedown: ledger.writedown,
    endBalance: ledger.balance,
    couponPct: rateToPct(ledger.rate),
  };
}

/** Each class's row for the period, in the document's class order; `next` is the period's next state. */
export function classRows(ctx: PeriodContext, residual: bigint, next: DealState): ClassPeriod[] {
  return ctx.deal.classes.map((c) => {
    const ledger = ctx.ledgers.get(c.id);
    const carried = next.classes[c.id];
    return ledger && carried
      ? classRow(ledger, ctx.period, carried)
      : residualRow(c.id, ctx.period, residual);
  });
}

/** What each class carries into the next period: balance, interest shortfall, carryover, write-downs. */
function nextClassStates(ctx: PeriodContext): DealState['classes'] {
  const next: DealState['classes'] = {};
  for (const c of ctx.deal.classes) {
    const ledger = ctx.ledgers.get(c.id);
    next[c.id] = ledger
      ? {
          balance: ledger.balance,
          interestShortfall: ledger.interestDue - ledger.interestPaid,
          capCarryover: ledger.capCarryover - ledger.capCarryoverPaid,
          unpaidWritedown: ledger.unpaidWritedown - ledger.writedownReimbursed + ledger.writedown,
        }
      : { balance: 0n, interestShortfall: 0n };
  }
  return next;
}

function feeShortfalls(ctx: PeriodContext): Record<string, bigint> {
  const shortfalls: Record<string, bigint> = {};
  for (const f of ctx.deal.fees) shortfalls[f.id] = ctx.feesDue.get(f.id) ?? 0n;
  return shortfalls;
}

function triggerStates(ctx: PeriodContext): Record<string, boolean> {
  const states: Record<string, boolean> = {};
  for (const t of ctx.deal.triggers) states[t.id] = ctx.triggers.get(t.id) === true;
  return states;
}

/** The period's cash totals from the conservation check. */
export interface CashTotals {
  cashIn: bigint;
  cashOut: bigint;
  /** Class interest paid in cash, all classes. */
  classInterestCash: bigint;
  /** Reserve account balances at the end of the period. */
  accounts: Record<string, bigint>;
}

/** Groups' closing balances: kept from the state, or taken from the first grouped period. */
function groupOriginals(state: DealState, pool: PoolPeriod): Pick<DealState, 'groupOriginalBalances'> {
  if (state.groupOriginalBalances) return { groupOriginalBalances: state.groupOriginalBalances };
  if (!pool.groups) return {};
  const balances: Record<string, bigint> = {};
  for (const g of pool.groups) balances[g.id] = g.poolBalanceBegin;
  return { groupOriginalBalances: balances };
}

/** The deal's state after the period; its fee shortfalls, accounts and triggers are the summary's. */
export function nextDealState(ctx: PeriodContext, accounts: Record<string, bigint>): DealState {
  const { state, pool } = ctx;
  return {
    period: ctx.period,
    originalPoolBalance: state.originalPoolBalance,
    classes: nextClassStates(ctx),
    feeShortfalls: feeShortfalls(ctx),
    accounts,
    triggers: triggerStates(ctx),
    cumulativeLoss: state.cumulativeLoss + pool.realizedLosses,
    ...groupOriginals(state, pool),
    ...(ctx.seniorShifts.size > 0
      ? { seniorShifts: { ...state.seniorShifts, ...Object.fromEntries(ctx.seniorShifts) } }
      : state.seniorShifts
        ? { seniorShifts: state.seniorShifts }
        : {}),
    // Twelve months kept: the most a rolling delinquency test averages over.
    delinquencyHistory: [
      ...state.delinquencyHistory,
      { delinquent: pool.delinquent60Plus, pool: pool.poolBalanceEnd },
    ].slice(-12),
  };
}

/** The pool-level summary of the period (fees, triggers, accounts, residual, excess spread, cash). */
export function periodSummary(
  ctx: PeriodContext,
  residual: bigint,
  cash: CashTotals,
  next: DealState,
): PeriodSummary {
  const pool = ctx.pool;
  let feeTotal = 0n;
  for (const v of Object.values(ctx.feesPaid)) feeTotal += v;
  let accretedTotal = 0n;
  for (const ledger of ctx.ledgerList) accretedTotal += ledger.accreted;
  const paymentDate = ctx.deal.paymentDates?.(ctx.period);
  return {
    period: ctx.period,
    paymentDate: paymentDate ? formatDate(paymentDate) : undefined,
    pool,
    feesPaid: ctx.feesPaid,
    feeShortfalls: next.feeShortfalls,
    triggers: next.triggers,
    accounts: next.accounts,
    residual,
    excessSpread: pool.interest - feeTotal - cash.classInterestCash - accretedTotal,
    cashIn: cash.cashIn,
    cashOut: cash.cashOut,
  };
}
