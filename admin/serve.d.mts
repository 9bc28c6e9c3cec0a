export interface AdminServerOptions {
  /** Port to listen on; 0 picks a free one. Default 4006. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /** Gateway GraphQL endpoint the app calls, e.g. http://127.0.0.1:4000/graphql. */
  gatewayUrl: string;
  /** OIDC issuer base URL, e.g. http://127.0.0.1:4005. */
  issuerUrl: string;
  /** The chain's JSON-RPC endpoint the verification page reads by default (and the CSP allows). */
  chainRpcUrl?: string;
  /** Sign-in settings added to /config.json (clientId, scope, …; see signInConfigFromEnv). */
  signIn?: Record<string, string>;
  /** Built app to serve. Default: admin/dist next to serve.mjs. */
  distDir?: string;
}

export interface AdminServer {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  close(): Promise<void>;
}

/** Serves the built back office with SPA fallback and /config.json from the given URLs. */
export function startAdminServer(options: AdminServerOptions): Promise<AdminServer>;

/** The sign-in settings of /config.json from ADMIN_OIDC_* and OIDC_*_CLAIM; unset ones are left out. */
export function signInConfigFromEnv(env: Record<string, string | undefined>): Record<string, string>;
