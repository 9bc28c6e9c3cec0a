/**
 * Exact money and rate arithmetic.
 *
 * Money is carried as `bigint` minor units (cents for USD). Percentages are carried as
 * `bigint` in units of 1e-10 of a percent (`PCT_SCALE` per 1%), parsed from their decimal
 * text so that `5.31` is exactly 5.31%, never the nearest binary float.
 */

/** Units of the scaled-percent representation per 1 percent (1% = 1e10 units). */
export const PCT_SCALE = 10_000_000_000n;
/** Scaled units per whole (100%). */
export const WHOLE = 100n * PCT_SCALE;

const DECIMAL_RE = /^([+-])?(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Decimal text (or JS number) to an exact (digits, exponent) pair; throws on malformed text. */
function decompose(value: number | string): { negative: boolean; digits: bigint; exp: number } {
  const text = typeof value === 'number' ? numberText(value) : value.trim();
  const m = DECIMAL_RE.exec(text);
  if (!m) throw new RangeError(`not a decimal number: "${text}"`);
  const intPart = m[2] ?? '0';
  const frac = m[3] ?? '';
  const e = m[4] === undefined ? 0 : Number(m[4]);
  return { negative: m[1] === '-', digits: BigInt(intPart + frac), exp: e - frac.length };
}

function numberText(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  return String(value);
}

/** Scale a decimal by 10^scaleDigits, requiring an exact result (no rounding). */
function scaleExact(value: number | string, scaleDigits: number, what: string): bigint {
  const { negative, digits, exp } = decompose(value);
  const shift = exp + scaleDigits;
  let out: bigint;
  if (shift >= 0) out = digits * 10n ** BigInt(shift);
  else {
    const div = 10n ** BigInt(-shift);
    if (digits % div !== 0n)
      throw new RangeError(`${what} has more than ${scaleDigits} decimal places: ${String(value)}`);
    out = digits / div;
  }
  return negative ? -out : out;
}

/** Major-unit decimal (e.g. "1234.56" or 1234.56) to integer minor units; throws if it has sub-minor digits. */
export function toMinor(value: number | string, minorDigits = 2): bigint {
  return scaleExact(value, minorDigits, 'amount');
}

/** Integer minor units to a major-unit decimal string ("-12.05"). */
export function formatMinor(amount: bigint, minorDigits = 2): string {
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  if (minorDigits === 0) return (negative ? '-' : '') + abs.toString();
  const s = abs.toString().padStart(minorDigits + 1, '0');
  return `${negative ? '-' : ''}${s.slice(0, -minorDigits)}.${s.slice(-minorDigits)}`;
}

/** A percentage (5.5 meaning 5.5%) to scaled units of 1e-10 %; throws beyond 10 decimal places. */
export function pctToScaled(pct: number | string): bigint {
  return scaleExact(pct, 10, 'percentage');
}

/** Round-half-up (away from zero for halves) integer division of non-negative or signed bigints. */
export function divRound(num: bigint, den: bigint): bigint {
  if (den === 0n) throw new RangeError('division by zero');
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  if (num >= 0n) return (num * 2n + den) / (2n * den);
  return -((-num * 2n + den) / (2n * den));
}

/** Floor division (toward minus infinity) by a positive denominator. */
export function divFloor(num: bigint, den: bigint): bigint {
  if (den <= 0n) throw new RangeError('non-positive denominator');
  if (num >= 0n) return num / den;
  return -((-num + den - 1n) / den);
}

/** The smaller of two bigints. */
export function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** The larger of two bigints. */
export function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/** Sum of bigints. */
export function sumBig(values: Iterable<bigint>): bigint {
  let s = 0n;
  for (const v of values) s += v;
  return s;
}

/** `amount * pctScaled / 100%`, rounded down (the remainder cent stays where the caller puts it). */
export function pctOf(amount: bigint, pctScaled: bigint): bigint {
  return divFloor(amount * pctScaled, WHOLE);
}
