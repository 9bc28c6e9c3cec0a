// @vitest-environment jsdom
import { ResourceContextProvider } from 'react-admin';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { authAs, render, waitFor } from '../testRender';
import { formatFactor } from './PositionsGrid';
import { PortfolioPage } from './PortfolioPage';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const portfolio = {
  id: 'mine',
  linked: true,
  investorId: 'i1',
  legalName: 'Alder Pension',
  wallet: '0xAa',
  positions: [
    {
      trancheId: 't-a',
      dealId: 'd1',
      token: '0x1111',
      balance: '30000000000',
      share: 0.75,
      factor: 0.995,
      currentValue: '29850000000',
      distributionsReceived: '2687499997500',
    },
  ],
};
const statement = {
  id: 'i1:2026',
  lines: [
    {
      paidAt: '2026-11-01T10:05:00Z',
      dealName: 'Payouts 2026-1',
      tranche: 'A',
      period: 1,
      amount: '2687499997500',
      interest: '1187499998906',
      principal: '1499999998594',
      distributionId: '0xd1',
    },
  ],
  totals: { amount: '2687499997500', interest: '1187499998906', principal: '1499999998594' },
  csvPath: '/statements/i1/2026.csv',
  pdfPath: '/statements/i1/2026.pdf',
  taxSummaryPdfPath: '/statements/i1/2026-1099.pdf',
};

describe('the investor’s portfolio', () => {
  it('shows each position’s factor, current value and distributions received, and the year’s statement', async () => {
    const getOne = vi.fn(async (resource: string) => {
      if (resource === 'portfolio') return { data: portfolio };
      if (resource === 'deals')
        return {
          data: { id: 'd1', name: 'Payouts 2026-1', currency: 'USD', tranches: [{ id: 't-a', name: 'A' }] },
        };
      return { data: statement };
    });
    const view = await render(
      <ResourceContextProvider value="portfolio">
        <PortfolioPage />
      </ResourceContextProvider>,
      {
        dataProvider: { getOne },
        authProvider: authAs('investor@acme.test', ['INVESTOR']),
      },
    );
    cleanup = view.unmount;
    const page = view.container;
    await waitFor(() => page.textContent?.includes('$298,500,000.00'));
    expect(page.textContent).toContain('0.9950');
    expect(page.textContent).toContain('2,687,499.9975');
    await waitFor(() => page.querySelector('[data-testid="statements"] table'));
    const year = new Date().getUTCFullYear();
    expect(getOne).toHaveBeenCalledWith('investorStatements', expect.objectContaining({ id: `i1:${year}` }));
    const statements = page.querySelector('[data-testid="statements"]');
    expect(statements?.textContent).toContain('Payouts 2026-1');
    expect(statements?.textContent).toContain('1,187,499.998906');
    for (const label of ['CSV', 'PDF', 'Tax summary (PDF)'])
      expect(
        Array.from(statements?.querySelectorAll('button') ?? []).some((b) => b.textContent === label),
      ).toBe(true);
  });

  it('formats a factor with 4 to 6 decimals', () => {
    expect(formatFactor(1)).toBe('1.0000');
    expect(formatFactor(0.95512345)).toBe('0.955123');
    expect(formatFactor(null)).toBe('—');
  });
});
