import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { signInConfigFromEnv } from './serve.mjs';

/** `vite dev` answers /config.json like serve.mjs does, from GATEWAY_URL, OIDC_ISSUER and ADMIN_OIDC_*. */
const runtimeConfig = (): Plugin => ({
  name: 'tranche-runtime-config',
  configureServer(server) {
    server.middlewares.use('/config.json', (_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Cache-Control', 'no-store');
      res.end(
        JSON.stringify({
          gatewayUrl: process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql',
          issuerUrl: process.env.OIDC_ISSUER ?? 'http://127.0.0.1:4005',
          ...signInConfigFromEnv(process.env),
        }),
      );
    });
  },
});

export default defineConfig({
  plugins: [react(), runtimeConfig()],
  server: { host: '127.0.0.1', port: Number(process.env.ADMIN_PORT ?? 4006), strictPort: true },
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 2000 },
});
