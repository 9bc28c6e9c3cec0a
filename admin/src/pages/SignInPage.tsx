import { Alert, Button, CardContent } from '@mui/material';
import { useState } from 'react';
import { Login, useLogin, useNotify, useTranslate } from 'react-admin';
import { useLocation } from 'react-router-dom';

/** Where react-admin says the user was headed when it sent them to sign in. */
const nextRoute = (state: unknown): string | undefined => {
  if (typeof state !== 'object' || state === null) return undefined;
  const { nextPathname, nextSearch } = state as { nextPathname?: unknown; nextSearch?: unknown };
  if (typeof nextPathname !== 'string' || nextPathname === '/login') return undefined;
  return nextPathname + (typeof nextSearch === 'string' ? nextSearch : '');
};

/**
 * The back office's sign-in page: one button that leaves for the identity provider's own sign-in
 * (authorization code with PKCE); the back office never sees a password. `error` is why the last
 * sign-in did not complete (the callback failed), shown above the button.
 */
export const SignInPage = ({ issuerName, error }: { issuerName: string; error?: string }) => {
  const login = useLogin();
  const notify = useNotify();
  const translate = useTranslate();
  const location = useLocation();
  const [leaving, setLeaving] = useState(false);

  const signIn = () => {
    setLeaving(true);
    login({ returnTo: nextRoute(location.state) }).catch((reason: unknown) => {
      setLeaving(false);
      notify(reason instanceof Error ? reason.message : 'tranche.auth.issuer_unavailable', { type: 'error' });
    });
  };

  return (
    <Login>
      <CardContent sx={{ display: 'flex', flexDirection: 'column', gap: 2, maxWidth: 360 }}>
        {error === undefined ? null : (
          <Alert severity="error">{translate('tranche.auth.sign_in_failed', { error })}</Alert>
        )}
        <Button variant="contained" onClick={signIn} disabled={leaving} fullWidth>
          {translate(leaving ? 'tranche.auth.redirecting' : 'tranche.auth.sign_in_with', {
            issuer: issuerName,
          })}
        </Button>
      </CardContent>
    </Login>
  );
};
