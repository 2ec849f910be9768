// The bundle's JSON report for a command line, checked against the report schema, and the
// requirements' sources by feature: what the end-to-end requirement tests compare.
import { expect } from 'vitest';
import Ajv2020 from 'ajv/dist/2020';
import { reportSchema } from '../../src/report/report';
import type { Report } from '../../src/report/report';
import { runBundle } from './bundle';

export const validateReport = new Ajv2020({ strict: false, validateFormats: false }).compile(reportSchema);

export function bundleReport(args: string[], env: NodeJS.ProcessEnv = {}): { r: Report; stderr: string; status: number | null; stdout: string } {
  const run = runBundle(['--format', 'json', ...args], env);
  expect(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stderr}`).toBe(true);
  const r = JSON.parse(run.stdout) as Report;
  expect(validateReport(r), JSON.stringify(validateReport.errors)).toBe(true);
  return { r, ...run };
}

export const sources = (r: Report) => Object.fromEntries(r.requirements.map((x) => [x.feature, x.source]));
