/**
 * react-admin auth provider for the OIDC dev issuer (or any issuer offering the password grant to
 * `tranche-admin`). The access token lives in sessionStorage; its claims drive identity and the
 * UI's permissions. A 401 / UNAUTHENTICATED from the API logs out; FORBIDDEN only notifies.
 */
import type { AuthProvider } from 'ra-core';
import { classifyError } from './errors';
import { LoginError, type TokenResponse } from './oidc';
import { canAccess } from './permissions';
import { decodeAccessToken, type Session } from './session';

/** Rejection of checkError for FORBIDDEN: react-admin notifies `message` and keeps the user signed in. */
export class AccessDenied extends Error {
  readonly logoutUser = false;
  constructor() {
    super('tranche.errors.forbidden');
    this.name = 'AccessDenied';
  }
}

export interface AuthProviderDeps {
  session: Session;
  /** Exchanges email and password for tokens (see oidc.ts createPasswordLogin). */
  passwordLogin: (email: string, password: string) => Promise<TokenResponse>;
  /** Called after the token is cleared, e.g. to drop Apollo's cache of the previous user's data. */
  onLogout?: () => void | Promise<void>;
}

/**
 * Builds the auth provider. `login` rejects with a LoginError whose message is an i18n key
 * (`tranche.auth.invalid_credentials`, `tranche.auth.issuer_unavailable`, `tranche.auth.bad_token`).
 */
export const createAuthProvider = ({ session, passwordLogin, onLogout }: AuthProviderDeps): AuthProvider => {
  const clear = async () => {
    session.clear();
    await onLogout?.();
  };
  return {
    login: async ({
      username,
      email,
      password,
    }: {
      username?: string;
      email?: string;
      password?: string;
    }) => {
      const user = (email ?? username ?? '').trim();
      if (user === '' || !password) throw new LoginError('tranche.auth.invalid_credentials');
      const tokens = await passwordLogin(user, password);
      if (decodeAccessToken(tokens.accessToken) === null) throw new LoginError('tranche.auth.bad_token');
      session.save(tokens.accessToken);
      if (session.token() === null) {
        session.clear();
        throw new LoginError('tranche.auth.bad_token');
      }
    },
    logout: async () => {
      await clear();
    },
    checkAuth: async () => {
      if (session.token() === null) {
        const hadToken = session.hasStoredToken();
        await clear();
        // An empty message lets react-admin show its own "please log in" on a first visit.
        throw new Error(hadToken ? 'tranche.auth.session_expired' : '');
      }
    },
    checkError: async (error: unknown) => {
      const kind = classifyError(error);
      if (kind === 'UNAUTHENTICATED') {
        await clear();
        throw new Error('tranche.auth.session_expired');
      }
      if (kind === 'FORBIDDEN') {
        throw new AccessDenied();
      }
    },
    getIdentity: async () => {
      const claims = session.claims();
      if (claims === null) throw new Error('tranche.auth.session_expired');
      const name = claims.name || claims.email;
      // Show the tenant unless the display name already carries it ("Acme Capital Arranger").
      const withTenant = claims.tenantName && !name.includes(claims.tenantName);
      return {
        id: claims.sub,
        fullName: withTenant ? `${name} · ${claims.tenantName}` : name,
        email: claims.email,
        tenant: claims.tenant,
        tenantName: claims.tenantName,
        roles: claims.roles,
      };
    },
    getPermissions: async () => session.claims()?.roles ?? [],
    canAccess: async ({ resource, action }: { resource: string; action: string }) =>
      canAccess(session.claims()?.roles ?? [], resource, action),
  };
};
