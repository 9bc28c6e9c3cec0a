import { describe, expect, it } from 'vitest';
import { formatMinorUnits, majorAmountProblem, minorUnitDigits, toMajorUnits, toMinorUnits } from './money';

describe('money', () => {
  it('knows the minor-unit digits of a currency', () => {
    expect(minorUnitDigits('EUR')).toBe(2);
    expect(minorUnitDigits('JPY')).toBe(0);
    expect(minorUnitDigits('KWD')).toBe(3);
    expect(minorUnitDigits('???')).toBe(2);
  });

  it('converts major to minor units exactly, beyond float precision', () => {
    expect(toMinorUnits('1,250,000.5', 2)).toBe('125000050');
    expect(toMinorUnits('250000000', 2)).toBe('25000000000');
    expect(toMinorUnits('0.1', 2)).toBe('10');
    expect(toMinorUnits('90071992547409931.23', 2)).toBe('9007199254740993123');
    expect(toMinorUnits('1500', 0)).toBe('1500');
  });

  it('refuses malformed amounts and too many decimals', () => {
    expect(majorAmountProblem('1.234', 2)).toBe('tranche.validation.amount_decimals');
    expect(majorAmountProblem('-5', 2)).toBe('tranche.validation.amount_format');
    expect(majorAmountProblem('1e6', 2)).toBe('tranche.validation.amount_format');
    expect(majorAmountProblem('12,34', 2)).toBe('tranche.validation.amount_format');
    expect(() => toMinorUnits('1.5', 0)).toThrow(RangeError);
  });

  it('formats minor units back to major units without floats', () => {
    expect(toMajorUnits('5', 2)).toBe('0.05');
    expect(toMajorUnits('9007199254740993123', 2)).toBe('90071992547409931.23');
    expect(formatMinorUnits('25000000000', 'EUR')).toBe('€250,000,000.00');
    expect(formatMinorUnits('9007199254740993123', 'USD')).toBe('$90,071,992,547,409,931.23');
    expect(formatMinorUnits('not-a-number', 'EUR')).toBe('not-a-number');
  });
});
