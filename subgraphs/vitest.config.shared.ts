import { defineConfig } from 'vitest/config';

// Every subgraph's service tests run against a real PostgreSQL database created for the run
// (the machine's server when DATABASE_URL is set, else an embedded one); a subgraph's files
// share it one after another. Paths are relative to the subgraph's folder.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    globalSetup: ['../../packages/devstack/dist/test-database-setup.js'],
    fileParallelism: false,
    hookTimeout: 120_000,
  },
});
