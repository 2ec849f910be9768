// The run's report as GitHub-flavoured Markdown, for a CI job summary ($GITHUB_STEP_SUMMARY, an Azure
// Pipelines `task.uploadsummary`): the verdict first, then each problem with its fix, then a line
// of what passed and what was skipped. Host text is escaped for HTML rendering (markdown-text.ts).
import { isBlocking, STATUS_ORDER, type CheckOutcome } from '../types';
import { verdictText, type Report } from './report';
import { terminalSafe } from './terminal-text';
import { mdCode, mdText } from './markdown-text';

const LABEL = { fail: 'fail', error: 'error', warn: 'warning' } as const;

function problemRow(c: CheckOutcome, strict: boolean): string {
  const what = isBlocking(c.status, strict) ? `**${LABEL[c.status as keyof typeof LABEL]}**` : LABEL[c.status as keyof typeof LABEL];
  return `| ${mdCode(c.id)} | ${what} | ${mdText(c.category ?? '')} | ${mdText(c.message)} | ${mdText(c.remediation ?? '')} |`;
}

export function renderMarkdown(hostReport: Report): string {
  // Newlines are kept for mdText() to flatten; every other control is escaped.
  const report = terminalSafe(hostReport, 'all');
  const s = report.summary;
  const out = [`## batch-preflight: ${report.summary.ok ? '✅' : '❌'} ${verdictText(report, mdCode)}`, ''];
  out.push(
    `${mdText(report.host.hostname)} (${mdText(report.host.os.prettyName ?? report.host.os.id ?? 'unknown OS')}), mode ${mdText(report.host.mode)}` +
      `${report.target ? `, target ${mdText(report.target.name)}` : ''}: ${s.pass} passed, ${s.warn} warnings, ${s.fail} failed, ${s.error} errors, ${s.skip} skipped` +
      `${s.strict ? ' (--strict: warnings fail)' : ''}`,
  );
  const problems = report.checks
    .filter((c) => c.status === 'fail' || c.status === 'error' || c.status === 'warn')
    .sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status));
  if (problems.length > 0) {
    out.push('', '| check | status | who must act | what was found | fix |', '| --- | --- | --- | --- | --- |', ...problems.map((c) => problemRow(c, s.strict)));
  }
  const passed = report.checks.filter((c) => c.status === 'pass');
  if (passed.length > 0) out.push('', `Passed: ${passed.map((c) => mdCode(c.id)).join(', ')}`);
  return out.join('\n') + '\n';
}
