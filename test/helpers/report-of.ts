// A whole report around given check outcomes, for tests of the renderings.
import type { Report } from '../../src/report/report';
import { SCHEMA_VERSION, summarize } from '../../src/report/report';
import type { CheckOutcome } from '../../src/types';

export function reportOf(checks: CheckOutcome[], mode: Report['host']['mode'] = 'image'): Report {
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'batch-preflight', version: '0.1.0' },
    startedAt: '2026-11-28T03:00:00.000Z',
    durationMs: 42,
    host: { hostname: 'node-1', os: { id: 'ubuntu', versionId: '22.04', prettyName: 'Ubuntu 22.04.4 LTS' }, kernel: '6.5.0', arch: 'x64', mode, modeReason: 'test', root: '/' },
    requirements: [{ feature: 'docker', source: 'default' }],
    deadlineExceeded: false,
    summary: summarize(checks, false),
    checks,
  };
}
