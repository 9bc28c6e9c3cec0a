/**
 * Exact money handling for the back office. The API carries amounts as integer minor units in a
 * decimal string (`"250000000"` is 2,500,000.00 in a two-decimal currency); these helpers convert
 * between that and what people type, with string and BigInt arithmetic only, never floats.
 */

/** Digits after the decimal point for an ISO 4217 code (2 for EUR, 0 for JPY); 2 if unknown. */
export const minorUnitDigits = (currency: string): number => {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
};

const MAJOR_AMOUNT = /^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/;
const MINOR_AMOUNT = /^\d+$/;

/**
 * Why `major` is not a valid amount with `digits` decimals, as an i18n key, or undefined when it is.
 * Accepts `1250000`, `1,250,000.50`; rejects negatives, exponents, and extra decimals.
 */
export const majorAmountProblem = (major: string, digits: number): string | undefined => {
  const match = MAJOR_AMOUNT.exec(major.trim());
  if (match === null) return 'tranche.validation.amount_format';
  if ((match[1]?.length ?? 0) > digits) return 'tranche.validation.amount_decimals';
  return undefined;
};

/**
 * Converts a major-units amount (`"1,250,000.5"`) to minor units (`"125000050"` for 2 digits).
 * Throws RangeError when the amount is malformed or has more decimals than the currency allows.
 */
export const toMinorUnits = (major: string, digits: number): string => {
  const trimmed = major.trim();
  const problem = majorAmountProblem(trimmed, digits);
  if (problem !== undefined) throw new RangeError(`${problem}: ${major}`);
  const [whole = '0', fraction = ''] = trimmed.replace(/,/g, '').split('.');
  return (BigInt(whole) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0')).toString();
};

/** Splits a minor-units string into a plain major-units decimal string (`"125000050"` -> `"1250000.50"`). */
export const toMajorUnits = (minor: string, digits: number): string => {
  if (!MINOR_AMOUNT.test(minor)) throw new RangeError(`not an amount in minor units: ${minor}`);
  const value = BigInt(minor);
  if (digits === 0) return value.toString();
  const scale = 10n ** BigInt(digits);
  return `${(value / scale).toString()}.${(value % scale).toString().padStart(digits, '0')}`;
};

/**
 * Formats minor units for display in `currency` (`"250000000"`, EUR -> `"€2,500,000.00"`), exactly:
 * Intl formats the decimal string without passing through a float. Malformed input is returned as is.
 */
export const formatMinorUnits = (minor: string, currency: string, locale = 'en'): string => {
  const digits = minorUnitDigits(currency);
  let major: string;
  try {
    major = toMajorUnits(minor, digits);
  } catch {
    return minor;
  }
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(major as Intl.StringNumericLiteral);
  } catch {
    return `${major} ${currency}`;
  }
};
