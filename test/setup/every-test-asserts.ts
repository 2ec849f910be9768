// No test without an assertion: a test that ends without calling expect() fails, on every machine.
// (Property tests assert through fc.assert: see test/helpers/property.ts.)
import { beforeEach, expect } from 'vitest';

beforeEach(() => {
  expect.hasAssertions();
});
