import type { CompiledClass, CompiledDeal, Rate } from './compile.js';
import type { DealState } from './deal-state.js';
import { divRound, minBig, WHOLE } from './money.js';
import type { PoolPeriod } from './pool.js';

/*
 * The working state of one waterfall period: each class's ledger, the funds cash is paid from,
 * fees owed and paid, trigger states. Built by `runPeriod`, changed by the step handlers, read
 * back into the period's result. Money in minor units.
 */

/** One class's running account for the period; steps pay into it, the result is read from it. */
export interface ClassLedger {
  compiled: CompiledClass;
  /** Interest-only class: its balance is a notional and it is never paid principal. */
  isNotional: boolean;
  beginBalance: bigint;
  balance: bigint;
  /** Current interest after the net-WAC cap (what the interest-coverage trigger compares with). */
  currentInterest: bigint;
  /** Current interest plus carried shortfall (and interest on it when the class bears it). */
  interestDue: bigint;
  /** Interest settled, in cash or by accretion (an accrual class's accreted interest counts). */
  interestPaid: bigint;
  accreted: bigint;
  principalPaid: bigint;
  writedown: bigint;
  rate: Rate;
  /** Net-WAC-cap carryover owed (prior unpaid + this period's excess) and paid. */
  capCarryover: bigint;
  capCarryoverPaid: bigint;
  /** Write-downs of earlier periods not yet reimbursed, and reimbursed now. */
  unpaidWritedown: bigint;
  writedownReimbursed: bigint;
}

export interface PeriodContext {
  deal: CompiledDeal;
  /** The period being run (1-based). */
  period: number;
  pool: PoolPeriod;
  /** The deal's state after the previous period. */
  state: DealState;
  /** Cash available by fund: `interest`, `principal` and each reserve account. */
  funds: Map<string, bigint>;
  /** Ledgers of every class but the residual, by class id. */
  ledgers: Map<string, ClassLedger>;
  /** Trigger states for the period, by trigger id. */
  triggers: Map<string, boolean>;
  feesPaid: Record<string, bigint>;
  /** What each fee is still owed this period (current + carried), by fee id. */
  feesDue: Map<string, bigint>;
}

/** Cash held in the given funds. */
export function fundsAvailable(ctx: PeriodContext, from: string[]): bigint {
  let total = 0n;
  for (const fund of from) total += ctx.funds.get(fund) ?? 0n;
  return total;
}

/** Take up to `amount` from the funds in order; returns what was taken. */
export function drawFromFunds(ctx: PeriodContext, from: string[], amount: bigint): bigint {
  let left = amount;
  for (const fund of from) {
    if (left <= 0n) break;
    const have = ctx.funds.get(fund) ?? 0n;
    const take = minBig(have, left);
    ctx.funds.set(fund, have - take);
    left -= take;
  }
  return amount - left;
}

/** Current balance of the notes (every class but notional ones; the residual has no ledger). */
export function notesBalance(ctx: PeriodContext): bigint {
  let total = 0n;
  for (const ledger of ctx.ledgers.values()) if (!ledger.isNotional) total += ledger.balance;
  return total;
}

/** Notional balance of an interest-only class: pct x the balances of the classes it references. */
export function notionalBalance(c: CompiledClass, balanceOf: (id: string) => bigint): bigint {
  if (!c.notional) return 0n;
  let total = 0n;
  for (const id of c.notional.classes) total += balanceOf(id);
  return divRound(total * c.notional.pct, WHOLE);
}

/** A class's interest paid in cash: interest settled less accreted, plus cap carryover paid. */
export function cashInterest(ledger: ClassLedger): bigint {
  return ledger.interestPaid - ledger.accreted + ledger.capCarryoverPaid;
}
