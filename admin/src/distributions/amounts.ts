/**
 * The amounts of a distribution, exactly (strings and BigInt, never floats): the engine's JSON
 * carries major units of the deal currency as decimal strings (`"1583333.33"`), tranche payouts
 * carry class cash in minor units and what holders are paid in stablecoin units (6 decimals).
 */
import { formatMinorUnits, minorUnitDigits, toMinorUnits } from '../providers/money';

/** Decimals of the payout stablecoin's units (USDC-like). */
export const STABLECOIN_DECIMALS = 6;

const UNITS = /^\d+$/;
const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/**
 * Stablecoin units (an integer string, 6 decimals) for reading: grouped, at least 2 decimals and at
 * most 6, trailing zeros trimmed (`"3583333330000"` -> `"3,583,333.33"`). Anything else is returned
 * as is, so a malformed value shows rather than disappears.
 */
export const formatStablecoin = (units: unknown): string => {
  const text = String(units ?? '');
  if (!UNITS.test(text)) return text;
  const value = BigInt(text);
  const scale = 10n ** BigInt(STABLECOIN_DECIMALS);
  const fraction = (value % scale).toString().padStart(STABLECOIN_DECIMALS, '0').replace(/0+$/, '');
  return `${(value / scale).toLocaleString('en')}.${fraction.padEnd(2, '0')}`;
};

/**
 * A major-units decimal string of the engine's output (`"-12.5"`, `"1583333.33"`) as minor units of
 * `currency` (BigInt), or undefined when it is not a decimal or has more decimals than the currency.
 */
export const majorToMinor = (major: unknown, currency: string): bigint | undefined => {
  const text = String(major ?? '').trim();
  if (!DECIMAL.test(text)) return undefined;
  const negative = text.startsWith('-');
  try {
    const minor = BigInt(toMinorUnits(negative ? text.slice(1) : text, minorUnitDigits(currency)));
    return negative ? -minor : minor;
  } catch {
    return undefined;
  }
};

/**
 * Minor units (BigInt or integer string, may be negative) formatted in `currency`, e.g.
 * `$1,583,333.33`; a string that is not an integer is returned as is.
 */
export const formatMinor = (minor: bigint | string, currency: string): string => {
  if (typeof minor === 'string' && !/^-?\d+$/.test(minor)) return minor;
  const value = BigInt(minor);
  const formatted = formatMinorUnits((value < 0n ? -value : value).toString(), currency);
  return value < 0n ? `-${formatted}` : formatted;
};

/**
 * A major-units decimal string (the engine's JSON, the approval card's totals) formatted in
 * `currency`; returned as is when it is not an amount of that currency, or '—' when absent.
 */
export const formatMajor = (major: unknown, currency: string): string => {
  if (major === undefined || major === null || major === '') return '—';
  const minor = majorToMinor(major, currency);
  return minor === undefined ? String(major) : formatMinor(minor, currency);
};

/** Minor units as a float in major units: only for drawing (scales, bar heights), never for display. */
export const minorToPlotValue = (minor: bigint, currency: string): number =>
  Number(minor) / 10 ** minorUnitDigits(currency);
