// Every rendering tells the verdict the exit code tells (issue: under --strict JUnit said
// failures="0" and TAP said `ok` for a run that exited 1). For any mix of statuses, with and
// without --strict: JUnit has a failure or an error, TAP a `not ok`, Prometheus batch_preflight_ok 0,
// the human report and the start task's verdict line NOT READY, exactly when the run is not ok.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { holds } from '../helpers/property';
import { reportOf } from '../helpers/report-of';
import { renderReport } from '../../src/report/render';
import { summarize } from '../../src/report/report';
import { verdictLine } from '../../src/report/verdict-line';
import { SKIP_KINDS, type CheckOutcome, type CheckStatus, type SkipKind } from '../../src/types';

const ran = (id: string, status: CheckStatus): CheckOutcome => ({
  id,
  title: id,
  area: 'a',
  status,
  message: `${status} here`,
  findings: [{ status, message: `${status} here` }],
  ...(status === 'pass' ? {} : { category: 'image' as const, retryable: false }),
  durationMs: 1,
});
const skipped = (id: string, kind: SkipKind): CheckOutcome => ({ id, title: id, area: 'a', status: 'skip', message: kind, skipReason: kind, skipKind: kind, durationMs: 0 });

const outcome = fc.oneof(
  fc.constantFrom<CheckStatus>('pass', 'warn', 'fail', 'error').map((s) => (id: string) => ran(id, s)),
  fc.constantFrom(...SKIP_KINDS).map((k) => (id: string) => skipped(id, k)),
);
const runs = fc.record({ makers: fc.array(outcome, { maxLength: 8 }), strict: fc.boolean() });

function renderings(checks: CheckOutcome[], strict: boolean) {
  const report = { ...reportOf(checks), summary: summarize(checks, strict) };
  const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(renderReport(report, 'junit')).testsuites;
  return {
    ok: report.summary.ok,
    junitBad: Number(junit.failures) + Number(junit.errors) > 0,
    tapBad: /^not ok /m.test(renderReport(report, 'tap')),
    prometheusOk: /^batch_preflight_ok 1$/m.test(renderReport(report, 'prometheus')),
    human: /\n. (READY|NOT READY)/.exec(renderReport(report, 'human'))![1],
    line: verdictLine(report, { file: '/r.json', byCaller: true }),
    githubBad: /^::error /m.test(renderReport(report, 'github')),
    azureBad: /^##vso\[task\.logissue type=error;\]/m.test(renderReport(report, 'azure-pipelines')),
    markdownReady: /^## batch-preflight: ✅ READY\n/.test(renderReport(report, 'markdown')),
  };
}

describe('every rendering agrees with the verdict', () => {
  it('for any mix of statuses and skip kinds, with and without --strict', () => {
    holds(
      fc.property(runs, ({ makers, strict }) => {
        const r = renderings(
          makers.map((m, i) => m(`c${i}`)),
          strict,
        );
        return (
          r.junitBad === !r.ok &&
          r.tapBad === !r.ok &&
          r.prometheusOk === r.ok &&
          r.githubBad === !r.ok &&
          r.azureBad === !r.ok &&
          r.markdownReady === r.ok &&
          r.human === (r.ok ? 'READY' : 'NOT READY') &&
          r.line.includes(r.ok ? ': READY' : ': NOT READY')
        );
      }),
    );
  });

  it('a warning fails the run under --strict in every format, and not without it', () => {
    const checks = [ran('sshd', 'pass'), ran('selinux.mode', 'warn')];
    expect(renderings(checks, false)).toMatchObject({ ok: true, junitBad: false, tapBad: false, prometheusOk: true, human: 'READY' });
    const strict = renderings(checks, true);
    expect(strict).toMatchObject({ ok: false, junitBad: true, tapBad: true, prometheusOk: false, human: 'NOT READY' });
    expect(strict.line).toBe('batch-preflight: NOT READY: selinux.mode (report: /r.json)\n');
  });

  it('a run that checked nothing is not ready, in every format', () => {
    const checks = [skipped('sshd', 'not-selected'), skipped('hardware.gpus', 'vm-size-unknown')];
    const r = renderings(checks, false);
    expect(r).toMatchObject({ ok: false, junitBad: true, tapBad: true, prometheusOk: false, human: 'NOT READY' });
    expect(r.line).toBe('batch-preflight: NOT READY: nothing was checked (report: /r.json)\n');
    expect(renderings([], false).ok).toBe(false);
  });
});
