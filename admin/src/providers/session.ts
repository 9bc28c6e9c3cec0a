/**
 * The signed-in session as the rest of the back office sees it: the current access token (kept
 * up to date by the sign-in client in oidc.ts, which stores the sign-in in sessionStorage) and the
 * claims decoded from it. Decoding here is for display and UI permissions only; the gateway and
 * the subgraphs verify the signature on every request.
 */

export const ROLES = ['ARRANGER', 'SERVICER', 'COMPLIANCE', 'INVESTOR', 'AUDITOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

export interface AccessClaims {
  sub: string;
  email: string;
  name: string;
  roles: Role[];
  tenant: string;
  tenantName: string;
  /** Expiry, seconds since the epoch; undefined when the token carries no `exp`. */
  exp: number | undefined;
}

const base64UrlToString = (segment: string): string => {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
};

/**
 * Which access-token claims carry the roles and the tenant id: the API's OIDC_ROLES_CLAIM and
 * OIDC_TENANT_CLAIM (`roles` and `tenant` from the development issuer; `roles` and `tid` from
 * Microsoft Entra ID).
 */
export interface ClaimNames {
  roles: string;
  tenant: string;
}

export const DEFAULT_CLAIM_NAMES: Readonly<ClaimNames> = { roles: 'roles', tenant: 'tenant' };

const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/**
 * Decodes a JWT's payload into the claims the back office shows. Returns null for anything that is
 * not a three-part JWT with a JSON object payload carrying a string `sub`; unknown roles are dropped.
 * The email falls back to `preferred_username` (Entra ID access tokens carry no `email`). Does not
 * verify the signature (the server does).
 */
export const decodeAccessToken = (
  token: string,
  claimNames: ClaimNames = DEFAULT_CLAIM_NAMES,
): AccessClaims | null => {
  const parts = token.split('.');
  const payloadSegment = parts[1];
  if (parts.length !== 3 || payloadSegment === undefined) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(base64UrlToString(payloadSegment));
  } catch {
    return null;
  }
  if (typeof payload !== 'object' || payload === null) return null;
  const claims = payload as Record<string, unknown>;
  if (typeof claims.sub !== 'string') return null;
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  const roles = claims[claimNames.roles];
  return {
    sub: claims.sub,
    email: text(claims.email) || text(claims.preferred_username),
    name: text(claims.name),
    roles: Array.isArray(roles) ? roles.filter(isRole) : [],
    tenant: text(claims[claimNames.tenant]),
    tenantName: text(claims.tenant_name),
    exp: typeof claims.exp === 'number' ? claims.exp : undefined,
  };
};

/** True when the claims carry an expiry at or before `nowMs` (milliseconds since the epoch). */
export const isExpired = (claims: AccessClaims, nowMs: number): boolean =>
  claims.exp !== undefined && claims.exp * 1000 <= nowMs;

/**
 * The current access token, held in memory; the sign-in client sets it on sign-in, renewal and
 * sign-out. `token()` returns null once the token has expired.
 */
export class Session {
  private accessToken: string | null = null;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly claimNames: ClaimNames = DEFAULT_CLAIM_NAMES,
  ) {}

  /** Replaces the access token; null when signed out. */
  set(token: string | null): void {
    this.accessToken = token;
  }

  /** True when a token is held, expired or not (tells "session expired" from "never signed in"). */
  hasToken(): boolean {
    return this.accessToken !== null;
  }

  /** The token if it decodes and has not expired, else null. */
  token(): string | null {
    const claims = this.accessToken === null ? null : decodeAccessToken(this.accessToken, this.claimNames);
    if (claims === null || isExpired(claims, this.now())) return null;
    return this.accessToken;
  }

  /** The claims of the current, unexpired token, else null. */
  claims(): AccessClaims | null {
    const token = this.token();
    return token === null ? null : decodeAccessToken(token, this.claimNames);
  }
}
