// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { authAs, buttonNamed, render, waitFor } from '../testRender';
import { BundleProgress } from './BundleProgress';
import { RecentBundles } from './RecentBundles';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const running = {
  id: 'b1',
  dealId: 'd1',
  status: 'RUNNING',
  progress: 0.4,
  eventCount: 10,
  anchoredCount: 0,
};
const ready = {
  ...running,
  status: 'READY',
  progress: 1,
  anchoredCount: 8,
  sha256: 'ab'.repeat(32),
  downloadUrl: '/audit-bundles/b1',
};

describe('following an audit bundle', () => {
  it('shows the job’s progress until it is READY, then offers the download', async () => {
    const states = [running, ready];
    const getOne = vi.fn(async () => ({ data: states.length > 1 ? states.shift() : states[0] }));
    const downloadAuditBundle = vi.fn(async () => new Blob(['archive']));
    const view = await render(<BundleProgress id="b1" intervalMs={30} />, {
      dataProvider: { getOne, downloadAuditBundle } as never,
      authProvider: authAs('auditor@acme.test', ['AUDITOR']),
    });
    cleanup = view.unmount;
    const progress = await waitFor(() => view.container.querySelector('[data-testid="bundle-progress"]'));
    expect(progress.textContent).toContain('Building — 40%');
    const download = await waitFor(() => buttonNamed(view.container, 'Download'));
    expect(view.container.textContent).toContain('10 events, 8 anchored on-chain');
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    const save = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    await act(async () => download.click());
    await waitFor(() => downloadAuditBundle.mock.calls.length > 0);
    expect(downloadAuditBundle).toHaveBeenCalledWith('/audit-bundles/b1');
    await waitFor(() => save.mock.calls.length > 0);
    save.mockRestore();
  });

  it('says why a bundle failed and offers no download', async () => {
    const getOne = vi.fn(async () => ({
      data: { ...running, status: 'FAILED', error: 'more than 20000 events concern the deal' },
    }));
    const view = await render(<BundleProgress id="b1" />, {
      dataProvider: { getOne } as never,
      authProvider: authAs('auditor@acme.test', ['AUDITOR']),
    });
    cleanup = view.unmount;
    await waitFor(() => view.container.textContent?.includes('more than 20000 events'));
    expect(view.container.textContent).toContain('Failed');
    expect(buttonNamed(view.container, 'Download')).toBeUndefined();
  });

  it('lists the latest bundles with a download for the ready ones', async () => {
    const getList = vi.fn(async () => ({ data: [ready, { ...running, id: 'b2' }], total: 2 }));
    const getMany = vi.fn(async () => ({ data: [{ id: 'd1', name: 'Acme RMBS 2026-1' }] }));
    const view = await render(<RecentBundles />, {
      dataProvider: { getList, getMany } as never,
      authProvider: authAs('auditor@acme.test', ['AUDITOR']),
    });
    cleanup = view.unmount;
    const table = await waitFor(() => view.container.querySelector('[data-testid="recent-bundles"]'));
    expect(table.textContent).toContain('Ready');
    await waitFor(() => table.textContent?.includes('Acme RMBS 2026-1'));
    expect(table.textContent).toContain('Building 40%');
    expect(table.querySelectorAll('button').length).toBe(1);
    expect(getList).toHaveBeenCalledWith(
      'auditBundles',
      expect.objectContaining({ pagination: { page: 1, perPage: 10 } }),
    );
  });
});
