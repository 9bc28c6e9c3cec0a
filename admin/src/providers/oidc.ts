/**
 * Sign-in with OpenID Connect: authorization code with PKCE (S256) through oidc-client-ts, against
 * the issuer named in the runtime config (the development issuer, or Entra ID by configuration).
 * The sign-in (tokens, and the PKCE verifier and state between redirect and callback) lives in
 * sessionStorage, gone when the tab closes; the current access token is mirrored into the Session
 * the rest of the app reads. Renewal uses the refresh token and runs one at a time, because the
 * issuer rotates refresh tokens and a second concurrent use of the same one would be refused.
 */
import { UserManager, WebStorageStateStore, type User, type UserManagerSettings } from 'oidc-client-ts';
import type { AdminConfig } from '../config';
import type { Session } from './session';

/** A sign-in failure whose message is an i18n key. */
export class SignInError extends Error {
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

/** Prefix of the sign-in's keys in sessionStorage (`tranche.admin.user:<issuer>:<client id>`, …). */
export const STORAGE_PREFIX = 'tranche.admin.';

/** The UserManager settings for `config`; `storage` keeps the sign-in (sessionStorage in the app). */
export const userManagerSettings = (config: AdminConfig, storage: Storage): UserManagerSettings => {
  const store = new WebStorageStateStore({ store: storage, prefix: STORAGE_PREFIX });
  return {
    authority: config.issuerUrl,
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    post_logout_redirect_uri: config.postLogoutRedirectUri,
    response_type: 'code',
    scope: config.scope,
    userStore: store,
    stateStore: store,
    loadUserInfo: false,
    // Renewal is SignInClient.renew's (one at a time); oidc-client-ts's own timer could race it.
    automaticSilentRenew: false,
  };
};

/** The part of oidc-client-ts's UserManager the sign-in client uses (tests pass a fake). */
export interface UserManagerLike {
  getUser(): Promise<User | null>;
  signinRedirect(args?: { state?: unknown }): Promise<void>;
  signinRedirectCallback(url?: string): Promise<User>;
  signinSilent(): Promise<User | null>;
  signoutRedirect(): Promise<void>;
  removeUser(): Promise<void>;
  readonly events: {
    addUserLoaded(callback: (user: User) => void): void;
    addUserUnloaded(callback: () => void): void;
    addAccessTokenExpiring(callback: () => void): void;
  };
}

/** The back office's sign-in, as the auth provider and the boot code use it. */
export interface SignInClient {
  /** Loads a stored sign-in (a reload keeps the session) into the Session. */
  restore(): Promise<void>;
  /** True when `url` is the redirect URI, where the issuer returns the browser with a code. */
  isCallback(url: string): boolean;
  /**
   * Redeems the code in `url` (checking state and PKCE) and resolves with the app route the user
   * was headed for. Throws SignInError('tranche.auth.sign_in_failed') with the issuer's reason.
   */
  completeSignIn(url: string): Promise<string>;
  /** Sends the browser to the issuer's sign-in page; after it, back to app route `returnTo`. */
  signIn(returnTo?: string): Promise<void>;
  /** A new access token from the refresh token, or null when there is none or the issuer refuses. */
  renew(): Promise<string | null>;
  /** Forgets the sign-in in this tab only (the issuer's session is left as it is). */
  forget(): Promise<void>;
  /** Forgets the sign-in and ends the session at the issuer's end_session_endpoint (leaves the page). */
  signOut(): Promise<void>;
}

const appRoute = (value: unknown): string =>
  typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/';

const describe = (error: unknown): string => {
  if (error !== null && typeof error === 'object') {
    const { error_description: description, error: code } = error as Record<string, unknown>;
    if (typeof description === 'string' && description !== '') return description;
    if (typeof code === 'string') return code;
  }
  return error instanceof Error ? error.message : String(error);
};

/**
 * Creates the sign-in client for `config`, keeping `session` in step with the stored sign-in.
 * Before the access token expires (oidc-client-ts raises "expiring" a minute ahead) it renews it.
 */
export const createSignInClient = (
  config: AdminConfig,
  session: Session,
  manager: UserManagerLike = new UserManager(userManagerSettings(config, window.sessionStorage)),
): SignInClient => {
  manager.events.addUserLoaded((user) => session.set(user.access_token));
  manager.events.addUserUnloaded(() => session.set(null));

  let renewal: Promise<string | null> | undefined;
  const renew = (): Promise<string | null> => {
    renewal ??= (async () => {
      const user = await manager.getUser();
      if (!user?.refresh_token) return null;
      try {
        return (await manager.signinSilent())?.access_token ?? null;
      } catch {
        return null;
      }
    })().finally(() => {
      renewal = undefined;
    });
    return renewal;
  };
  manager.events.addAccessTokenExpiring(() => void renew());

  const callback = new URL(config.redirectUri);
  return {
    restore: async () => {
      session.set((await manager.getUser())?.access_token ?? null);
    },
    isCallback: (url) => {
      const current = new URL(url);
      return current.origin === callback.origin && current.pathname === callback.pathname;
    },
    completeSignIn: async (url) => {
      try {
        const user = await manager.signinRedirectCallback(url);
        session.set(user.access_token);
        return appRoute((user.state as { returnTo?: unknown } | undefined)?.returnTo);
      } catch (error) {
        throw new SignInError('tranche.auth.sign_in_failed', describe(error));
      }
    },
    signIn: async (returnTo = '/') => {
      try {
        await manager.signinRedirect({ state: { returnTo: appRoute(returnTo) } });
      } catch (error) {
        throw new SignInError('tranche.auth.issuer_unavailable', describe(error));
      }
    },
    renew,
    forget: () => manager.removeUser(),
    signOut: async () => {
      try {
        await manager.signoutRedirect();
      } catch {
        // No end_session_endpoint, or the issuer is unreachable: at least forget the sign-in here.
        await manager.removeUser();
      }
    },
  };
};
