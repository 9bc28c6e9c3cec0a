import { createHash, randomBytes } from 'node:crypto';
import type { DemoUser } from './directory.js';

/** An authorization request that passed the checks of `/authorize`, as the code remembers it. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  /** Granted scopes, space-separated (always includes `openid`). */
  scope: string;
  nonce: string | undefined;
  /** BASE64URL(SHA-256(code_verifier)), RFC 7636 `S256`. */
  codeChallenge: string;
}

/** What a redeemed code or a rotated refresh token yields: the signed-in user and their session. */
export interface SessionGrant {
  user: DemoUser;
  /** Session id (the `sid` claim); every refresh token of the sign-in belongs to it. */
  sid: string;
  clientId: string;
  scope: string;
  /** When the user typed their password, seconds since the epoch (`auth_time`). */
  authTime: number;
  /** Set when the grant came from a code: the nonce the client sent to `/authorize`. */
  nonce?: string;
  /** A new single-use refresh token, when the scope has `offline_access`. */
  refreshToken?: string;
}

/** An OAuth error the token endpoint answers with HTTP 400 (RFC 6749 section 5.2). */
export class GrantError extends Error {
  constructor(
    readonly error: 'invalid_grant' | 'invalid_request',
    description: string,
  ) {
    super(description);
    this.name = 'GrantError';
  }
}

interface IssuedCode {
  request: AuthorizationRequest;
  sid: string;
  expiresAt: number;
  redeemed: boolean;
}

interface Session {
  user: DemoUser;
  clientId: string;
  scope: string;
  authTime: number;
  expiresAt: number;
  ended: boolean;
}

interface RefreshToken {
  sid: string;
  spent: boolean;
}

export interface SignInSessionsOptions {
  /** How long an authorization code may wait to be redeemed, milliseconds. */
  codeTtlMs: number;
  /** How long a sign-in's refresh tokens keep working, from the password entry, milliseconds. */
  sessionTtlMs: number;
  /** Milliseconds since the epoch; tests move it to expire codes and sessions. */
  now: () => number;
}

const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
const opaque = () => randomBytes(32).toString('base64url');

/** RFC 7636 S256: BASE64URL(SHA-256(ASCII(code_verifier))). */
export const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

/**
 * The development issuer's memory of sign-ins: single-use authorization codes bound to their PKCE
 * challenge, client and redirect URI, and sessions whose refresh tokens rotate on every use.
 * Replaying a code or a spent refresh token ends the whole session (RFC 6749 section 4.1.2, the
 * OAuth security BCP's reuse detection), since it means someone else holds a copy. Everything is
 * in memory: restarting the issuer signs everyone out, which is fine for development.
 */
export class SignInSessions {
  private readonly codes = new Map<string, IssuedCode>();
  private readonly sessions = new Map<string, Session>();
  private readonly refreshTokens = new Map<string, RefreshToken>();

  constructor(private readonly options: SignInSessionsOptions) {}

  /** Starts a session for `user`, who just signed in, and returns the code for the client. */
  issueCode(user: DemoUser, request: AuthorizationRequest): string {
    this.prune();
    const now = this.options.now();
    const sid = opaque();
    this.sessions.set(sid, {
      user,
      clientId: request.clientId,
      scope: request.scope,
      authTime: Math.floor(now / 1000),
      expiresAt: now + this.options.sessionTtlMs,
      ended: false,
    });
    const code = opaque();
    this.codes.set(code, { request, sid, expiresAt: now + this.options.codeTtlMs, redeemed: false });
    return code;
  }

  /**
   * Redeems `code` once. Throws GrantError('invalid_grant') when the code is unknown, expired,
   * already redeemed (which also ends the session it started), issued to another client or
   * redirect URI, or when `codeVerifier` does not hash to the code's challenge; the code cannot be
   * tried again after any of these.
   */
  redeemCode(
    code: string,
    client: { clientId: string; redirectUri: string; codeVerifier: string },
  ): SessionGrant {
    const issued = this.codes.get(code);
    if (issued === undefined) throw new GrantError('invalid_grant', 'unknown authorization code');
    if (issued.redeemed) {
      this.endSession(issued.sid);
      throw new GrantError('invalid_grant', 'authorization code already used');
    }
    issued.redeemed = true;
    if (issued.expiresAt <= this.options.now())
      throw new GrantError('invalid_grant', 'authorization code expired');
    const { request } = issued;
    if (request.clientId !== client.clientId)
      throw new GrantError('invalid_grant', 'authorization code was issued to another client');
    if (request.redirectUri !== client.redirectUri)
      throw new GrantError('invalid_grant', 'redirect_uri does not match the authorization request');
    if (!VERIFIER.test(client.codeVerifier) || s256(client.codeVerifier) !== request.codeChallenge)
      throw new GrantError('invalid_grant', 'code_verifier does not match the code_challenge');
    const session = this.liveSession(issued.sid);
    return { ...this.grant(issued.sid, session), nonce: request.nonce };
  }

  /**
   * Exchanges a refresh token for the session's next one (the old one is spent). Throws
   * GrantError('invalid_grant') for an unknown token, a token of another client, an ended or
   * expired session, or a token already used (which ends the session).
   */
  rotateRefreshToken(token: string, clientId: string): SessionGrant {
    const stored = this.refreshTokens.get(token);
    if (stored === undefined) throw new GrantError('invalid_grant', 'unknown refresh token');
    if (stored.spent) {
      this.endSession(stored.sid);
      throw new GrantError('invalid_grant', 'refresh token already used');
    }
    const session = this.liveSession(stored.sid);
    if (session.clientId !== clientId)
      throw new GrantError('invalid_grant', 'refresh token was issued to another client');
    stored.spent = true;
    return this.grant(stored.sid, session);
  }

  /** Ends session `sid` (sign-out): its refresh tokens stop working at once. Unknown ids are ignored. */
  endSession(sid: string): void {
    const session = this.sessions.get(sid);
    if (session !== undefined) session.ended = true;
    for (const [token, stored] of this.refreshTokens)
      if (stored.sid === sid) this.refreshTokens.delete(token);
  }

  private liveSession(sid: string): Session {
    const session = this.sessions.get(sid);
    if (session === undefined || session.ended)
      throw new GrantError('invalid_grant', 'the session has ended');
    if (session.expiresAt <= this.options.now())
      throw new GrantError('invalid_grant', 'the session has expired');
    return session;
  }

  private grant(sid: string, session: Session): SessionGrant {
    let refreshToken: string | undefined;
    if (session.scope.split(' ').includes('offline_access')) {
      refreshToken = opaque();
      this.refreshTokens.set(refreshToken, { sid, spent: false });
    }
    const { user, clientId, scope, authTime } = session;
    return { user, sid, clientId, scope, authTime, refreshToken };
  }

  /** Forgets expired codes and sessions (and their refresh tokens), so memory stays bounded. */
  private prune(): void {
    const now = this.options.now();
    for (const [code, issued] of this.codes) if (issued.expiresAt <= now) this.codes.delete(code);
    for (const [sid, session] of this.sessions) {
      if (session.expiresAt <= now) {
        this.endSession(sid);
        this.sessions.delete(sid);
      }
    }
  }
}
