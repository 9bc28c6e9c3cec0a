// @vitest-environment jsdom
import { act } from 'react';
import type { AuthProvider } from 'react-admin';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buttonNamed, render, waitFor } from '../testRender';
import { SignInPage } from './SignInPage';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const signedOut = (login: AuthProvider['login']): AuthProvider => ({
  login,
  logout: async () => undefined,
  checkAuth: async () => Promise.reject(new Error('')),
  checkError: async () => undefined,
  getPermissions: async () => [],
});

describe('SignInPage', () => {
  it('offers one button that hands over to the identity provider, and no password field', async () => {
    const login = vi.fn(() => new Promise<void>(() => undefined)); // the page leaves for the issuer
    const view = await render(<SignInPage issuerName="Microsoft Entra ID" />, {
      authProvider: signedOut(login),
    });
    cleanup = view.unmount;
    const button = await waitFor(() => buttonNamed(view.container, 'Sign in with Microsoft Entra ID'));
    expect(view.container.querySelector('input[type="password"]')).toBeNull();
    await act(async () => button.click());
    expect(login).toHaveBeenCalledWith({ returnTo: undefined });
    await waitFor(() => buttonNamed(view.container, 'Taking you to Microsoft Entra ID…'));
  });

  it('says why the last sign-in did not complete', async () => {
    const view = await render(<SignInPage issuerName="127.0.0.1:4005" error="user cancelled" />, {
      authProvider: signedOut(async () => undefined),
    });
    cleanup = view.unmount;
    const alert = await waitFor(() => view.container.querySelector('[role="alert"]'));
    expect(alert.textContent).toContain('Sign-in did not complete: user cancelled');
  });
});
