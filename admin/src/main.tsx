import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { loadConfig } from './config';
import { en } from './i18n/en';
import { createSignInClient, SignInError } from './providers/oidc';
import { Session } from './providers/session';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');
const root = createRoot(container);

/**
 * Loads the runtime config and the stored sign-in. On the redirect URI (the issuer returning with
 * a code) it first completes the sign-in, then replaces the callback URL, which holds the spent
 * code, with the app route the user was headed for.
 */
const boot = async () => {
  const config = await loadConfig();
  const session = new Session(Date.now, { roles: config.rolesClaim, tenant: config.tenantClaim });
  const signIn = createSignInClient(config, session);
  let signInError: string | undefined;
  if (signIn.isCallback(window.location.href)) {
    let route = '/';
    try {
      route = await signIn.completeSignIn(window.location.href);
    } catch (error) {
      signInError = error instanceof SignInError ? (error.detail ?? error.message) : String(error);
      route = '/login';
    }
    window.history.replaceState(null, '', new URL(`/#${route}`, window.location.origin).href);
  }
  await signIn.restore();
  return { config, session, signIn, signInError };
};

/** Renders the configuration error (before the config is known there is no i18n provider yet). */
const fail = (error: unknown) => {
  const reason = error instanceof Error ? error.message : String(error);
  root.render(<p role="alert">{en.tranche.app.config_error.replace('%{error}', reason)}</p>);
};

// The public verification page needs no account: it skips the sign-in entirely, and its code
// (snarkjs included) loads only there.
if (window.location.pathname === '/verify') {
  Promise.all([loadConfig(), import('./verify/VerifyPage')]).then(([config, { VerifyPage }]) => {
    root.render(
      <StrictMode>
        <VerifyPage chainRpcUrl={config.chainRpcUrl} />
      </StrictMode>,
    );
  }, fail);
} else {
  boot().then((booted) => {
    root.render(
      <StrictMode>
        <App {...booted} />
      </StrictMode>,
    );
  }, fail);
}
