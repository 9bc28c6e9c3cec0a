/*
 * Independent reference models for the structure tests. They are written from the SIFMA
 * formulas and the deal rules directly, in plain floating point, sharing no code with the
 * engine: a pass-through's monthly cash flows and hand-rolled allocations of its principal.
 */

export interface PassThrough {
  months: number;
  /** Net interest (at the pass-through coupon) per month, index 0 unused. */
  interest: number[];
  /** Principal (scheduled + prepaid) per month. */
  principal: number[];
  scheduled: number[];
  prepaid: number[];
  begin: number[];
}

/**
 * A level-payment pass-through: balance B, gross WAC, net coupon, WAM months remaining, WALA
 * months of age, prepaying at a PSA speed. Month n: payment P = B r / (1 - (1 + r)^-(WAM - n + 1)),
 * scheduled principal = P - B r, CPR = speed/100 x 6% x min(WALA + n, 30)/30,
 * SMM = 1 - (1 - CPR)^(1/12), prepayment = SMM x (B - scheduled).
 */
export function passThrough(o: {
  balance: number;
  wac: number;
  net: number;
  wam: number;
  wala: number;
  psa: number;
}): PassThrough {
  const r = o.wac / 12;
  const out: PassThrough = {
    months: o.wam,
    interest: [0],
    principal: [0],
    scheduled: [0],
    prepaid: [0],
    begin: [0],
  };
  let b = o.balance;
  for (let n = 1; n <= o.wam; n++) {
    const left = o.wam - n + 1;
    const payment = (b * r) / (1 - Math.pow(1 + r, -left));
    const sched = n === o.wam ? b : payment - b * r;
    const age = o.wala + n;
    const cpr = ((o.psa / 100) * 0.06 * Math.min(age, 30)) / 30;
    const smm = 1 - Math.pow(1 - Math.min(cpr, 1), 1 / 12);
    const prepay = (b - sched) * smm;
    out.begin.push(b);
    out.interest.push((b * o.net) / 12);
    out.scheduled.push(sched);
    out.prepaid.push(prepay);
    out.principal.push(sched + prepay);
    b -= sched + prepay;
  }
  return out;
}

/** Weighted average life in years with t = n/12 (the "periodIndex" convention). */
export function wal(payments: number[]): number {
  let num = 0;
  let den = 0;
  payments.forEach((p, n) => {
    if (n === 0 || p <= 0) return;
    num += (n / 12) * p;
    den += p;
  });
  return num / den;
}

/** Principal window: first and last month with a payment above half a cent. */
export function window(payments: number[]): { first: number; last: number } {
  let first = 0;
  let last = 0;
  payments.forEach((p, n) => {
    if (n > 0 && p > 0.005) {
      if (first === 0) first = n;
      last = n;
    }
  });
  return { first, last };
}

/** Sequential allocation: each month's principal retires the classes in order. */
export function sequential(sizes: number[], principal: number[]): number[][] {
  const bal = [...sizes];
  const paid = sizes.map(() => [0]);
  for (let n = 1; n < principal.length; n++) {
    let left = principal[n] ?? 0;
    bal.forEach((b, i) => {
      const x = Math.min(b, left);
      bal[i] = b - x;
      left -= x;
      paid[i]?.push(x);
    });
  }
  return paid;
}
