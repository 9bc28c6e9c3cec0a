// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { authAs, render, waitFor } from '../testRender';
import { KillSwitchBanner } from './KillSwitchBanner';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const withSwitches = (items: Record<string, unknown>[]) => {
  const getList = vi.fn(async (_resource: string, _params: unknown) => ({
    data: items,
    total: items.length,
  }));
  return { getList };
};

describe('KillSwitchBanner', () => {
  it('names the scope, target and reason of every active switch', async () => {
    const dataProvider = withSwitches([
      { id: 'k1', scope: 'GLOBAL', target: null, reason: 'suspected key compromise', active: true },
      { id: 'k2', scope: 'CAPABILITY', target: 'token.mint', reason: 'mint bug', active: true },
    ]);
    const view = await render(<KillSwitchBanner />, {
      dataProvider,
      authProvider: authAs('a@acme.test', ['ADMIN']),
    });
    cleanup = view.unmount;
    const banner = await waitFor(() => view.container.querySelector('[data-testid="kill-switch-banner"]'));
    expect(banner.textContent).toContain('Kill switch active: GLOBAL (suspected key compromise)');
    expect(banner.textContent).toContain('CAPABILITY token.mint (mint bug)');
    expect(dataProvider.getList).toHaveBeenCalledWith(
      'killSwitches',
      expect.objectContaining({ filter: {} }),
    );
  });

  it('never asks for a role that may not read kill switches (an investor)', async () => {
    const dataProvider = withSwitches([
      { id: 'k1', scope: 'GLOBAL', target: null, reason: 'x', active: true },
    ]);
    const investor = {
      ...authAs('investor@acme.test', ['INVESTOR']),
      canAccess: async ({ resource }: { resource: string }) => resource === 'portfolio',
    };
    const view = await render(<KillSwitchBanner />, { dataProvider, authProvider: investor });
    cleanup = view.unmount;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(dataProvider.getList).not.toHaveBeenCalled();
    expect(view.container.querySelector('[data-testid="kill-switch-banner"]')).toBeNull();
  });

  it('shows nothing while no switch is active', async () => {
    const dataProvider = withSwitches([]);
    const view = await render(<KillSwitchBanner />, {
      dataProvider,
      authProvider: authAs('a@acme.test', ['ADMIN']),
    });
    cleanup = view.unmount;
    await waitFor(() => dataProvider.getList.mock.calls.length > 0);
    expect(view.container.querySelector('[data-testid="kill-switch-banner"]')).toBeNull();
  });
});
