import { createRemoteJWKSet, jwtVerify, errors as joseErrors, type JWTPayload } from 'jose';
import type { Config } from './config.js';
import { ForbiddenError, ServiceUnavailableError, UnauthenticatedError } from './errors.js';

export const ROLES = ['ARRANGER', 'SERVICER', 'COMPLIANCE', 'INVESTOR', 'AUDITOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** Platform staff: every role but INVESTOR. */
export const STAFF_ROLES: readonly Role[] = ['ARRANGER', 'SERVICER', 'COMPLIANCE', 'AUDITOR', 'ADMIN'];

/** The authenticated caller, built from verified token claims. */
export interface Principal {
  subject: string;
  tenantId: string;
  roles: ReadonlySet<Role>;
  email?: string;
  /** The machine client id for client-credentials tokens. */
  clientId?: string;
}

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** Defaults to the issuer's discovery document's `jwks_uri`. */
  jwksUri?: string;
  /** Claim carrying the roles (`roles` for Entra ID app roles). */
  rolesClaim: string;
  /** Claim carrying the tenant (`tid` for Entra ID). */
  tenantClaim: string;
}

export type TokenVerifier = (authorization: string | undefined) => Promise<Principal>;

function claimRoles(payload: JWTPayload, claim: string): Set<Role> {
  const raw = payload[claim];
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[ ,]+/) : [];
  const roles = new Set<Role>();
  for (const r of list) {
    const name = String(r).toUpperCase();
    if ((ROLES as readonly string[]).includes(name)) roles.add(name as Role);
  }
  return roles;
}

/** How long a verified token is trusted without checking its signature again, milliseconds. */
const VERIFIED_TOKEN_TTL_MS = 60_000;
/** Verified tokens remembered at most (the oldest is forgotten first). */
const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

async function discoverJwksUri(issuer: string): Promise<string> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  } catch (err) {
    throw new ServiceUnavailableError(`identity provider unreachable: ${(err as Error).message}`);
  }
  if (!res.ok) throw new ServiceUnavailableError(`identity provider discovery failed: HTTP ${res.status}`);
  const doc = (await res.json()) as { jwks_uri?: unknown; issuer?: unknown };
  if (typeof doc.jwks_uri !== 'string')
    throw new ServiceUnavailableError('discovery document has no jwks_uri');
  return doc.jwks_uri;
}

/**
 * Creates a verifier of `Authorization: Bearer` JWTs against the issuer's JWKS (found through
 * OIDC discovery unless given). It checks signature, issuer, audience and expiry, then maps the
 * configured role and tenant claims to a {@link Principal}.
 *
 * @throws UnauthenticatedError for a missing, malformed, expired or forged token, or one with
 *   no tenant; ServiceUnavailableError when the issuer cannot be reached (fail closed).
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  let pending: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const keySet = async () => {
    if (jwks) return jwks;
    pending ??= (async () => {
      const uri = options.jwksUri ?? (await discoverJwksUri(options.issuer));
      jwks = createRemoteJWKSet(new URL(uri), { timeoutDuration: 5000, cooldownDuration: 10_000 });
      return jwks;
    })().finally(() => {
      pending = undefined;
    });
    return pending;
  };

  // A token verified once is not verified again for a short while: the gateway and every
  // subgraph verify the same bearer token on every request, and an RSA signature check was about
  // 7 % of the gateway's CPU per request. Entries live until the token expires, at most
  // VERIFIED_TOKEN_TTL_MS (so a key the issuer withdraws stops being trusted within that time).
  const verified = new Map<string, { principal: Principal; until: number }>();

  return async (authorization) => {
    if (!authorization) throw new UnauthenticatedError('missing bearer token');
    const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(authorization.trim());
    if (!match?.[1]) throw new UnauthenticatedError('malformed Authorization header');
    const token = match[1];
    const now = Date.now();
    const hit = verified.get(token);
    if (hit && hit.until > now) return hit.principal;
    if (hit) verified.delete(token);
    const { principal, expiresAt } = await verifyToken(token);
    if (verified.size >= VERIFIED_TOKEN_CACHE_SIZE) {
      // the oldest entry first (a Map iterates in insertion order)
      const oldest = verified.keys().next();
      if (!oldest.done) verified.delete(oldest.value);
    }
    verified.set(token, { principal, until: Math.min(expiresAt, now + VERIFIED_TOKEN_TTL_MS) });
    return principal;
  };

  async function verifyToken(token: string): Promise<{ principal: Principal; expiresAt: number }> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await keySet(), {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ['RS256', 'ES256', 'PS256'],
      }));
    } catch (err) {
      if (err instanceof ServiceUnavailableError) throw err;
      if (err instanceof joseErrors.JWKSTimeout || (err as { code?: string }).code === 'ECONNREFUSED') {
        throw new ServiceUnavailableError('identity provider unreachable');
      }
      if (err instanceof TypeError)
        throw new ServiceUnavailableError(`identity provider unreachable: ${err.message}`);
      throw new UnauthenticatedError(`invalid token: ${(err as Error).message}`);
    }
    const tenant = payload[options.tenantClaim];
    if (typeof tenant !== 'string' || tenant === '')
      throw new UnauthenticatedError('token carries no tenant');
    if (typeof payload.sub !== 'string') throw new UnauthenticatedError('token carries no subject');
    const principal: Principal = {
      subject: payload.sub,
      tenantId: tenant,
      roles: claimRoles(payload, options.rolesClaim),
      email: typeof payload.email === 'string' ? payload.email : undefined,
      clientId: typeof payload.client_id === 'string' ? payload.client_id : undefined,
    };
    // a token without `exp` is checked again on its next use
    return { principal, expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : 0 };
  }
}

/** The verifier every service builds from its `OIDC_*` configuration. */
export function tokenVerifierFromConfig(config: Config): TokenVerifier {
  return createTokenVerifier({
    issuer: config.OIDC_ISSUER,
    audience: config.OIDC_AUDIENCE,
    jwksUri: config.OIDC_JWKS_URI,
    rolesClaim: config.OIDC_ROLES_CLAIM,
    tenantClaim: config.OIDC_TENANT_CLAIM,
  });
}

/** The per-request authentication state a resolver sees. */
export interface AuthContext {
  principal: Principal | null;
  /** Why authentication failed, when it did; thrown lazily by {@link requireRole}. */
  authError?: Error;
}

/**
 * Returns the caller when it holds at least one of `roles` (every authenticated caller when
 * `roles` is empty). Resolvers call this first; it is the only authorization entry point.
 *
 * @throws UnauthenticatedError without a valid token; ForbiddenError for the wrong role.
 */
export function requireRole(ctx: AuthContext, ...roles: Role[]): Principal {
  if (!ctx.principal) throw ctx.authError ?? new UnauthenticatedError();
  if (roles.length > 0 && !roles.some((r) => ctx.principal?.roles.has(r))) {
    throw new ForbiddenError(`requires one of the roles ${roles.join(', ')}`);
  }
  return ctx.principal;
}

/** A stable actor string for audit events: `user:<sub>` or `client:<id>`. */
export function actorOf(principal: Principal): string {
  return principal.clientId && principal.clientId === principal.subject
    ? `client:${principal.clientId}`
    : `user:${principal.email ?? principal.subject}`;
}
