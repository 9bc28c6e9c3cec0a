import { HttpError } from 'ra-core';
import { describe, expect, it } from 'vitest';
import { AccessDenied, createAuthProvider } from './authProvider';
import { LoginError, type TokenResponse } from './oidc';
import { Session, TOKEN_STORAGE_KEY } from './session';
import { fakeAccessToken, MemoryStorage } from './testTokens';

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

const setup = (claims: Record<string, unknown> = arranger) => {
  const storage = new MemoryStorage();
  const session = new Session(storage, () => NOW);
  const calls: Array<[string, string]> = [];
  let loggedOut = 0;
  const passwordLogin = async (email: string, password: string): Promise<TokenResponse> => {
    calls.push([email, password]);
    if (password !== 'demo-password') throw new LoginError('tranche.auth.invalid_credentials');
    return { accessToken: fakeAccessToken(claims), idToken: undefined, expiresIn: 3600 };
  };
  const auth = createAuthProvider({ session, passwordLogin, onLogout: () => void loggedOut++ });
  return { auth, storage, calls, loggedOut: () => loggedOut };
};

describe('authProvider', () => {
  it('logs in with the email typed in the username field and stores the token in the session', async () => {
    const { auth, storage, calls } = setup();
    await auth.login({ username: ' arranger@acme.test ', password: 'demo-password' });
    expect(calls).toEqual([['arranger@acme.test', 'demo-password']]);
    expect(storage.getItem(TOKEN_STORAGE_KEY)).toMatch(/^ey/);
    await expect(auth.checkAuth({})).resolves.toBeUndefined();
  });

  it('rejects bad credentials with the i18n key and stores nothing', async () => {
    const { auth, storage } = setup();
    await expect(auth.login({ username: 'arranger@acme.test', password: 'nope' })).rejects.toThrow(
      'tranche.auth.invalid_credentials',
    );
    expect(storage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it('refuses a token that is already expired', async () => {
    const { auth, storage } = setup({ ...arranger, exp: NOW / 1000 - 1 });
    await expect(auth.login({ username: 'a@acme.test', password: 'demo-password' })).rejects.toThrow(
      'tranche.auth.bad_token',
    );
    expect(storage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it('derives identity and permissions from the token claims', async () => {
    const { auth } = setup();
    await auth.login({ username: 'arranger@acme.test', password: 'demo-password' });
    expect(await auth.getIdentity?.()).toMatchObject({
      id: 'u-arranger',
      fullName: 'Ada Arranger · Acme Capital',
      tenantName: 'Acme Capital',
    });
    expect(await auth.getPermissions?.({})).toEqual(['ARRANGER']);
    const { auth: named } = setup({ ...arranger, name: 'Acme Capital Arranger' });
    await named.login({ username: 'arranger@acme.test', password: 'demo-password' });
    expect((await named.getIdentity?.())?.fullName).toBe('Acme Capital Arranger');
    expect(await auth.canAccess?.({ resource: 'deals', action: 'create' })).toBe(true);
    expect(await auth.canAccess?.({ resource: 'auditEvents', action: 'list' })).toBe(false);
  });

  it('logs out when the stored token has expired, with a "session expired" message', async () => {
    const { auth, storage, loggedOut } = setup();
    storage.setItem(TOKEN_STORAGE_KEY, fakeAccessToken({ ...arranger, exp: NOW / 1000 - 60 }));
    await expect(auth.checkAuth({})).rejects.toThrow('tranche.auth.session_expired');
    expect(storage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(loggedOut()).toBe(1);
  });

  it('sends a first-time visitor to the login page with react-admin’s default message', async () => {
    const { auth } = setup();
    await expect(auth.checkAuth({})).rejects.toThrowError(expect.objectContaining({ message: '' }));
  });

  it('logs out on UNAUTHENTICATED or HTTP 401 from the API', async () => {
    const { auth, storage } = setup();
    await auth.login({ username: 'arranger@acme.test', password: 'demo-password' });
    await expect(auth.checkError(new HttpError('tranche.errors.unauthenticated', 401))).rejects.toThrow();
    expect(storage.getItem(TOKEN_STORAGE_KEY)).toBeNull();

    await auth.login({ username: 'arranger@acme.test', password: 'demo-password' });
    const graphQLError = { graphQLErrors: [{ message: 'x', extensions: { code: 'UNAUTHENTICATED' } }] };
    await expect(auth.checkError(new HttpError('x', 200, graphQLError))).rejects.toThrow();
    expect(storage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it('keeps the user signed in on FORBIDDEN and asks react-admin to notify', async () => {
    const { auth, storage } = setup();
    await auth.login({ username: 'arranger@acme.test', password: 'demo-password' });
    const rejection = auth.checkError(new HttpError('tranche.errors.forbidden', 403));
    await expect(rejection).rejects.toBeInstanceOf(AccessDenied);
    await expect(rejection).rejects.toMatchObject({ logoutUser: false, message: 'tranche.errors.forbidden' });
    expect(storage.getItem(TOKEN_STORAGE_KEY)).not.toBeNull();
  });

  it('ignores other errors (validation, server faults)', async () => {
    const { auth } = setup();
    await expect(
      auth.checkError(new HttpError('bad', 400, { errors: { name: 'x' } })),
    ).resolves.toBeUndefined();
    await expect(auth.checkError(new Error('boom'))).resolves.toBeUndefined();
  });

  it('clears the token and the client cache on logout', async () => {
    const { auth, storage, loggedOut } = setup();
    await auth.login({ username: 'arranger@acme.test', password: 'demo-password' });
    await auth.logout({});
    expect(storage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(loggedOut()).toBe(1);
  });
});
