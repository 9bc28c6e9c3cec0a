// @vitest-environment jsdom
import { act } from 'react';
import { RecordContextProvider } from 'react-admin';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { authAs, buttonNamed, render, waitFor, type FakeDataProvider } from '../testRender';
import type { Projection } from './structuring';
import { StructuringTab } from './StructuringTab';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

type Input = { name: string; prepayment: { rate: number } };

// Class A of 1,000.00 repaid evenly over 1200/speed periods: twice the speed, half the WAL.
const projectionAt = (s: Input): Projection => {
  const periods = Math.max(1, Math.round(1200 / Math.max(s.prepayment.rate, 1)));
  const step = 100_000 / periods;
  return {
    scenarioName: s.name,
    poolWal: periods / 24,
    periods,
    classes: [
      {
        classId: 'A',
        originalBalance: '100000',
        wal: periods / 24,
        principalWindowFirst: 1,
        principalWindowLast: periods,
        cashFlows: Array.from({ length: periods }, (_, i) => ({
          period: i + 1,
          paymentDate: null,
          interestPaid: '100',
          principalPaid: String(Math.round(step)),
          endBalance: String(Math.max(0, Math.round(100_000 - step * (i + 1)))),
        })),
      },
    ],
  };
};

const typeInto = (input: HTMLInputElement, value: string) => {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
  setter?.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
};

describe('the deal page’s structuring tab', () => {
  it('projects at 100% PSA, then again at the speed the arranger types, redrawing WALs and the chart', async () => {
    const dealProjection = vi.fn(async (_id: string, s: Input) => projectionAt(s));
    const dealProjectionGrid = vi.fn(async (_id: string, list: Input[]) => list.map(projectionAt));
    const view = await render(
      <RecordContextProvider value={{ id: 'd1', currency: 'USD' }}>
        <StructuringTab />
      </RecordContextProvider>,
      {
        dataProvider: { dealProjection, dealProjectionGrid } as unknown as FakeDataProvider,
        authProvider: authAs('arranger@acme.test', ['ARRANGER']),
      },
    );
    cleanup = view.unmount;
    const wal = () => view.container.querySelector('[data-testid="wal-A"]')?.textContent;
    await waitFor(() => wal() === '0.50');
    expect(dealProjection).toHaveBeenCalledWith('d1', expect.objectContaining({ name: 'PSA 100' }));
    // the decrement speeds first, then the comparison's one scenario
    expect(dealProjectionGrid.mock.calls[0]?.[1].map((s) => s.name)).toEqual([
      'PSA 0',
      'PSA 50',
      'PSA 100',
      'PSA 200',
      'PSA 300',
      'PSA 400',
      'PSA 100',
    ]);
    const line = () =>
      view.container
        .querySelector('[data-testid="balances-chart"] polyline[data-series="A"]')
        ?.getAttribute('points');
    const before = line();

    const speed = Array.from(view.container.querySelectorAll('input')).find(
      (i) => i.closest('.MuiFormControl-root')?.querySelector('label')?.textContent === 'Prepayment speed',
    );
    if (!speed) throw new Error('no Prepayment speed field');
    await act(async () => typeInto(speed, '300'));
    await act(async () => buttonNamed(view.container, 'Project')?.click());
    await waitFor(() => wal() === '0.17');
    expect(dealProjection).toHaveBeenLastCalledWith(
      'd1',
      expect.objectContaining({ prepayment: { model: 'PSA', rate: 300 } }),
    );
    expect(line()).not.toBe(before);
  });
});
