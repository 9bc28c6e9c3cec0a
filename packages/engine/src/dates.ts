/** Calendar helpers on ISO dates (UTC, no business-day adjustment) and day-count fractions. */

export type DayCount = '30/360' | 'ACT/360' | 'ACT/365' | 'ACT/365.25';

export interface YMD {
  y: number;
  m: number; // 1-12
  d: number;
}

/** `YYYY-MM-DD`, the only date form documents and scenarios accept. */
export const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Parse an ISO date (`YYYY-MM-DD`); throws `RangeError` for malformed text or a day that does not exist. */
export function parseDate(iso: string): YMD {
  if (!ISO_DATE_RE.test(iso)) throw new RangeError(`not an ISO date (YYYY-MM-DD): "${iso}"`);
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) {
    throw new RangeError(`not a calendar date: "${iso}"`);
  }
  return { y, m, d };
}

/** Format a date as `YYYY-MM-DD`. */
export function formatDate(d: YMD): string {
  return `${String(d.y).padStart(4, '0')}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`;
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** `d` plus `months` calendar months, with the day clamped to the target month's length. */
export function addMonths(d: YMD, months: number, day = d.d): YMD {
  const idx = d.y * 12 + (d.m - 1) + months;
  const y = Math.floor(idx / 12);
  const m = (idx % 12) + 1;
  return { y, m, d: Math.min(day, daysInMonth(y, m)) };
}

/** `d` plus `days` actual days. */
export function addDays(d: YMD, days: number): YMD {
  const t = new Date(Date.UTC(d.y, d.m - 1, d.d) + days * 86_400_000);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** Actual calendar days from `a` to `b` (negative when `b` is earlier). */
export function actualDays(a: YMD, b: YMD): number {
  return Math.round((Date.UTC(b.y, b.m - 1, b.d) - Date.UTC(a.y, a.m - 1, a.d)) / 86_400_000);
}

/** 30/360 day count (SIFMA SF-44, "30/360": D1=31 -> 30; D2=31 and D1>=30 -> 30). */
export function days30360(a: YMD, b: YMD): number {
  const d1 = a.d === 31 ? 30 : a.d;
  const d2 = b.d === 31 && d1 >= 30 ? 30 : b.d;
  return 360 * (b.y - a.y) + 30 * (b.m - a.m) + (d2 - d1);
}

/** Year fraction between two dates under a day count. */
export function yearFraction(a: YMD, b: YMD, dc: DayCount): number {
  switch (dc) {
    case '30/360':
      return days30360(a, b) / 360;
    case 'ACT/360':
      return actualDays(a, b) / 360;
    case 'ACT/365':
      return actualDays(a, b) / 365;
    case 'ACT/365.25':
      return actualDays(a, b) / 365.25;
  }
}

/** Accrual (numerator days, denominator days) of a period under a class's day count. */
export function accrualDays(a: YMD, b: YMD, dc: DayCount): { num: bigint; den: bigint } {
  switch (dc) {
    case '30/360':
      return { num: 30n, den: 360n };
    case 'ACT/360':
      return { num: BigInt(actualDays(a, b)), den: 360n };
    case 'ACT/365':
      return { num: BigInt(actualDays(a, b)), den: 365n };
    case 'ACT/365.25':
      return { num: BigInt(actualDays(a, b)) * 4n, den: 1461n };
  }
}
