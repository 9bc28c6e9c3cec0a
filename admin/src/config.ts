/**
 * Runtime configuration, fetched from `/config.json` at boot so one build runs against any gateway
 * and identity provider (admin/serve.mjs answers it from the environment; see `runtimeConfig`
 * there for the variable of each field).
 *
 * The back office signs in with OpenID Connect's authorization code flow with PKCE against
 * `issuerUrl`. The defaults suit the development issuer. Microsoft Entra ID needs configuration
 * only:
 *   OIDC_ISSUER=https://login.microsoftonline.com/<tenant id>/v2.0
 *   ADMIN_OIDC_CLIENT_ID=<the back office's app registration: Application (client) ID>
 *   ADMIN_OIDC_SCOPE=openid profile offline_access api://<API app id>/access_as_user
 *   ADMIN_OIDC_ISSUER_NAME=Microsoft Entra ID
 *   OIDC_ROLES_CLAIM=roles  OIDC_TENANT_CLAIM=tid
 * with the app registered as a single-page application whose redirect URIs are
 * `<admin origin>/auth/callback` and `<admin origin>/` (Entra ID returns there after sign-out).
 * README.md ("Signing in to the back office") lists the whole registration.
 */
export interface AdminConfig {
  gatewayUrl: string;
  /** The OIDC authority; discovery at `<issuerUrl>/.well-known/openid-configuration`. */
  issuerUrl: string;
  /** Shown on the sign-in button, "Sign in with <issuerName>". Default: the issuer's host. */
  issuerName: string;
  /** The back office's public client id. Default `tranche-admin` (the development issuer's). */
  clientId: string;
  /** Scopes to ask for, space-separated; `offline_access` brings a refresh token. */
  scope: string;
  /** Where the issuer returns the browser with the code; on this origin. Default `<origin>/auth/callback`. */
  redirectUri: string;
  /** Where the issuer returns the browser after sign-out. Default `<origin>/`. */
  postLogoutRedirectUri: string;
  /** Access-token claim carrying the roles. Default `roles`. */
  rolesClaim: string;
  /** Access-token claim carrying the tenant id. Default `tenant` (Entra ID: `tid`). */
  tenantClaim: string;
  /** The chain's JSON-RPC endpoint the verification page reads by default; null when none is set. */
  chainRpcUrl: string | null;
}

export const DEFAULT_CLIENT_ID = 'tranche-admin';
export const DEFAULT_SCOPE = 'openid profile offline_access';
export const CALLBACK_PATH = '/auth/callback';

const absoluteHttpUrl = (value: unknown, name: string): string => {
  if (typeof value !== 'string') throw new Error(`config.json: ${name} must be a string`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`config.json: ${name} is not a URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`config.json: ${name} must be http(s): ${value}`);
  }
  return value;
};

const optionalText = (value: unknown, name: string, fallback: string): string => {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`config.json: ${name} must be a non-empty string`);
  }
  return value.trim();
};

/**
 * Validates a parsed config.json and fills in the defaults; `origin` is the back office's own
 * (`window.location.origin`). Throws an Error naming the bad field; the scope must include
 * `openid`, and the redirect URI must be on `origin` (this app handles the callback).
 */
export const parseConfig = (json: unknown, origin: string): AdminConfig => {
  if (typeof json !== 'object' || json === null) throw new Error('config.json: expected an object');
  const raw = json as Record<string, unknown>;
  const issuerUrl = absoluteHttpUrl(raw.issuerUrl, 'issuerUrl');
  const redirectUri =
    raw.redirectUri === undefined
      ? `${origin}${CALLBACK_PATH}`
      : absoluteHttpUrl(raw.redirectUri, 'redirectUri');
  if (new URL(redirectUri).origin !== origin) {
    throw new Error(`config.json: redirectUri must be on this origin (${origin}): ${redirectUri}`);
  }
  const scope = optionalText(raw.scope, 'scope', DEFAULT_SCOPE);
  if (!scope.split(/\s+/).includes('openid')) throw new Error('config.json: scope must include openid');
  return {
    gatewayUrl: absoluteHttpUrl(raw.gatewayUrl, 'gatewayUrl'),
    issuerUrl,
    issuerName: optionalText(raw.issuerName, 'issuerName', new URL(issuerUrl).host),
    clientId: optionalText(raw.clientId, 'clientId', DEFAULT_CLIENT_ID),
    scope,
    redirectUri,
    postLogoutRedirectUri:
      raw.postLogoutRedirectUri === undefined
        ? `${origin}/`
        : absoluteHttpUrl(raw.postLogoutRedirectUri, 'postLogoutRedirectUri'),
    rolesClaim: optionalText(raw.rolesClaim, 'rolesClaim', 'roles'),
    tenantClaim: optionalText(raw.tenantClaim, 'tenantClaim', 'tenant'),
    chainRpcUrl: raw.chainRpcUrl === undefined ? null : absoluteHttpUrl(raw.chainRpcUrl, 'chainRpcUrl'),
  };
};

/** Fetches and validates `/config.json` (never cached, so a redeploy's config is picked up). */
export const loadConfig = async (
  url = '/config.json',
  origin = window.location.origin,
): Promise<AdminConfig> => {
  const response = await fetch(url, { cache: 'no-store', headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  return parseConfig(await response.json(), origin);
};
