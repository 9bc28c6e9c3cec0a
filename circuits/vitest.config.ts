import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // proofs and setups are CPU-bound: one file at a time on a shared 2-core machine
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
