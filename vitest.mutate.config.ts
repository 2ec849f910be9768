// The unit tests that import the sources directly, for mutation testing (`npm run mutate`): tests
// that run the built bundle or binary cannot see Stryker's mutants, so they only cost time there.
import { defineConfig, mergeConfig } from 'vitest/config';
import unit from './vitest.config';

export default mergeConfig(
  unit,
  defineConfig({
    test: {
      exclude: ['test/live/**', 'test/e2e/**', 'test/cli/**', 'test/examples.test.ts', 'test/summarize-cli.test.ts', 'test/summarize-scale.test.ts'],
    },
  }),
);
