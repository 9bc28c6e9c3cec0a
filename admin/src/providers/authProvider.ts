/**
 * react-admin auth provider over the OIDC sign-in client (oidc.ts): `login` sends the browser to
 * the issuer (authorization code with PKCE), `logout` ends the session there. The access token's
 * claims drive identity and the UI's permissions. An expired token is renewed with the refresh
 * token before giving up; a 401 / UNAUTHENTICATED that survived the API fetch's own renewal signs
 * the user out; FORBIDDEN only notifies.
 */
import type { AuthProvider } from 'ra-core';
import { classifyError } from './errors';
import type { SignInClient } from './oidc';
import { canAccess } from './permissions';
import type { Session } from './session';

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
  signIn: SignInClient;
  /** Called when the sign-in ends, e.g. to drop Apollo's cache of the previous user's data. */
  onLogout?: () => void | Promise<void>;
}

/**
 * Builds the auth provider. `login({ returnTo })` leaves the page for the issuer's sign-in; it
 * rejects with SignInError('tranche.auth.issuer_unavailable') when the issuer cannot be reached.
 */
export const createAuthProvider = ({ session, signIn, onLogout }: AuthProviderDeps): AuthProvider => {
  /** Ends the sign-in in this tab, e.g. when the session has expired. */
  const forget = async () => {
    await signIn.forget();
    session.set(null);
    await onLogout?.();
  };
  return {
    login: async ({ returnTo }: { returnTo?: string } = {}) => {
      await signIn.signIn(returnTo);
    },
    logout: async () => {
      // Still signed in: the user asked to sign out, so end the session at the issuer as well
      // (with the id token as the hint; this leaves the page). Otherwise react-admin is cleaning
      // up after a session that already ended here.
      if (session.hasToken()) {
        await onLogout?.();
        await signIn.signOut();
        session.set(null);
        return;
      }
      await forget();
    },
    checkAuth: async () => {
      if (session.token() !== null) return;
      const hadToken = session.hasToken();
      if (hadToken && (await signIn.renew()) !== null && session.token() !== null) return;
      await forget();
      // An empty message lets react-admin show its sign-in page without a notification on a first visit.
      throw new Error(hadToken ? 'tranche.auth.session_expired' : '');
    },
    checkError: async (error: unknown) => {
      const kind = classifyError(error);
      if (kind === 'UNAUTHENTICATED') {
        await forget();
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
