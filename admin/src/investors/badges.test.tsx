// @vitest-environment jsdom
import { RecordContextProvider } from 'react-admin';
import { afterEach, describe, expect, it } from 'vitest';
import { render } from '../testRender';
import { accreditationState, AccreditationBadge, KycBadge, SanctionsBadge } from './badges';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const badgesOf = async (record: Record<string, unknown>) => {
  const view = await render(
    <RecordContextProvider value={{ id: 'i1', ...record }}>
      <KycBadge />
      <AccreditationBadge />
      <SanctionsBadge />
    </RecordContextProvider>,
  );
  cleanup = view.unmount;
  const text = (kind: string) => view.container.querySelector(`[data-testid="${kind}-badge"]`);
  return { kyc: text('kyc'), accreditation: text('accreditation'), sanctions: text('sanctions') };
};

describe('accreditationState', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  it('is VALID before the expiry, EXPIRED at or after it, NONE without a recorded accreditation', () => {
    const accredited = {
      id: 'i',
      accreditationType: 'INCOME',
      accreditationExpiresAt: '2026-06-02T00:00:00Z',
    };
    expect(accreditationState(accredited, now)).toBe('VALID');
    expect(accreditationState({ ...accredited, accreditationExpiresAt: '2026-06-01T00:00:00Z' }, now)).toBe(
      'EXPIRED',
    );
    expect(accreditationState({ ...accredited, accreditationExpiresAt: 'not a date' }, now)).toBe('EXPIRED');
    expect(accreditationState({ id: 'i', accreditationType: null, accreditationExpiresAt: null }, now)).toBe(
      'NONE',
    );
    expect(accreditationState(undefined, now)).toBe('NONE');
  });
});

describe('investor badges', () => {
  it('show a verified, accredited, clear investor in green', async () => {
    const { kyc, accreditation, sanctions } = await badgesOf({
      kycStatus: 'VERIFIED',
      accreditationType: 'NET_WORTH',
      accreditationExpiresAt: '2999-01-01T00:00:00Z',
      sanctionsStatus: 'CLEAR',
    });
    expect(kyc?.textContent).toBe('KYC verified');
    expect(kyc?.className).toContain('colorSuccess');
    expect(accreditation?.textContent).toBe('Accredited');
    expect(sanctions?.textContent).toBe('Sanctions clear');
  });

  it('flag rejected KYC, a lapsed accreditation and a sanctions hit as errors', async () => {
    const { kyc, accreditation, sanctions } = await badgesOf({
      kycStatus: 'REJECTED',
      accreditationType: 'INCOME',
      accreditationExpiresAt: '2001-01-01T00:00:00Z',
      sanctionsStatus: 'BLOCKED',
    });
    expect(kyc?.textContent).toBe('KYC rejected');
    expect(kyc?.className).toContain('colorError');
    expect(accreditation?.textContent).toBe('Accreditation expired');
    expect(accreditation?.className).toContain('colorError');
    expect(sanctions?.textContent).toBe('Sanctions hit');
    expect(sanctions?.className).toContain('colorError');
  });

  it('mark pending KYC and an unscreened investor as to do, and no accreditation as neutral', async () => {
    const { kyc, accreditation, sanctions } = await badgesOf({
      kycStatus: 'PENDING',
      sanctionsStatus: 'NOT_SCREENED',
    });
    expect(kyc?.className).toContain('colorWarning');
    expect(accreditation?.textContent).toBe('Not accredited');
    expect(accreditation?.className).toContain('outlined');
    expect(sanctions?.textContent).toBe('Not screened');
    expect(sanctions?.className).toContain('colorWarning');
  });
});
