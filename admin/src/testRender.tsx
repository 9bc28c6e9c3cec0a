/**
 * Renders react-admin components in jsdom for unit tests (files that start with
 * `// @vitest-environment jsdom`), inside an AdminContext with the app's i18n and the given
 * providers, without @testing-library: react-dom's own root and `act`.
 */
import type { ReactNode } from 'react';
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { AdminContext, type AuthProvider, type DataProvider } from 'react-admin';
import { i18nProvider } from './i18n/i18nProvider';

// React warns unless it is told act() is available (what @testing-library sets for you).
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export const authAs = (email: string, roles: string[]): AuthProvider => ({
  login: async () => undefined,
  logout: async () => undefined,
  checkAuth: async () => undefined,
  checkError: async () => undefined,
  getIdentity: async () => ({ id: email, fullName: email, email, roles }),
  getPermissions: async () => roles,
  canAccess: async () => true,
});

/** The data-provider methods a test stubs (react-admin's generic signatures are not mock-friendly). */
export type FakeDataProvider = Partial<Record<keyof DataProvider, (...args: never[]) => Promise<unknown>>>;

/** Renders `ui` and returns its container plus an `unmount`; let effects and queries settle first. */
export const render = async (
  ui: ReactNode,
  providers: { dataProvider?: FakeDataProvider; authProvider?: AuthProvider } = {},
) => {
  const container = document.createElement('div');
  document.body.appendChild(container);
  const root = createRoot(container);
  await act(async () => {
    root.render(
      <AdminContext
        dataProvider={providers.dataProvider as unknown as DataProvider | undefined}
        authProvider={providers.authProvider}
        i18nProvider={i18nProvider}
      >
        {ui}
      </AdminContext>,
    );
  });
  return {
    container,
    unmount: () => {
      act(() => root.unmount());
      container.remove();
    },
  };
};

/** Waits until `find` returns something (polling, inside act), or fails after `timeoutMs`. */
export const waitFor = async <T,>(find: () => T | null | undefined | false, timeoutMs = 3000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
  }
};

/** The button whose text is `label`, or undefined. */
export const buttonNamed = (root: ParentNode, label: string) =>
  Array.from(root.querySelectorAll('button')).find((b) => b.textContent?.trim() === label);
