// @vitest-environment jsdom
import { RecordContextProvider } from 'react-admin';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { authAs, render, waitFor } from '../testRender';
import { CashFlowTab } from './CashFlowTab';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const flows = (n: number, interest: string, principal: string) =>
  Array.from({ length: n }, (_, i) => ({ period: i + 1, interestPaid: interest, principalPaid: principal }));

describe('the deal page’s cash flows', () => {
  it('draws each tranche’s paid periods against the base projection, with the exact amounts and differences', async () => {
    const getList = vi.fn(async () => ({
      data: [
        {
          id: 'r1',
          period: 1,
          status: 'RECONCILED',
          classes: JSON.stringify([
            { classId: 'A', period: 1, interestPaid: '1583333.33', principalPaid: '2000000.00' },
          ]),
        },
      ],
      total: 1,
    }));
    const getOne = vi.fn(async () => ({
      data: {
        id: 'd1',
        scenarioName: 'Base',
        classes: [{ classId: 'A', cashFlows: flows(40, '158333333', '100000000') }],
      },
    }));
    const view = await render(
      <RecordContextProvider value={{ id: 'd1', currency: 'USD' }}>
        <CashFlowTab />
      </RecordContextProvider>,
      { dataProvider: { getList, getOne }, authProvider: authAs('servicer@acme.test', ['SERVICER']) },
    );
    cleanup = view.unmount;
    const chart = await waitFor(() => view.container.querySelector('[data-testid="cash-flows-A"]'));
    expect(getList).toHaveBeenCalledWith(
      'distributions',
      expect.objectContaining({ filter: { dealId: 'd1' } }),
    );
    expect(getOne).toHaveBeenCalledWith('dealProjections', expect.objectContaining({ id: 'd1' }));
    expect(chart.querySelector('svg[role="img"]')?.getAttribute('aria-label')).toBe(
      'Tranche A: cash flows paid against projected, by period',
    );
    expect(chart.querySelectorAll('rect')).toHaveLength(1);
    expect(chart.querySelector('polyline')?.getAttribute('points')?.split(' ')).toHaveLength(13);
    const row = chart.querySelector('table tbody tr');
    expect(row?.textContent).toBe('1$3,583,333.33$2,583,333.33$1,000,000.00');
  });

  it('shows the actuals alone, and why, when the deal cannot be projected', async () => {
    const getList = vi.fn(async () => ({
      data: [
        {
          id: 'r1',
          period: 1,
          status: 'EXECUTED',
          classes: JSON.stringify([{ classId: 'A', interestPaid: '1.00', principalPaid: '0' }]),
        },
      ],
      total: 1,
    }));
    const getOne = vi.fn(async () => {
      throw new Error('the deal has no waterfall rules and collateral yet (setDealStructure)');
    });
    const view = await render(
      <RecordContextProvider value={{ id: 'd1', currency: 'USD' }}>
        <CashFlowTab />
      </RecordContextProvider>,
      { dataProvider: { getList, getOne }, authProvider: authAs('servicer@acme.test', ['SERVICER']) },
    );
    cleanup = view.unmount;
    await waitFor(() =>
      view.container.textContent?.includes('No projection: the deal has no waterfall rules'),
    );
    expect(view.container.querySelector('[data-testid="cash-flows-A"] table')?.textContent).toContain(
      '$1.00',
    );
  });
});
