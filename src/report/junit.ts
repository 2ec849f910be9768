// JUnit XML: one testcase per check; fail and error as failures, skip as skipped.
import type { Report } from './report';
import { xmlEscape } from './xml';

export function renderJunit(report: Report): string {
  const s = report.summary;
  const secs = (ms: number) => (ms / 1000).toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="batch-preflight" tests="${report.checks.length}" failures="${s.fail + s.error}" skipped="${s.skip}" time="${secs(report.durationMs)}">`,
    `  <testsuite name="batch-preflight ${xmlEscape(report.host.hostname)}" tests="${report.checks.length}" failures="${s.fail + s.error}" errors="0" skipped="${s.skip}" time="${secs(report.durationMs)}" timestamp="${report.startedAt}">`,
  ];
  for (const c of report.checks) {
    const head = `    <testcase classname="batch-preflight.${xmlEscape(c.area)}" name="${xmlEscape(c.id)}: ${xmlEscape(c.title)}" time="${secs(c.durationMs)}"`;
    if (c.status === 'pass') {
      lines.push(`${head}/>`);
      continue;
    }
    lines.push(`${head}>`);
    if (c.status === 'skip') lines.push(`      <skipped message="${xmlEscape(c.skipReason ?? '')}"/>`);
    else if (c.status === 'fail' || c.status === 'error') {
      const body = [c.message, c.remediation ? `fix: ${c.remediation}` : ''].filter(Boolean).join('\n');
      lines.push(`      <failure message="${xmlEscape(c.message)}" type="${c.status}">${xmlEscape(body)}</failure>`);
    } else lines.push(`      <system-out>${xmlEscape(`warning: ${c.message}${c.remediation ? `\nfix: ${c.remediation}` : ''}`)}</system-out>`);
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>');
  return lines.join('\n') + '\n';
}
