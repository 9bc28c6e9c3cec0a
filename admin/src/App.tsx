import { useMemo } from 'react';
import { Admin, Resource } from 'react-admin';
import auditAnchors from './auditAnchors';
import { withBundleDownloads } from './auditAnchors/bundleDownload';
import auditEvents from './auditEvents';
import breakGlassGrants from './breakGlassGrants';
import changeRequests from './changeRequests';
import type { AdminConfig } from './config';
import deals from './deals';
import { i18nProvider } from './i18n/i18nProvider';
import killSwitches from './killSwitches';
import { withIssuance } from './issuance/issuanceProvider';
import { Layout } from './layout/Layout';
import { withLoanTapes } from './loanTapes/tapeProvider';
import { createApolloClient } from './providers/apolloClient';
import { createAuthProvider } from './providers/authProvider';
import { createDataProvider } from './providers/dataProvider';
import { createPasswordLogin } from './providers/oidc';
import { Session } from './providers/session';

/** The back office, wired to the gateway and issuer named in the runtime config. */
export const App = ({ config }: { config: AdminConfig }) => {
  const { authProvider, dataProvider } = useMemo(() => {
    const session = new Session(window.sessionStorage);
    const client = createApolloClient(config.gatewayUrl, () => session.token());
    return {
      dataProvider: withIssuance(
        withLoanTapes(
          withBundleDownloads(createDataProvider(client), config.gatewayUrl, () => session.token()),
          client,
          config.gatewayUrl,
          () => session.token(),
        ),
        client,
      ),
      authProvider: createAuthProvider({
        session,
        passwordLogin: createPasswordLogin(config.issuerUrl),
        onLogout: () => client.clearStore().then(() => undefined),
      }),
    };
  }, [config]);

  return (
    <Admin
      title="tranche.app.title"
      dataProvider={dataProvider}
      authProvider={authProvider}
      i18nProvider={i18nProvider}
      requireAuth
      disableTelemetry
      layout={Layout}
    >
      <Resource name="deals" {...deals} />
      <Resource name="auditEvents" {...auditEvents} />
      <Resource name="auditAnchors" {...auditAnchors} />
      <Resource name="changeRequests" {...changeRequests} />
      <Resource name="killSwitches" {...killSwitches} />
      <Resource name="breakGlassGrants" {...breakGlassGrants} />
    </Admin>
  );
};
