/**
 * The signed-in session: the access token kept in sessionStorage (gone when the tab closes) and the
 * claims decoded from it. Decoding here is for display and UI permissions only; the gateway and the
 * subgraphs verify the signature on every request.
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

/** Key of the access token in sessionStorage. */
export const TOKEN_STORAGE_KEY = 'tranche.admin.accessToken';

/** The subset of the Web Storage API the session needs, so tests can pass an in-memory store. */
export type TokenStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const base64UrlToString = (segment: string): string => {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
};

const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/**
 * Decodes a JWT's payload into the claims the back office shows. Returns null for anything that is
 * not a three-part JWT with a JSON object payload carrying a string `sub`; unknown roles are dropped.
 * Does not verify the signature (the server does).
 */
export const decodeAccessToken = (token: string): AccessClaims | null => {
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
  return {
    sub: claims.sub,
    email: text(claims.email),
    name: text(claims.name),
    roles: Array.isArray(claims.roles) ? claims.roles.filter(isRole) : [],
    tenant: text(claims.tenant),
    tenantName: text(claims.tenant_name),
    exp: typeof claims.exp === 'number' ? claims.exp : undefined,
  };
};

/** True when the claims carry an expiry at or before `nowMs` (milliseconds since the epoch). */
export const isExpired = (claims: AccessClaims, nowMs: number): boolean =>
  claims.exp !== undefined && claims.exp * 1000 <= nowMs;

/** Reads, writes and clears the access token; `current()` returns null once the token has expired. */
export class Session {
  constructor(
    private readonly storage: TokenStorage,
    private readonly now: () => number = Date.now,
  ) {}

  save(token: string): void {
    this.storage.setItem(TOKEN_STORAGE_KEY, token);
  }

  clear(): void {
    this.storage.removeItem(TOKEN_STORAGE_KEY);
  }

  /** True when a token is stored, expired or not (tells "session expired" from "never logged in"). */
  hasStoredToken(): boolean {
    return this.storage.getItem(TOKEN_STORAGE_KEY) !== null;
  }

  /** The stored token if it decodes and has not expired, else null. */
  token(): string | null {
    const token = this.storage.getItem(TOKEN_STORAGE_KEY);
    if (token === null) return null;
    const claims = decodeAccessToken(token);
    if (claims === null || isExpired(claims, this.now())) return null;
    return token;
  }

  /** The claims of the current, unexpired token, else null. */
  claims(): AccessClaims | null {
    const token = this.token();
    return token === null ? null : decodeAccessToken(token);
  }
}
