import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  // One graphql-js instance, as under Node: Vite would otherwise load graphql's .mjs build while
  // the CommonJS Apollo packages load its .js build, and instanceof checks would fail.
  resolve: { alias: { graphql: require.resolve('graphql') } },
  test: { include: ['src/**/*.test.ts'] },
});
