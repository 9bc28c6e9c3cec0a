import type { CompiledDeal } from './compile.js';

/** A deal's state between periods: what actual-period mode starts from and returns. */
export interface DealState {
  /** Last completed period (0 at closing). */
  period: number;
  originalPoolBalance: bigint;
  /**
   * Per class: balance, unpaid interest, unpaid net-WAC-cap carryover and write-downs not yet
   * reimbursed (the last two absent for the residual class, at closing and, in the JSON form, when
   * zero).
   */
  classes: Record<
    string,
    { balance: bigint; interestShortfall: bigint; capCarryover?: bigint; unpaidWritedown?: bigint }
  >;
  feeShortfalls: Record<string, bigint>;
  accounts: Record<string, bigint>;
  /** Trigger states after the last period (sticky triggers stay breached). */
  triggers: Record<string, boolean>;
  cumulativeLoss: bigint;
  /** Recent (60+ delinquent, pool balance) pairs, newest last, for rolling delinquency tests. */
  delinquencyHistory: { delinquent: bigint; pool: bigint }[];
  /** Each collateral group's balance at closing (multi-group projections; set after period 1). */
  groupOriginalBalances?: Record<string, bigint>;
  /**
   * Shift percentage (scaled) each shifting-interest senior principal amount used last period,
   * keyed by its senior classes joined with ","; what `whenBlocked: "noReduction"` holds to.
   */
  seniorShifts?: Record<string, bigint>;
}

/** The state at closing: document balances, accounts at their initial deposits, nothing owed. */
export function initialDealState(deal: CompiledDeal, originalPoolBalance: bigint): DealState {
  const classes: DealState['classes'] = {};
  for (const c of deal.classes) classes[c.id] = { balance: c.originalBalance, interestShortfall: 0n };
  const feeShortfalls: Record<string, bigint> = {};
  for (const f of deal.fees) feeShortfalls[f.id] = 0n;
  const accounts: Record<string, bigint> = {};
  for (const a of deal.accounts) accounts[a.id] = a.initial;
  const triggers: Record<string, boolean> = {};
  for (const t of deal.triggers) triggers[t.id] = false;
  return {
    period: 0,
    originalPoolBalance,
    classes,
    feeShortfalls,
    accounts,
    triggers,
    cumulativeLoss: 0n,
    delinquencyHistory: [],
  };
}
