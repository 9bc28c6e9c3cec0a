import { createHash } from 'node:crypto';
import { User, UserManager } from 'oidc-client-ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../config';
import { createSignInClient, STORAGE_PREFIX, userManagerSettings, type UserManagerLike } from './oidc';
import { Session } from './session';
import { fakeAccessToken, MemoryStorage } from './testTokens';

const ORIGIN = 'http://127.0.0.1:4006';
const ISSUER = 'http://127.0.0.1:4005';
const config = parseConfig({ gatewayUrl: 'http://127.0.0.1:4000/graphql', issuerUrl: ISSUER }, ORIGIN);
const NOW = Date.UTC(2026, 10, 21, 8, 0, 0);
const accessToken = (n: number) => fakeAccessToken({ sub: 'acme-arranger', n, exp: NOW / 1000 + 3600 });

const user = (fields: Partial<ConstructorParameters<typeof User>[0]> = {}) =>
  new User({
    access_token: accessToken(1),
    token_type: 'Bearer',
    profile: { sub: 'acme-arranger', iss: ISSUER, aud: 'tranche-admin', exp: 0, iat: 0 },
    refresh_token: 'r1',
    id_token: 'id.token.1',
    ...fields,
  });

/** A UserManager stand-in that records calls and lets a test raise its events. */
const fakeManager = (stored: User | null = user()) => {
  const handlers = {
    loaded: [] as ((u: User) => void)[],
    unloaded: [] as (() => void)[],
    expiring: [] as (() => void)[],
  };
  let current = stored;
  const manager = {
    getUser: vi.fn(async () => current),
    signinRedirect: vi.fn(async (_args?: { state?: unknown }) => undefined),
    signinRedirectCallback: vi.fn(async (_url?: string) => user({ userState: { returnTo: '/deals?x=1' } })),
    signinSilent: vi.fn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      current = user({ access_token: accessToken(2), refresh_token: 'r2' });
      handlers.loaded.forEach((h) => h(current as User));
      return current;
    }),
    signoutRedirect: vi.fn(async () => undefined),
    removeUser: vi.fn(async () => {
      current = null;
      handlers.unloaded.forEach((h) => h());
    }),
    events: {
      addUserLoaded: (h: (u: User) => void) => void handlers.loaded.push(h),
      addUserUnloaded: (h: () => void) => void handlers.unloaded.push(h),
      addAccessTokenExpiring: (h: () => void) => void handlers.expiring.push(h),
    },
  } satisfies UserManagerLike;
  return { manager, expire: () => handlers.expiring.forEach((h) => h()) };
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('sign-in client', () => {
  it('asks oidc-client-ts for the code flow, keeps the sign-in in the given storage and renews itself', () => {
    const settings = userManagerSettings(config, new MemoryStorage());
    expect(settings).toMatchObject({
      authority: ISSUER,
      client_id: 'tranche-admin',
      redirect_uri: `${ORIGIN}/auth/callback`,
      post_logout_redirect_uri: `${ORIGIN}/`,
      response_type: 'code',
      scope: 'openid profile offline_access',
      automaticSilentRenew: false,
    });
  });

  it('signs in with PKCE S256 and redeems the code with the matching verifier (real oidc-client-ts)', async () => {
    const storage = new MemoryStorage();
    let authorizeUrl = '';
    const navigator = {
      prepare: async () => ({
        navigate: async ({ url }: { url: string }) => {
          authorizeUrl = url;
          return { url };
        },
        close: () => undefined,
      }),
      callback: async () => undefined,
    };
    const metadata = {
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/authorize`,
      token_endpoint: `${ISSUER}/token`,
      end_session_endpoint: `${ISSUER}/logout`,
    };
    const manager = new UserManager(
      { ...userManagerSettings(config, storage), metadata },
      navigator as unknown as ConstructorParameters<typeof UserManager>[1],
    );
    const session = new Session(() => NOW);
    const client = createSignInClient(config, session, manager);
    await client.signIn('/auditEvents');

    const request = new URL(authorizeUrl);
    expect(`${request.origin}${request.pathname}`).toBe(`${ISSUER}/authorize`);
    expect(Object.fromEntries(request.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'tranche-admin',
      redirect_uri: `${ORIGIN}/auth/callback`,
      scope: 'openid profile offline_access',
      code_challenge_method: 'S256',
    });
    const challenge = request.searchParams.get('code_challenge') ?? '';
    const state = request.searchParams.get('state') ?? '';
    expect(challenge).toMatch(/^[\w-]{43}$/);
    expect([...Array(storage.length).keys()].map((i) => storage.key(i))).toContain(
      `${STORAGE_PREFIX}${state}`,
    );

    const tokenRequests: URLSearchParams[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        tokenRequests.push(new URLSearchParams(String(init.body)));
        return Response.json({
          access_token: accessToken(1),
          token_type: 'Bearer',
          expires_in: 3600,
          refresh_token: 'r1',
          id_token: fakeAccessToken({ iss: ISSUER, sub: 'acme-arranger', aud: 'tranche-admin' }),
        });
      }),
    );
    const callbackUrl = `${ORIGIN}/auth/callback?code=the-code&state=${state}`;
    expect(client.isCallback(callbackUrl)).toBe(true);
    expect(client.isCallback(`${ORIGIN}/`)).toBe(false);
    await expect(client.completeSignIn(callbackUrl)).resolves.toBe('/auditEvents');
    const sent = tokenRequests[0];
    expect(sent?.get('grant_type')).toBe('authorization_code');
    expect(sent?.get('code')).toBe('the-code');
    expect(
      createHash('sha256')
        .update(sent?.get('code_verifier') ?? '')
        .digest('base64url'),
    ).toBe(challenge);
    expect(session.token()).toBe(accessToken(1));
    // The state is single use: the same callback cannot complete a second sign-in.
    await expect(client.completeSignIn(callbackUrl)).rejects.toThrow('tranche.auth.sign_in_failed');
  });

  it('restores a stored sign-in into the session, and forgets it', async () => {
    const { manager } = fakeManager();
    const session = new Session(() => NOW);
    const client = createSignInClient(config, session, manager);
    await client.restore();
    expect(session.token()).toBe(accessToken(1));
    await client.forget();
    expect(session.hasToken()).toBe(false);
  });

  it('renews one at a time: concurrent callers share one refresh (a rotated token is single use)', async () => {
    const { manager } = fakeManager();
    const session = new Session(() => NOW);
    const client = createSignInClient(config, session, manager);
    const [a, b] = await Promise.all([client.renew(), client.renew()]);
    expect(a).toBe(accessToken(2));
    expect(b).toBe(accessToken(2));
    expect(manager.signinSilent).toHaveBeenCalledTimes(1);
    expect(session.token()).toBe(accessToken(2));
    await client.renew();
    expect(manager.signinSilent).toHaveBeenCalledTimes(2);
  });

  it('renews when oidc-client-ts says the access token is about to expire', async () => {
    const { manager, expire } = fakeManager();
    const session = new Session(() => NOW);
    createSignInClient(config, session, manager);
    expire();
    await vi.waitFor(() => expect(session.token()).toBe(accessToken(2)));
  });

  it('gives no token when there is no refresh token or the issuer refuses it', async () => {
    const none = fakeManager(user({ refresh_token: undefined }));
    expect(await createSignInClient(config, new Session(), none.manager).renew()).toBeNull();
    expect(none.manager.signinSilent).not.toHaveBeenCalled();
    const refused = fakeManager();
    refused.manager.signinSilent.mockRejectedValueOnce(new Error('invalid_grant'));
    expect(await createSignInClient(config, new Session(), refused.manager).renew()).toBeNull();
  });

  it('returns only to app routes after sign-in, and reports the issuer’s reason when it fails', async () => {
    const { manager } = fakeManager();
    const client = createSignInClient(config, new Session(() => NOW), manager);
    await client.signIn('//evil.test/x');
    expect(manager.signinRedirect).toHaveBeenCalledWith({ state: { returnTo: '/' } });
    manager.signinRedirectCallback.mockResolvedValueOnce(
      user({ userState: { returnTo: 'https://evil.test' } }),
    );
    await expect(client.completeSignIn(`${ORIGIN}/auth/callback?code=c&state=s`)).resolves.toBe('/');
    manager.signinRedirectCallback.mockRejectedValueOnce(
      Object.assign(new Error('access_denied'), {
        error: 'access_denied',
        error_description: 'user cancelled',
      }),
    );
    await expect(client.completeSignIn(`${ORIGIN}/auth/callback?error=access_denied`)).rejects.toMatchObject({
      message: 'tranche.auth.sign_in_failed',
      detail: 'user cancelled',
    });
  });

  it('signs out at the issuer, or at least here when the issuer has no end_session_endpoint', async () => {
    const { manager } = fakeManager();
    const client = createSignInClient(config, new Session(), manager);
    await client.signOut();
    expect(manager.signoutRedirect).toHaveBeenCalledTimes(1);
    expect(manager.removeUser).not.toHaveBeenCalled();
    manager.signoutRedirect.mockRejectedValueOnce(new Error('No end session endpoint'));
    await client.signOut();
    expect(manager.removeUser).toHaveBeenCalledTimes(1);
  });
});
