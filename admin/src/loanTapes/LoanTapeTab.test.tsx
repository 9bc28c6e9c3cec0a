// @vitest-environment jsdom
import { RecordContextProvider } from 'react-admin';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { canAccess } from '../providers/permissions';
import { authAs, render, waitFor } from '../testRender';
import { LoanTapeTab } from './LoanTapeTab';
import type { LoanTape } from './tapeProvider';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const base: LoanTape = {
  id: 't1',
  version: 1,
  cutoffDate: '2026-10-31',
  period: 202610,
  fileName: 'tape.csv',
  status: 'VALIDATING',
  sha256: null,
  byteSize: null,
  rowCount: null,
  rowsProcessed: 1000,
  errorCount: 0,
  errors: [],
  poseidonRoot: null,
  rootCapacity: null,
  anchorStatus: 'NONE',
  anchorTxHash: null,
  anchorChainId: null,
  anchorError: null,
  uploadPath: '/loan-tapes/t1',
  createdAt: '2026-11-01T00:00:00Z',
  stratification: null,
};
const bucket = (key: string, share: number) => ({ key, loanCount: 10, balance: '100000000', share });
const validated: LoanTape = {
  ...base,
  status: 'VALIDATED',
  rowCount: 2000,
  sha256: 'ab'.repeat(32),
  poseidonRoot: '123',
  rootCapacity: 4096,
  anchorStatus: 'ANCHORED',
  anchorTxHash: '0xabc',
  stratification: {
    loanCount: 2000,
    currentBalance: '1000000000000',
    averageBalance: '500000000',
    wac: 6.5,
    wam: 330,
    waLtv: 74.2,
    waFico: 731,
    waDti: 33.1,
    byState: [bucket('CA', 0.6), bucket('TX', 0.4)],
    byDelinquency: [bucket('CURRENT', 0.95), bucket('DQ30', 0.05)],
    byOccupancy: [bucket('PRIMARY', 1)],
    byLtv: [bucket('70–80', 1)],
    byFico: [bucket('≥760', 1)],
  },
};

const mount = (provider: Record<string, unknown>, roles = ['SERVICER']) =>
  render(
    <RecordContextProvider value={{ id: 'd1' }}>
      <LoanTapeTab />
    </RecordContextProvider>,
    {
      dataProvider: provider as never,
      authProvider: {
        ...authAs('servicer@acme.test', roles),
        // the back office's own rules (the real auth provider asks them too)
        canAccess: async ({ resource, action }) => canAccess(roles as never, resource, action),
      },
    },
  );

describe('the loan tape tab', () => {
  it('follows a validating tape to VALIDATED and draws its stratification', async () => {
    const states = [[base], [validated]];
    const loanTapesOf = vi.fn(async () => (states.length > 1 ? states.shift()! : states[0]!));
    const view = await mount({ loanTapesOf });
    cleanup = view.unmount;
    await waitFor(() => (view.container.textContent?.includes('1000 rows read') ? true : null));
    const summary = await waitFor(
      () => view.container.querySelector('[data-testid="stratification-summary"]'),
      5000,
    );
    expect(summary.textContent).toContain('2000 loans');
    expect(summary.textContent).toContain('WA FICO 731');
    const ca = view.container.querySelector('[aria-label="CA share"]');
    expect(ca?.getAttribute('aria-valuenow')).toBe('60');
    expect(view.container.textContent).toContain('ANCHORED 0xabc');
    expect(loanTapesOf).toHaveBeenCalledWith('d1');
  });

  it('shows a rejected tape’s report with row and column', async () => {
    const rejected: LoanTape = {
      ...base,
      status: 'REJECTED',
      errorCount: 2,
      errors: [
        { row: 12, column: 'occupancy', message: '"RENTED" is not one of PRIMARY, SECOND_HOME, INVESTMENT' },
        { row: 32, column: 'original_balance', message: '-100.00 is negative' },
      ],
    };
    const view = await mount({ loanTapesOf: async () => [rejected] });
    cleanup = view.unmount;
    const report = await waitFor(() => view.container.querySelector('[aria-label="Validation report"]'));
    const rows = [...report.querySelectorAll('tbody tr')].map((r) => r.textContent);
    expect(rows).toEqual([
      '12occupancy"RENTED" is not one of PRIMARY, SECOND_HOME, INVESTMENT',
      '32original_balance-100.00 is negative',
    ]);
    expect(view.container.textContent).toContain('Nothing was stored');
  });

  it('offers the upload to uploaders only', async () => {
    const servicer = await mount({ loanTapesOf: async () => [] });
    await waitFor(() => (servicer.container.textContent?.includes('No loan tape yet') ? true : null));
    expect(servicer.container.querySelector('input[type="file"]')).not.toBeNull();
    servicer.unmount();
    const compliance = await mount({ loanTapesOf: async () => [] }, ['COMPLIANCE']);
    cleanup = compliance.unmount;
    await waitFor(() => (compliance.container.textContent?.includes('No loan tape yet') ? true : null));
    expect(compliance.container.querySelector('input[type="file"]')).toBeNull();
  });
});
