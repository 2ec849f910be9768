// The JUnit rendering stays inside the Jenkins xunit plugin's junit-10.xsd dialect, the one GitHub
// and Azure Pipelines test reporters accept. The elements and attributes each element may carry
// are read off that schema (jenkinsci/xunit-plugin,
// src/main/resources/org/jenkinsci/plugins/xunit/types/model/xsd/junit-10.xsd): `testsuites` has
// no `skipped` (the bug this guards), `testsuite` requires name, tests, failures and errors.
import { describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { reportOf } from '../helpers/report-of';
import { renderReport } from '../../src/report/render';
import { summarize } from '../../src/report/report';
import type { CheckOutcome, CheckStatus } from '../../src/types';

const ALLOWED: Record<string, { attrs: string[]; required?: string[]; children: string[] }> = {
  testsuites: { attrs: ['name', 'time', 'tests', 'failures', 'errors'], children: ['testsuite'] },
  testsuite: {
    attrs: ['name', 'tests', 'failures', 'errors', 'group', 'time', 'skipped', 'timestamp', 'hostname', 'id', 'package', 'file', 'log', 'url'],
    required: ['name', 'tests', 'failures', 'errors'],
    children: ['testsuite', 'properties', 'testcase', 'system-out', 'system-err'],
  },
  testcase: { attrs: ['name', 'time', 'classname', 'group'], required: ['name'], children: ['skipped', 'error', 'failure', 'system-out', 'system-err'] },
  failure: { attrs: ['type', 'message'], children: [] },
  error: { attrs: ['type', 'message'], children: [] },
  skipped: { attrs: ['type', 'message'], children: [] },
  'system-out': { attrs: [], children: [] },
};
// The schema's SUREFIRE_TIME pattern for `time`.
const TIME = /^(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?$/;

type Node = Record<string, unknown>;
function violations(name: string, node: unknown, out: string[] = []): string[] {
  const rule = ALLOWED[name];
  if (!rule) return [...out, `element ${name} is not in the dialect`];
  if (typeof node !== 'object' || node === null) return out;
  const n = node as Node;
  for (const key of Object.keys(n)) {
    if (key === '#text') continue;
    if (key.startsWith('@')) {
      const attr = key.slice(1);
      if (!rule.attrs.includes(attr)) out.push(`${name} has attribute ${attr}`);
      if (attr === 'time' && !TIME.test(String(n[key]))) out.push(`${name} time ${String(n[key])} is not SUREFIRE_TIME`);
      continue;
    }
    if (!rule.children.includes(key)) out.push(`${name} contains ${key}`);
    for (const child of [n[key]].flat()) violations(key, child, out);
  }
  for (const r of rule.required ?? []) if (!(`@${r}` in n)) out.push(`${name} lacks ${r}`);
  return out;
}

const ran = (id: string, status: CheckStatus): CheckOutcome => ({
  id,
  title: id,
  area: 'a',
  status,
  message: 'm',
  findings: [{ status, message: 'm' }],
  ...(status === 'pass' ? {} : { category: 'image' as const, retryable: false }),
  durationMs: 1234,
});

describe('JUnit dialect', () => {
  const parse = (checks: CheckOutcome[], strict: boolean) => {
    const xml = renderReport({ ...reportOf(checks), summary: summarize(checks, strict) }, 'junit');
    return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', alwaysCreateTextNode: false }).parse(xml) as Node;
  };

  it('uses only the elements and attributes junit-10.xsd allows, whatever the statuses', () => {
    const all: CheckOutcome[] = [
      ran('p', 'pass'),
      ran('w', 'warn'),
      ran('f', 'fail'),
      ran('e', 'error'),
      { id: 'd', title: 'd', area: 'a', status: 'skip', message: 'x', skipReason: 'x', skipKind: 'dependency', durationMs: 0 },
    ];
    for (const strict of [false, true]) expect(violations('testsuites', parse(all, strict).testsuites)).toEqual([]);
    expect(violations('testsuites', parse([], false).testsuites)).toEqual([]);
  });

  it('catches what the dialect forbids (the check itself can fail)', () => {
    expect(violations('testsuites', { '@skipped': '1', testsuite: { '@name': 'x', '@tests': '0', '@failures': '0' } })).toEqual([
      'testsuites has attribute skipped',
      'testsuite lacks errors',
    ]);
  });
});
