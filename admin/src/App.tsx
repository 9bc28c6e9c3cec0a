import { lazy, Suspense, useCallback, useMemo } from 'react';
import { Admin, CustomRoutes, Resource } from 'react-admin';
import { Route } from 'react-router-dom';
import auditAnchors from './auditAnchors';
import { withBundleDownloads } from './auditAnchors/bundleDownload';
import auditEvents from './auditEvents';
import breakGlassGrants from './breakGlassGrants';
import changeRequests from './changeRequests';
import type { AdminConfig } from './config';
import deals from './deals';
import distributions from './distributions';
import { i18nProvider } from './i18n/i18nProvider';
import investors from './investors';
import { REVIEW_QUEUE_PATH, ReviewQueue } from './investors/ReviewQueue';
import killSwitches from './killSwitches';
import { withIssuance } from './issuance/issuanceProvider';
import { Layout } from './layout/Layout';
import { withLoanTapes } from './loanTapes/tapeProvider';
import { createApolloClient } from './providers/apolloClient';
import { createAuthProvider } from './providers/authProvider';
import { createAuthorizedFetch } from './providers/authorizedFetch';
import { createDataProvider } from './providers/dataProvider';
import type { SignInClient } from './providers/oidc';
import type { Session } from './providers/session';
import { SignInPage } from './pages/SignInPage';
import { VERIFY_ROUTE } from './verify/paths';
import { withAuditReports } from './verify/reportProvider';
import { withStructuring } from './structuring/structuringProvider';

// The verification page (snarkjs, ethers) loads only when an auditor opens it.
const VerifyRoute = lazy(() => import('./verify/VerifyRoute'));
import portfolio from './portfolio';
import { withStatementDownloads } from './portfolio/statementDownload';

interface AppProps {
  config: AdminConfig;
  session: Session;
  signIn: SignInClient;
  /** Why the sign-in that just returned from the issuer failed, if it did. */
  signInError?: string;
}

/** The back office, wired to the gateway and the identity provider named in the runtime config. */
export const App = ({ config, session, signIn, signInError }: AppProps) => {
  const { authProvider, dataProvider } = useMemo(() => {
    const token = () => session.token();
    const client = createApolloClient(config.gatewayUrl, createAuthorizedFetch(token, signIn.renew));
    return {
      dataProvider: withAuditReports(
        withStatementDownloads(
          withIssuance(
            withLoanTapes(
              withBundleDownloads(
                withStructuring(createDataProvider(client), client),
                config.gatewayUrl,
                token,
              ),
              client,
              config.gatewayUrl,
              token,
            ),
            client,
          ),
          config.gatewayUrl,
          token,
        ),
        client,
      ),
      authProvider: createAuthProvider({
        session,
        signIn,
        onLogout: () => client.clearStore().then(() => undefined),
      }),
    };
  }, [config, session, signIn]);
  const loginPage = useCallback(
    () => <SignInPage issuerName={config.issuerName} error={signInError} />,
    [config.issuerName, signInError],
  );

  return (
    <Admin
      title="tranche.app.title"
      dataProvider={dataProvider}
      authProvider={authProvider}
      loginPage={loginPage}
      i18nProvider={i18nProvider}
      requireAuth
      disableTelemetry
      layout={Layout}
    >
      <Resource name="deals" {...deals} />
      <Resource name="investors" {...investors} />
      <Resource name="distributions" {...distributions} />
      <Resource name="auditEvents" {...auditEvents} />
      <Resource name="auditAnchors" {...auditAnchors} />
      <Resource name="changeRequests" {...changeRequests} />
      <Resource name="killSwitches" {...killSwitches} />
      <Resource name="breakGlassGrants" {...breakGlassGrants} />
      {/* The INVESTOR role's only resource, hence their landing page. */}
      <Resource name="portfolio" {...portfolio} />
      <CustomRoutes>
        <Route path={REVIEW_QUEUE_PATH} element={<ReviewQueue />} />
        <Route
          path={VERIFY_ROUTE}
          element={
            <Suspense fallback={null}>
              <VerifyRoute chainRpcUrl={config.chainRpcUrl} />
            </Suspense>
          }
        />
      </CustomRoutes>
    </Admin>
  );
};
