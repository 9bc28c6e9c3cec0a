import { describe, expect, it } from 'vitest';
import { covenantsOf, DEFAULT_COVENANTS, storedCovenants, validateCovenants } from './covenants.js';

describe('deal covenants', () => {
  it('default to 5 % of balance 60+ days delinquent, WA-LTV 80 % and no minimum balance', () => {
    expect(covenantsOf(null)).toEqual({
      maxDelinquencyBps: 500,
      delinquencyDays: 60,
      maxWaLtvBps: 8000,
      minBalance: 0n,
    });
    expect(storedCovenants(covenantsOf({ minBalance: '123' }))).toEqual({
      ...DEFAULT_COVENANTS,
      minBalance: '123',
    });
  });

  it('accept what the circuit and DealRegistry can take, naming each field that is out of range', () => {
    expect(validateCovenants(covenantsOf(null))).toEqual({});
    expect(
      validateCovenants({ maxDelinquencyBps: 10_001, delinquencyDays: 0, maxWaLtvBps: 0.5, minBalance: -1n }),
    ).toEqual({
      'covenants.maxDelinquencyBps': 'basis points of pool balance, 0–10,000',
      'covenants.delinquencyDays': 'whole days, 1–9,999',
      'covenants.maxWaLtvBps': 'basis points of LTV, 1–20,000',
      'covenants.minBalance': 'minor units, 0–10^17',
    });
  });
});
