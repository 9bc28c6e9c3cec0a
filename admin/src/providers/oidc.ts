/**
 * The slice of OIDC the back office uses against the dev issuer: discovery and the resource-owner
 * password grant. Request building and response parsing are pure so they can be tested without a
 * server; `passwordLogin` only wires them to `fetch`.
 */

export const ADMIN_CLIENT_ID = 'tranche-admin';
export const ADMIN_SCOPE = 'openid profile';

export interface TokenResponse {
  accessToken: string;
  idToken: string | undefined;
  expiresIn: number | undefined;
}

/** A login failure whose message is an i18n key the login form translates. */
export class LoginError extends Error {
  constructor(
    message: string,
    readonly description?: string,
  ) {
    super(message);
    this.name = 'LoginError';
  }
}

/** `${issuerUrl}/.well-known/openid-configuration`, tolerating a trailing slash on the issuer. */
export const discoveryUrl = (issuerUrl: string): string =>
  `${issuerUrl.replace(/\/+$/, '')}/.well-known/openid-configuration`;

/** Form body of the password grant for the admin client. */
export const passwordGrantBody = (email: string, password: string): URLSearchParams =>
  new URLSearchParams({
    grant_type: 'password',
    username: email,
    password,
    client_id: ADMIN_CLIENT_ID,
    scope: ADMIN_SCOPE,
  });

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** Extracts `token_endpoint` from a discovery document; throws LoginError when it is missing. */
export const parseDiscovery = (document: unknown): { tokenEndpoint: string } => {
  if (!isObject(document) || typeof document.token_endpoint !== 'string') {
    throw new LoginError('tranche.auth.issuer_unavailable');
  }
  return { tokenEndpoint: document.token_endpoint };
};

/**
 * Turns the token endpoint's answer into tokens. Bad credentials (`invalid_grant`, or any 400/401)
 * throw LoginError('tranche.auth.invalid_credentials'); other failures throw
 * LoginError('tranche.auth.issuer_unavailable').
 */
export const parseTokenResponse = (status: number, body: unknown): TokenResponse => {
  if (status === 400 || status === 401 || (isObject(body) && body.error === 'invalid_grant')) {
    const description =
      isObject(body) && typeof body.error_description === 'string' ? body.error_description : undefined;
    throw new LoginError('tranche.auth.invalid_credentials', description);
  }
  if (status < 200 || status >= 300 || !isObject(body) || typeof body.access_token !== 'string') {
    throw new LoginError('tranche.auth.issuer_unavailable');
  }
  if (typeof body.token_type === 'string' && body.token_type.toLowerCase() !== 'bearer') {
    throw new LoginError('tranche.auth.issuer_unavailable');
  }
  return {
    accessToken: body.access_token,
    idToken: typeof body.id_token === 'string' ? body.id_token : undefined,
    expiresIn: typeof body.expires_in === 'number' ? body.expires_in : undefined,
  };
};

const readJson = async (response: Response): Promise<unknown> => {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
};

/**
 * Discovers the token endpoint (cached per issuer for the page's lifetime) and exchanges email and
 * password for tokens. Network failures throw LoginError('tranche.auth.issuer_unavailable').
 */
export const createPasswordLogin = (issuerUrl: string, fetchImpl: typeof fetch = fetch) => {
  let tokenEndpoint: Promise<string> | undefined;
  const discover = (): Promise<string> => {
    tokenEndpoint ??= fetchImpl(discoveryUrl(issuerUrl), { headers: { Accept: 'application/json' } })
      .then(async (response) => {
        if (!response.ok) throw new LoginError('tranche.auth.issuer_unavailable');
        return parseDiscovery(await readJson(response)).tokenEndpoint;
      })
      .catch((error: unknown) => {
        tokenEndpoint = undefined;
        throw error instanceof LoginError ? error : new LoginError('tranche.auth.issuer_unavailable');
      });
    return tokenEndpoint;
  };

  return async (email: string, password: string): Promise<TokenResponse> => {
    const endpoint = await discover();
    let response: Response;
    try {
      response = await fetchImpl(endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: passwordGrantBody(email, password),
      });
    } catch {
      throw new LoginError('tranche.auth.issuer_unavailable');
    }
    return parseTokenResponse(response.status, await readJson(response));
  };
};
