import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Database and server tests start real PGlite instances (hundreds of MB each): keep the
    // number running at once within a 2-core, shared machine.
    maxWorkers: 2,
    // The command line bundled once for the tests that start it as a child process.
    globalSetup: ['test/support/cli-bundle.setup.ts'],
  },
});
