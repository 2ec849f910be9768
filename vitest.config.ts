import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/live/**'],
    testTimeout: 30_000,
    pool: 'forks',
    setupFiles: ['test/setup/fast-check-seed.ts', 'test/setup/no-imds.ts', 'test/setup/every-test-asserts.ts'],
    globalSetup: ['test/setup/fresh-build.ts'],
  },
});
