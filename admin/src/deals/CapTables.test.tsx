// @vitest-environment jsdom
import { RecordContextProvider } from 'react-admin';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { authAs, render, waitFor } from '../testRender';
import { CapTables } from './CapTables';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const tranches = [
  {
    id: 't1',
    name: 'A',
    dealId: 'd1',
    currency: 'USD',
    capTable: [
      {
        wallet: '0xAa',
        balance: '150000000',
        share: 0.75,
        investorId: 'i1',
        investorName: 'Harbor Pension Fund',
      },
      { wallet: '0xBb', balance: '50000000', share: 0.25, investorId: null, investorName: null },
    ],
  },
  { id: 't2', name: 'B', dealId: 'd1', currency: 'USD', capTable: [] },
];

describe('CapTables', () => {
  it('shows each tranche’s holders with their investor, balance in the deal currency and share', async () => {
    const getManyReference = vi.fn(async () => ({ data: tranches, total: tranches.length }));
    const view = await render(
      <RecordContextProvider value={{ id: 'd1', currency: 'USD' }}>
        <CapTables />
      </RecordContextProvider>,
      { dataProvider: { getManyReference }, authProvider: authAs('compliance@acme.test', ['COMPLIANCE']) },
    );
    cleanup = view.unmount;
    const page = view.container;
    await waitFor(() => page.textContent?.includes('Harbor Pension Fund'));
    expect(getManyReference).toHaveBeenCalledWith(
      'capTables',
      expect.objectContaining({ target: 'dealId', id: 'd1' }),
    );
    const link = Array.from(page.querySelectorAll('a')).find((a) => a.textContent === 'Harbor Pension Fund');
    expect(link?.getAttribute('href')).toContain('/investors/i1/show');
    expect(page.textContent).toContain('$1,500,000.00');
    expect(page.textContent).toContain('75%');
    expect(page.textContent).toContain('Unknown wallet');
    expect(page.textContent).toContain('Tranche B');
    expect(page.textContent).toContain('No holders.');
  });
});
