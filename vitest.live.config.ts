// Live scenarios: real daemons, firewalls and packages in namespaces. Needs root and the apt
// packages that .ci/run installs; run with `npm run test:live`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/live/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    setupFiles: ['test/setup/no-imds.ts'],
    fileParallelism: false,
  },
});
