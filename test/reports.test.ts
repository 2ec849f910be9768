import { describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Report } from '../src/report/report';
import Ajv2020 from 'ajv/dist/2020';
import { reportSchema, SCHEMA_VERSION, summarize } from '../src/report/report';
import { outcomeOf } from '../src/engine/outcome';
import { error, fail, finding, pass, warn } from '../src/check-helpers';
import { renderReport } from '../src/report/render';
import { PLAIN } from '../src/report/human-style';
import type { CheckOutcome } from '../src/types';
import { schemaErrors } from './helpers/schema';
import { reportOf } from './helpers/report-of';

const meta = (id: string, title: string, area: string) => ({ id, title, area });
const checks: CheckOutcome[] = [
  outcomeOf(meta('selinux.mode', 'SELinux mode', 'security'), pass('SELinux is disabled'), 1),
  outcomeOf(meta('sshd', 'SSH server', 'network'), fail('nothing listens on TCP 22 <&"\'>', 'systemctl start ssh', { port: 22 }), 2),
  { id: 'nvidia.driver', title: 'NVIDIA driver', area: 'gpu', status: 'skip', message: 'gpu not required', skipReason: 'gpu not required', skipKind: 'not-required', durationMs: 0 },
  { id: 'docker.gpus', title: 'Docker --gpus', area: 'docker', status: 'skip', message: 'depends on x', skipReason: 'depends on x', skipKind: 'dependency', durationMs: 0 },
  outcomeOf(meta('waagent.resource-disk', 'Resource disk', 'azure'), warn('not set # odd\nline', 'set it'), 0),
  outcomeOf(meta('docker.socket', 'Docker socket', 'docker'), error('garbage \u0001\u0000 out'), 3),
];

const report: Report = reportOf(checks);

