import type { CompiledClass, CompiledDeal, Rate } from './compile.js';
import type { DealState } from './deal-state.js';
import { EngineInputError } from './errors.js';
import { divRound, maxBig, minBig, WHOLE } from './money.js';
import type { GroupPeriod, PoolPeriod } from './pool.js';

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
  /** The same ledgers in the map's order, for the loops over all of them (no iterator objects). */
  ledgerList: ClassLedger[];
  /** Trigger states for the period, by trigger id. */
  triggers: Map<string, boolean>;
  feesPaid: Record<string, bigint>;
  /** What each fee is still owed this period (current + carried), by fee id. */
  feesDue: Map<string, bigint>;
  /** Shift percentages (scaled) the senior principal amounts used this period, by senior classes. */
  seniorShifts: Map<string, bigint>;
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
  for (const ledger of ctx.ledgerList) if (!ledger.isNotional) total += ledger.balance;
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

/** One collateral group's collections; throws `EngineInputError` when the period has none (actual mode). */
export function groupPeriod(pool: PoolPeriod, id: string): GroupPeriod {
  const group = pool.groups?.find((g) => g.id === id);
  if (!group) {
    throw new EngineInputError([
      {
        path: 'pool.groups',
        message: `the rules need the collections of collateral group "${id}", which this period does not have (group collections come from projections)`,
      },
    ]);
  }
  return group;
}

/** Non-PO collections and balances (minor units): the pool's items less the PO portions. */
export interface NonPoPool {
  balanceBegin: bigint;
  balanceEnd: bigint;
  scheduledPrincipal: bigint;
  prepayments: bigint;
  recoveries: bigint;
  realizedLosses: bigint;
  delinquent60Plus: bigint;
}

/**
 * Non-PO collections and balances of a group, or of the whole pool when `group` is undefined:
 * the items less the PO portions of ratio-stripped groups; without strips, the items themselves.
 * What senior percentages, the NAS percentage and the two-times test are taken against (the
 * prospectus "Non-PO Pool Balance"). Throws `EngineInputError` for a group the period lacks.
 */
export function nonPoPool(pool: PoolPeriod, group?: string): NonPoPool {
  const groups = group === undefined ? (pool.groups ?? []) : [groupPeriod(pool, group)];
  const whole = group === undefined ? pool : groups[0];
  const view: NonPoPool = {
    balanceBegin: whole?.poolBalanceBegin ?? 0n,
    balanceEnd: whole?.poolBalanceEnd ?? 0n,
    scheduledPrincipal: whole?.scheduledPrincipal ?? 0n,
    prepayments: whole?.prepayments ?? 0n,
    recoveries: whole?.recoveries ?? 0n,
    realizedLosses: whole?.realizedLosses ?? 0n,
    delinquent60Plus: whole?.delinquent60Plus ?? 0n,
  };
  for (const g of groups) {
    view.balanceBegin = maxBig(0n, view.balanceBegin - g.po.balanceBegin);
    view.balanceEnd = maxBig(0n, view.balanceEnd - g.po.balanceEnd);
    view.scheduledPrincipal = maxBig(0n, view.scheduledPrincipal - g.po.scheduledPrincipal);
    view.prepayments = maxBig(0n, view.prepayments - g.po.prepayments);
    view.recoveries = maxBig(0n, view.recoveries - g.po.recoveries);
    view.realizedLosses = maxBig(0n, view.realizedLosses - g.po.realizedLosses);
  }
  return view;
}

/**
 * Original non-PO pool balance (of a group, or the whole pool): the original pool balance less
 * the original balances of the PO classes (a ratio-stripped PO class starts at its group's PO
 * balance). For a group, its balance at closing comes from the first period's collections.
 */
export function originalNonPoBalance(ctx: PeriodContext, group?: string): bigint {
  let po = 0n;
  for (const c of ctx.deal.classes) {
    if (c.def.ratioStrip?.part === 'PO' && (group === undefined || c.def.ratioStrip.group === group))
      po += c.originalBalance;
  }
  const original = group === undefined ? ctx.state.originalPoolBalance : groupOriginalBalance(ctx, group);
  return maxBig(0n, original - po);
}

/** A group's balance at closing (recorded in the deal state at its first period). */
function groupOriginalBalance(ctx: PeriodContext, group: string): bigint {
  return ctx.state.groupOriginalBalances?.[group] ?? groupPeriod(ctx.pool, group).poolBalanceBegin;
}
