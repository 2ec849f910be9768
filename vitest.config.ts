import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/live/**'],
    testTimeout: 30_000,
    pool: 'forks',
    setupFiles: ['test/setup/fast-check-seed.ts'],
    globalSetup: ['test/setup/fresh-build.ts'],
  },
});
