/**
 * SIFMA (formerly PSA / The Bond Market Association) standard formulas, Uniform Practices
 * chapter SF "Standard Formulas for the Analysis of Mortgage-Backed Securities". All rates here
 * are decimals (0.06 = 6%) and ages are loan ages in months, where month 1 is the first month
 * after origination (SF-5: "the first month of a loan's life is month 1").
 */

/**
 * SMM from CPR (SF-4): the single monthly mortality that compounds to the annual conditional
 * prepayment rate, SMM = 1 - (1 - CPR)^(1/12).
 */
export function smmFromCpr(cpr: number): number {
  if (cpr <= 0) return 0;
  if (cpr >= 1) return 1;
  return 1 - Math.pow(1 - cpr, 1 / 12);
}

/** CPR from SMM (SF-4), the inverse: CPR = 1 - (1 - SMM)^12. */
export function cprFromSmm(smm: number): number {
  return 1 - Math.pow(1 - smm, 12);
}

/**
 * PSA prepayment benchmark (SF-5): 100% PSA is a CPR of 0.2% in month 1 rising 0.2% a month to
 * 6% in month 30 and 6% thereafter; a speed of s% PSA multiplies that CPR by s/100, so
 * CPR = min{(s/100) x 0.2% x max{1, min{month, 30}}, 100%}, exactly as SF-5 writes it (a month
 * before the first counts as month 1).
 */
export function psaCpr(age: number, speedPct: number): number {
  const base = 0.002 * Math.max(1, Math.min(age, 30));
  return Math.min(1, (speedPct / 100) * base);
}

/**
 * Standard Default Assumption (SF-20): 100% SDA is a CDR of 0.02% in month 1 rising 0.02% a
 * month to 0.60% in month 30, flat at 0.60% through month 60, then falling 0.0095% a month to
 * 0.03% in month 120, and 0.03% thereafter. A speed of s% SDA multiplies it by s/100 (capped at
 * 100%).
 */
export function sdaCdr(age: number, speedPct: number): number {
  if (age <= 0) return 0;
  let base: number;
  if (age <= 30) base = 0.0002 * age;
  else if (age <= 60) base = 0.006;
  else if (age <= 120) base = 0.006 - 0.000095 * (age - 60);
  else base = 0.0003;
  return Math.min(1, (speedPct / 100) * base);
}

/** Monthly default rate from CDR (SF-18), the same compounding as SMM: MDR = 1 - (1 - CDR)^(1/12). */
export function mdrFromCdr(cdr: number): number {
  return smmFromCpr(cdr);
}

/**
 * Level monthly payment of a fully amortizing fixed-rate loan (SF-4 "Cash Flows"):
 * P = B * r / (1 - (1 + r)^-n), with r the monthly rate (annual/12) and n the remaining months.
 * A zero rate gives B / n.
 */
export function levelPayment(balance: number, annualRate: number, months: number): number {
  if (months <= 0) return balance;
  const r = annualRate / 12;
  if (r === 0) return balance / months;
  return (balance * r) / (1 - Math.pow(1 + r, -months));
}

/**
 * Scheduled balance factor after `k` payments of a level-payment loan with `n` months remaining
 * (SF-4): B_k / B_0 = ((1 + r)^n - (1 + r)^k) / ((1 + r)^n - 1). This is the balance with no
 * prepayment; the balance with prepayments is this factor times the survival product of (1 - SMM).
 */
export function scheduledBalanceFactor(annualRate: number, months: number, k: number): number {
  if (k >= months) return 0;
  const r = annualRate / 12;
  if (r === 0) return 1 - k / months;
  const a = Math.pow(1 + r, months);
  return (a - Math.pow(1 + r, k)) / (a - 1);
}

/**
 * Scheduled principal of a month for a level-payment loan (SF-4): the part of the level payment
 * that is not interest, which equals B * r / ((1 + r)^n - 1) for a balance B with n months left.
 */
export function scheduledPrincipal(balance: number, annualRate: number, months: number): number {
  if (months <= 1) return balance;
  const r = annualRate / 12;
  if (r === 0) return balance / months;
  return (balance * r) / (Math.pow(1 + r, months) - 1);
}
