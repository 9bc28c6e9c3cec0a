import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DataProvider } from 'ra-core';
import { bundleFileName, withBundleDownloads } from './bundleDownload';

afterEach(() => vi.unstubAllGlobals());

const base = {} as DataProvider;

describe('downloading an audit bundle', () => {
  it("GETs the path on the gateway's origin with the session's bearer token", async () => {
    const fetch = vi.fn(async (_url: URL, _init: RequestInit) => new Response('archive', { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    const provider = withBundleDownloads(base, 'http://127.0.0.1:4000/graphql', () => 'tok');
    const blob = await provider.downloadAuditBundle('/audit-bundles/b1');
    expect(await blob.text()).toBe('archive');
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(String(url)).toBe('http://127.0.0.1:4000/audit-bundles/b1');
    expect(init?.headers).toEqual({ Authorization: 'Bearer tok' });
  });

  it('rejects with a message key per status: not ready, forbidden, unknown', async () => {
    for (const [status, message] of [
      [409, 'tranche.audit_bundles.not_ready'],
      [403, 'tranche.errors.forbidden'],
      [404, 'ra.notification.item_doesnt_exist'],
      [500, 'tranche.audit_bundles.download_failed'],
    ] as const) {
      vi.stubGlobal('fetch', async () => new Response('{}', { status }));
      const provider = withBundleDownloads(base, 'http://gw.test/graphql', () => null);
      await expect(provider.downloadAuditBundle('/audit-bundles/b1')).rejects.toMatchObject({
        message,
        status,
      });
    }
  });

  it('names the file as the server does', () => {
    expect(bundleFileName({ id: 'b1', dealId: 'd1' })).toBe('audit-bundle-d1-b1.tar.gz');
  });
});
