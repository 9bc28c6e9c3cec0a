import { startDevIssuer } from './issuer.js';

// `node dist/main.js`: runs the development issuer on ISSUER_PORT (default 4005). The back office
// origins allowed to call it (CORS_ORIGINS) are also the ones it signs in to: the browser is sent
// back to `<origin>/auth/callback` after sign-in and to `<origin>/` after sign-out, nowhere else.
try {
  const adminOrigins = (process.env.CORS_ORIGINS ?? 'http://127.0.0.1:4006,http://localhost:4006')
    .split(',')
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  const issuer = await startDevIssuer({
    port: Number(process.env.ISSUER_PORT ?? 4005),
    host: process.env.HOST ?? '127.0.0.1',
    dataDir: process.env.DATA_DIR ?? '.data',
    audience: process.env.OIDC_AUDIENCE ?? 'tranche-api',
    corsOrigins: adminOrigins,
    redirectUris: adminOrigins.map((origin) => `${origin}/auth/callback`),
    postLogoutRedirectUris: adminOrigins.map((origin) => `${origin}/`),
  });
  console.log(JSON.stringify({ level: 30, service: 'dev-issuer', msg: 'ready', url: issuer.url }));
  const stop = () => void issuer.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  console.error(JSON.stringify({ level: 60, service: 'dev-issuer', msg: (err as Error).message }));
  process.exit(1);
}
