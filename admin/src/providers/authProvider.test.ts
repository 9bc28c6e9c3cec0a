import { HttpError } from 'ra-core';
import { describe, expect, it, vi } from 'vitest';
import { AccessDenied, createAuthProvider } from './authProvider';
import { SignInError, type SignInClient } from './oidc';
import { Session } from './session';
import { fakeAccessToken } from './testTokens';

const NOW = Date.UTC(2026, 10, 21, 8, 0, 0);
const arranger = {
  sub: 'u-arranger',
  email: 'arranger@acme.test',
  name: 'Ada Arranger',
  roles: ['ARRANGER'],
  tenant: 't-acme',
  tenant_name: 'Acme Capital',
  exp: NOW / 1000 + 3600,
};
const expired = fakeAccessToken({ ...arranger, exp: NOW / 1000 - 60 });
const fresh = fakeAccessToken({ ...arranger, jti: 'renewed' });

/** An auth provider over a fake sign-in client whose renewal yields `renewed` (null: refused). */
const setup = ({
  token = fakeAccessToken(arranger) as string | null,
  renewed = null as string | null,
} = {}) => {
  const session = new Session(() => NOW);
  session.set(token);
  const signIn = {
    restore: vi.fn(async () => undefined),
    isCallback: vi.fn(() => false),
    completeSignIn: vi.fn(async () => '/'),
    signIn: vi.fn(async (_returnTo?: string) => undefined),
    renew: vi.fn(async () => {
      if (renewed !== null) session.set(renewed);
      return renewed;
    }),
    forget: vi.fn(async () => session.set(null)),
    signOut: vi.fn(async () => session.set(null)),
  } satisfies SignInClient;
  const onLogout = vi.fn();
  const auth = createAuthProvider({ session, signIn, onLogout });
  return { auth, session, signIn, onLogout };
};

describe('authProvider', () => {
  it('signs in by leaving for the issuer, with the route to come back to', async () => {
    const { auth, signIn } = setup({ token: null });
    await auth.login({ returnTo: '/auditEvents' });
    expect(signIn.signIn).toHaveBeenCalledWith('/auditEvents');
    signIn.signIn.mockRejectedValueOnce(new SignInError('tranche.auth.issuer_unavailable'));
    await expect(auth.login({})).rejects.toThrow('tranche.auth.issuer_unavailable');
  });

  it('derives identity and permissions from the access token claims', async () => {
    const { auth } = setup();
    await expect(auth.checkAuth({})).resolves.toBeUndefined();
    expect(await auth.getIdentity?.()).toMatchObject({
      id: 'u-arranger',
      fullName: 'Ada Arranger · Acme Capital',
      tenantName: 'Acme Capital',
    });
    expect(await auth.getPermissions?.({})).toEqual(['ARRANGER']);
    const { auth: named } = setup({ token: fakeAccessToken({ ...arranger, name: 'Acme Capital Arranger' }) });
    expect((await named.getIdentity?.())?.fullName).toBe('Acme Capital Arranger');
    expect(await auth.canAccess?.({ resource: 'deals', action: 'create' })).toBe(true);
    expect(await auth.canAccess?.({ resource: 'auditEvents', action: 'list' })).toBe(false);
  });

  it('renews an expired access token with the refresh token instead of signing out', async () => {
    const { auth, signIn, session } = setup({ token: expired, renewed: fresh });
    await expect(auth.checkAuth({})).resolves.toBeUndefined();
    expect(signIn.renew).toHaveBeenCalledTimes(1);
    expect(session.token()).toBe(fresh);
    expect(signIn.forget).not.toHaveBeenCalled();
  });

  it('signs out with "session expired" when the token expired and cannot be renewed', async () => {
    const { auth, signIn, session, onLogout } = setup({ token: expired, renewed: null });
    await expect(auth.checkAuth({})).rejects.toThrow('tranche.auth.session_expired');
    expect(signIn.forget).toHaveBeenCalledTimes(1);
    expect(session.hasToken()).toBe(false);
    expect(onLogout).toHaveBeenCalledTimes(1);
  });

  it('sends a first-time visitor to the sign-in page without a notification', async () => {
    const { auth, signIn } = setup({ token: null });
    await expect(auth.checkAuth({})).rejects.toThrowError(expect.objectContaining({ message: '' }));
    expect(signIn.renew).not.toHaveBeenCalled();
  });

  it('signs out on UNAUTHENTICATED or HTTP 401 from the API (the fetch already tried to renew)', async () => {
    const { auth, session } = setup();
    await expect(auth.checkError(new HttpError('tranche.errors.unauthenticated', 401))).rejects.toThrow(
      'tranche.auth.session_expired',
    );
    expect(session.hasToken()).toBe(false);

    const again = setup();
    const graphQLError = { graphQLErrors: [{ message: 'x', extensions: { code: 'UNAUTHENTICATED' } }] };
    await expect(again.auth.checkError(new HttpError('x', 200, graphQLError))).rejects.toThrow();
    expect(again.session.hasToken()).toBe(false);
  });

  it('keeps the user signed in on FORBIDDEN and asks react-admin to notify', async () => {
    const { auth, session } = setup();
    const rejection = auth.checkError(new HttpError('tranche.errors.forbidden', 403));
    await expect(rejection).rejects.toBeInstanceOf(AccessDenied);
    await expect(rejection).rejects.toMatchObject({ logoutUser: false, message: 'tranche.errors.forbidden' });
    expect(session.hasToken()).toBe(true);
  });

  it('ignores other errors (validation, server faults)', async () => {
    const { auth } = setup();
    await expect(
      auth.checkError(new HttpError('bad', 400, { errors: { name: 'x' } })),
    ).resolves.toBeUndefined();
    await expect(auth.checkError(new Error('boom'))).resolves.toBeUndefined();
  });

  it('ends the session at the issuer when a signed-in user logs out, and clears the client cache', async () => {
    const { auth, signIn, session, onLogout } = setup();
    await auth.logout({});
    expect(signIn.signOut).toHaveBeenCalledTimes(1);
    expect(session.hasToken()).toBe(false);
    expect(onLogout).toHaveBeenCalledTimes(1);
  });

  it('only cleans up locally when react-admin logs out after the session already ended', async () => {
    const { auth, signIn } = setup({ token: null });
    await auth.logout({});
    expect(signIn.signOut).not.toHaveBeenCalled();
    expect(signIn.forget).toHaveBeenCalledTimes(1);
  });
});
