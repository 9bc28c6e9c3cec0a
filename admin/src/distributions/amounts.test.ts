import { describe, expect, it } from 'vitest';
import { formatMajor, formatMinor, formatStablecoin, majorToMinor } from './amounts';

describe('distribution amounts', () => {
  it('formats stablecoin units (6 decimals) exactly, with 2 to 6 decimals', () => {
    expect(formatStablecoin('3583333330000')).toBe('3,583,333.33');
    expect(formatStablecoin('2687499997500')).toBe('2,687,499.9975');
    expect(formatStablecoin('0')).toBe('0.00');
    expect(formatStablecoin('1')).toBe('0.000001');
    expect(formatStablecoin('900719925474099312345678')).toBe('900,719,925,474,099,312.345678');
    expect(formatStablecoin('n/a')).toBe('n/a');
    expect(formatStablecoin(undefined)).toBe('');
  });

  it('reads the engine’s major-units strings as minor units of the deal currency', () => {
    expect(majorToMinor('1583333.33', 'USD')).toBe(158333333n);
    expect(majorToMinor('4166.67', 'USD')).toBe(416667n);
    expect(majorToMinor('12', 'USD')).toBe(1200n);
    expect(majorToMinor('-0.5', 'USD')).toBe(-50n);
    expect(majorToMinor('1500', 'JPY')).toBe(1500n);
    expect(majorToMinor('1.005', 'USD')).toBeUndefined();
    expect(majorToMinor('1e5', 'USD')).toBeUndefined();
    expect(majorToMinor('', 'USD')).toBeUndefined();
  });

  it('formats major and minor units in the deal currency, negatives too, and shows the unreadable as is', () => {
    expect(formatMajor('4095833.33', 'USD')).toBe('$4,095,833.33');
    expect(formatMajor('-12.50', 'EUR')).toBe('-€12.50');
    expect(formatMajor(null, 'USD')).toBe('—');
    expect(formatMajor('lots', 'USD')).toBe('lots');
    expect(formatMinor('358333333', 'USD')).toBe('$3,583,333.33');
    expect(formatMinor(-2500n, 'USD')).toBe('-$25.00');
    expect(formatMinor('x1', 'USD')).toBe('x1');
  });
});