describe('reports', () => {
  it('summarises, and --strict turns warnings into a failed run', () => {
    expect(report.summary).toEqual({ pass: 1, warn: 1, fail: 1, skip: 2, error: 1, strict: false, ok: false });
    const warnOnly = checks.filter((c) => c.status !== 'fail' && c.status !== 'error');
    expect(summarize(warnOnly, false).ok).toBe(true);
    expect(summarize(warnOnly, true).ok).toBe(false);
  });

  it('JSON validates against the schema, and the schema rejects a broken report', () => {
    expect(schemaErrors(JSON.parse(renderReport(report, 'json')))).toBe('');
    const skipWithoutReason = { ...report, checks: [{ ...checks[2], skipReason: undefined }] };
    expect(schemaErrors(JSON.parse(JSON.stringify(skipWithoutReason)))).not.toBe('');
    const skipWithoutKind = { ...report, checks: [{ ...checks[2], skipKind: undefined }] };
    expect(schemaErrors(JSON.parse(JSON.stringify(skipWithoutKind)))).toMatch(/skipKind/);
    expect(schemaErrors({ ...report, summary: { ...report.summary, pass: -1 } })).not.toBe('');
    const failWithoutCategory = { ...report, checks: [{ ...checks[1], category: undefined }] };
    expect(schemaErrors(JSON.parse(JSON.stringify(failWithoutCategory)))).toMatch(/category/);
    const ranWithoutFindings = { ...report, checks: [{ ...checks[0], findings: undefined }] };
    expect(schemaErrors(JSON.parse(JSON.stringify(ranWithoutFindings)))).toMatch(/findings/);
  });

  it('the schema (TypeBox, printed by `schema`) is itself valid draft 2020-12 and holds the inventory to its shape', () => {
    const ajv = new Ajv2020();
    expect(ajv.validateSchema(JSON.parse(JSON.stringify(reportSchema))), ajv.errorsText()).toBe(true);
    const inventory = { cpu: { manufacturer: 'AMD', brand: 'EPYC', cores: 2, physicalCores: 1 }, memoryBytes: 2 ** 34, azureVm: true, gpus: [] };
    expect(schemaErrors({ ...report, host: { ...report.host, inventory } })).toBe('');
    expect(schemaErrors({ ...report, host: { ...report.host, inventory: { ...inventory, gpus: undefined } } })).toMatch(/gpus/);
  });

  it('human report shows every problem of a check, each with its own fix', () => {
    const several = outcomeOf(
      meta('blobfuse', 'blobfuse', 'storage'),
      { findings: [finding.warn('only blobfuse2 is installed', 'install blobfuse'), finding.pass('fusermount found'), finding.fail('/dev/fuse does not exist', 'modprobe fuse')] },
      1,
    );
    const text = renderReport({ ...report, checks: [several], summary: summarize([several], false) }, 'human');
    expect(text).toContain('x FAIL  blobfuse [image]: /dev/fuse does not exist\n        fix: modprobe fuse\n        ! only blobfuse2 is installed\n          fix: install blobfuse\n');
    expect(text).not.toContain('fusermount found');
  });

  it('JUnit is well-formed XML with a testcase per check that ran or was held back by a dependency; fails, errors and skips marked', () => {
    const xml = renderReport(report, 'junit');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const suite = doc.testsuites.testsuite;
    const cases = suite.testcase as Record<string, unknown>[];
    expect(cases.map((c) => String(c.name).split(':')[0])).toEqual(['selinux.mode', 'sshd', 'docker.gpus', 'waagent.resource-disk', 'docker.socket']);
    expect([suite.tests, suite.failures, suite.errors, suite.skipped]).toEqual(['5', '1', '1', '1']);
    expect([doc.testsuites.tests, doc.testsuites.failures, doc.testsuites.errors]).toEqual(['5', '1', '1']);
    const sshd = cases.find((c) => String(c.name).startsWith('sshd:'))!;
    expect((sshd.failure as Record<string, string>).message).toBe('nothing listens on TCP 22 <&"\'>');
    expect((cases.find((c) => String(c.name).startsWith('docker.socket'))!.error as Record<string, string>).type).toBe('error');
    expect(cases.find((c) => String(c.name).startsWith('docker.gpus'))!.skipped).toBeDefined();
  });

  it('TAP 13 has a plan and a point per check', () => {
    const tap = renderReport(report, 'tap').split('\n');
    expect(tap.slice(0, 2)).toEqual(['TAP version 13', '1..5']);
    expect(tap).toContain('ok 1 selinux.mode - SELinux mode');
    expect(tap).toContain('not ok 2 sshd - SSH server');
    expect(tap).toContain('ok 3 docker.gpus - Docker --gpus # SKIP depends on x');
    expect(tap).toContain('ok 4 waagent.resource-disk - Resource disk');
    expect(tap).toContain('not ok 5 docker.socket - Docker socket');
    expect(tap.join('\n')).not.toContain('nvidia.driver');
  });

  it('Prometheus textfile has a gauge per check and status, duration and timestamp', () => {
    const text = renderReport(report, 'prometheus');
    expect(text).toContain('batch_preflight_check_status{id="sshd",area="network",status="fail"} 1');
    expect(text).toContain('batch_preflight_check_status{id="sshd",area="network",status="pass"} 0');
    expect(text).toContain('batch_preflight_run_duration_seconds 0.042');
    expect(text).toContain('batch_preflight_problems{category="image"} 2\nbatch_preflight_problems{category="node"} 0\nbatch_preflight_problems{category="transient"} 1\nbatch_preflight_problems{category="config"} 0\n');
    expect(text).not.toContain('batch_preflight_check_ready_seconds');
    const waited = renderReport({ ...report, checks: [...checks, { ...checks[0]!, id: 'sshd.waited', attempts: 4, readyAfterMs: 2350 }] }, 'prometheus');
    expect(waited).toContain('batch_preflight_check_ready_seconds{id="sshd.waited"} 2.350');
    expect(text).toContain(`batch_preflight_last_run_timestamp_seconds ${Date.parse('2026-11-28T03:00:00Z') / 1000}`);
    for (const line of text.trim().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? [0-9.]+)$/);
  });

  it('human report: problems worst first with their fixes, a line per area that passed, skips by reason', () => {
    const text = renderReport(report, 'human');
    expect(text).toContain(
      [
        '',
        'x FAIL  sshd [image]: nothing listens on TCP 22 <&"\'>',
        '        fix: systemctl start ssh',
        // Host text is escaped: no control character reaches the terminal, a message stays on its line.
        'x ERROR docker.socket [transient]: garbage \\x01\\x00 out',
        '! WARN  waagent.resource-disk [image]: not set # odd\\x0aline',
        '        fix: set it',
        '',
        '+ security: 1 passed (selinux.mode)',
        '- 2 skipped: 1 not required here, 1 after a check they depend on did not pass (--verbose lists them)',
        '',
        'x NOT READY: 1 passed, 1 warning, 1 failed, 1 error, 2 skipped in 42 ms',
      ].join('\n'),
    );
    expect(text).not.toContain('\x1b[');
    expect(renderReport(report, 'human', { ...PLAIN, colour: true })).toContain('\x1b[31m');
  });
});
