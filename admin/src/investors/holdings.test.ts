import { describe, expect, it } from 'vitest';
import { formatShare, formatTokenUnits } from './holdings';
import { splitChecks } from './WalletTab';

describe('holding formats', () => {
  it('reads a share as a percentage and token units grouped, exactly', () => {
    expect(formatShare(0.125)).toBe('12.5%');
    expect(formatShare(1)).toBe('100%');
    expect(formatShare(undefined)).toBe('—');
    expect(formatTokenUnits('123456789012345678901234')).toBe('123,456,789,012,345,678,901,234');
    expect(formatTokenUnits('n/a')).toBe('n/a');
  });
});

describe('splitChecks', () => {
  it('puts the onchain:<token> checks under the on-chain identity', () => {
    const check = (name: string) => ({ name, passed: true, required: true, detail: '' });
    const { credentials, onchain } = splitChecks([check('wallet'), check('onchain:0xT1'), check('kyc')]);
    expect(credentials.map((c) => c.name)).toEqual(['wallet', 'kyc']);
    expect(onchain.map((c) => c.name)).toEqual(['onchain:0xT1']);
  });
});
