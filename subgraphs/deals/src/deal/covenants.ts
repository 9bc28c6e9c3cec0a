/**
 * A deal's collateral covenants: the thresholds its pool must meet, part of the deal's terms (set
 * while PROPOSED, frozen by the review's approval), proven by pool attestations against the anchored
 * loan tape and registered in DealRegistry, whose verifier checks every proof against them. They are
 * the three statements the attestation circuit proves:
 *
 * - delinquency: loans at least `delinquencyDays` days delinquent hold at most `maxDelinquencyBps`
 *   of the pool's current balance;
 * - weighted-average LTV (by current balance) at most `maxWaLtvBps`;
 * - the pool's current balance at least `minBalance` (minor units).
 */
export interface Covenants {
  /** Max share of pool balance, bps, of loans at least `delinquencyDays` late (0–10,000). */
  maxDelinquencyBps: number;
  /** The delinquency bucket, days (1–9,999; 60 means "60+ days"). */
  delinquencyDays: number;
  /** Max balance-weighted average LTV, bps (1–20,000: a tape's LTVs are 0–200 %). */
  maxWaLtvBps: number;
  /** Min total current balance of the pool, minor units (0–10^17). */
  minBalance: bigint;
}

/** Changes to covenants: a field given (not null) replaces the deal's. */
export type CovenantChanges = { [K in keyof Covenants]?: Covenants[K] | null };

/** How covenants are stored (the deal's `covenants` column): JSON, the balance as a decimal string. */
export interface StoredCovenants {
  maxDelinquencyBps: number;
  delinquencyDays: number;
  maxWaLtvBps: number;
  minBalance: string;
}

/**
 * The covenants a deal has until its arranger sets others: at most 5 % of the balance 60+ days
 * delinquent, a weighted-average LTV of at most 80 %, and no minimum balance. (Typical of prime
 * RMBS; the deal's offering documents decide the real ones.)
 */
export const DEFAULT_COVENANTS: StoredCovenants = {
  maxDelinquencyBps: 500,
  delinquencyDays: 60,
  maxWaLtvBps: 8000,
  minBalance: '0',
};

/** The largest minimum balance, minor units (the platform's bound on amounts). */
const MAX_MIN_BALANCE = 10n ** 17n;

/** Stored covenants as domain values (a missing field takes its default). */
export function covenantsOf(stored: Partial<StoredCovenants> | null | undefined): Covenants {
  const s = { ...DEFAULT_COVENANTS, ...(stored ?? {}) };
  return {
    maxDelinquencyBps: s.maxDelinquencyBps,
    delinquencyDays: s.delinquencyDays,
    maxWaLtvBps: s.maxWaLtvBps,
    minBalance: BigInt(s.minBalance),
  };
}

/** Domain covenants as stored. */
export function storedCovenants(c: Covenants): StoredCovenants {
  return {
    maxDelinquencyBps: c.maxDelinquencyBps,
    delinquencyDays: c.delinquencyDays,
    maxWaLtvBps: c.maxWaLtvBps,
    minBalance: c.minBalance.toString(),
  };
}

/**
 * The field errors of a set of covenants, keyed `covenants.<field>`: the ranges the circuit and
 * DealRegistry accept (DealRegistry refuses more than 10,000 bps delinquent and a zero-day bucket).
 */
export function validateCovenants(c: Covenants): Record<string, string> {
  const fields: Record<string, string> = {};
  const whole = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;
  if (!whole(c.maxDelinquencyBps, 0, 10_000))
    fields['covenants.maxDelinquencyBps'] = 'basis points of pool balance, 0–10,000';
  if (!whole(c.delinquencyDays, 1, 9_999)) fields['covenants.delinquencyDays'] = 'whole days, 1–9,999';
  if (!whole(c.maxWaLtvBps, 1, 20_000)) fields['covenants.maxWaLtvBps'] = 'basis points of LTV, 1–20,000';
  if (c.minBalance < 0n || c.minBalance > MAX_MIN_BALANCE)
    fields['covenants.minBalance'] = 'minor units, 0–10^17';
  return fields;
}
