// Property tests through expect(): `holds(property)` instead of fc.assert, so that a property
// counts as the test's assertion (test/setup/every-test-asserts.ts) and fails with fast-check's
// report (counterexample, seed and path; too many rejected cases fail too).
import fc from 'fast-check';
import { expect } from 'vitest';

export function holds<Ts>(property: fc.IProperty<Ts>, params?: fc.Parameters<Ts>): void {
  const details = fc.check(property, params);
  expect(details.failed, fc.defaultReportMessage(details) ?? '').toBe(false);
}
