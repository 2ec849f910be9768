// The unit tests that import the sources directly, for mutation testing (`npm run mutate`): tests
// that run the built bundle or binary cannot see Stryker's mutants, so they only cost time there,
// and so does building them (no globalSetup here); so do the tests that read test titles or the
// mutation report rather than the sources.
import { defineConfig } from 'vitest/config';
import unit from './vitest.config';

export default defineConfig({
  test: {
    include: unit.test?.include,
    exclude: ['test/live/**', 'test/e2e/**', 'test/cli/**', 'test/examples.test.ts', 'test/summarize-cli.test.ts', 'test/readme-sample.test.ts', 'test/summarize-scale.test.ts', 'test/live-gate.test.ts', 'test/registry-verdict-tests.test.ts', 'test/mutation-scores.test.ts', 'test/upload/upload-azurite.test.ts', 'test/upload/examples-upload.test.ts', 'test/readme-commands.test.ts', 'test/install.test.ts', 'test/action.test.ts', 'test/azure-template.test.ts', 'test/dockerfile.test.ts', 'test/package.test.ts', 'test/release-workflow.test.ts', 'test/layers.test.ts'],
    testTimeout: unit.test?.testTimeout,
    pool: unit.test?.pool,
    setupFiles: unit.test?.setupFiles,
  },
});
