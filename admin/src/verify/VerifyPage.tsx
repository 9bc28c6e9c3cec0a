import { Container, CssBaseline, ThemeProvider, createTheme } from '@mui/material';
import { useEffect, useState } from 'react';
import { VerifyPanel, type BundleSource } from './VerifyPanel';

const theme = createTheme();

/**
 * The public verification page at `/verify`, outside the back office: no account, no session, for
 * auditors outside the firm. They upload the bundle they were sent, or open a shared link
 * `/verify?bundle=<URL of the .tar.gz>`, and name any JSON-RPC endpoint of the chain (the page's
 * CSP allows any http(s) origin here and nowhere else).
 */
export const VerifyPage = ({ chainRpcUrl }: { chainRpcUrl: string | null }) => {
  const link = new URLSearchParams(window.location.search).get('bundle');
  const [initial, setInitial] = useState<BundleSource | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  useEffect(() => {
    if (!link) return;
    let url: URL;
    try {
      url = new URL(link, window.location.href);
    } catch {
      setLoadError(`the shared link's bundle is not a URL: ${link}`);
      return;
    }
    fetch(url)
      .then(async (response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        setInitial({
          name: url.pathname.split('/').pop() || url.href,
          bytes: new Uint8Array(await response.arrayBuffer()),
        });
      })
      .catch((error: unknown) =>
        setLoadError(
          `could not fetch the bundle at ${url.href}: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
  }, [link]);
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <Container maxWidth="lg" sx={{ py: 4 }}>
        <VerifyPanel
          defaultRpcUrl={chainRpcUrl}
          initial={initial}
          loading={link && !initial && !loadError ? 'Fetching the shared bundle…' : null}
          loadError={loadError}
        />
      </Container>
    </ThemeProvider>
  );
};
