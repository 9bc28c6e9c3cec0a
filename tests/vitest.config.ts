import { defineConfig } from 'vitest/config';

// Each file starts its own platform (database, issuer, subgraphs, gateway) on free ports;
// files run one after another so two stacks never compete for this machine's two cores.
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts', 'browser/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
