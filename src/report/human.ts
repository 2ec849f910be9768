// The human report: grouped by area, one line per check, each failure followed by its fix.
import type { Status } from '../types';
import type { Report } from './report';
import { terminalSafe } from './terminal-text';

const LABEL: Record<Status, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', error: 'ERROR', skip: 'SKIP' };
const COLOUR: Record<Status, string> = { pass: '32', warn: '33', fail: '31', error: '35', skip: '90' };

/** Fixes are the only text that may span lines. */
const MULTILINE = new Set(['remediation']);

export function renderHuman(hostReport: Report, colour: boolean): string {
  const report = terminalSafe(hostReport, MULTILINE);
  const paint = (s: Status, text: string) => (colour ? `\x1b[${COLOUR[s]}m${text}\x1b[0m` : text);
  const bold = (text: string) => (colour ? `\x1b[1m${text}\x1b[0m` : text);
  const out: string[] = [];
  const os = report.host.os.prettyName ?? report.host.os.id ?? 'unknown OS';
  out.push(bold(`batch-preflight ${report.tool.version}`) + ` on ${report.host.hostname} (${os}, ${report.host.arch}), mode ${report.host.mode}: ${report.host.modeReason}`);
  if (report.host.root !== '/') out.push(`Inspecting root ${report.host.root}`);
  out.push(`Requirements: ${report.requirements.map((r) => `${r.feature} (${r.source})`).join(', ') || 'none'}`);
  for (const n of report.notes ?? []) out.push(`Note: ${n}`);
  const areas = [...new Set(report.checks.map((c) => c.area))];
  for (const area of areas) {
    out.push('', bold(area));
    for (const c of report.checks.filter((x) => x.area === area)) {
      if (c.status === 'skip' || !c.findings) {
        out.push(`  ${paint(c.status, LABEL[c.status].padEnd(5))} ${c.id.padEnd(24)} ${c.status === 'skip' ? c.skipReason : c.message}`);
        continue;
      }
      // Every problem on its own line with its own fix; a passing check shows its one message.
      const shown = c.status === 'pass' ? c.findings : c.findings.filter((f) => f.status !== 'pass');
      shown.forEach((f, i) => {
        const head = i === 0 ? `${paint(c.status, LABEL[c.status].padEnd(5))} ${c.id.padEnd(24)}` : `${' '.repeat(30)}${paint(f.status, LABEL[f.status])}:`;
        out.push(`  ${head} ${f.message}`);
        if (f.remediation && (f.status === 'fail' || f.status === 'warn')) {
          for (const line of f.remediation.split('\n')) out.push(`        fix: ${line}`);
        }
      });
    }
  }
  const s = report.summary;
  out.push('');
  if (report.deadlineExceeded) out.push(paint('error', 'The run deadline passed: unfinished checks are reported as errors.'));
  const verdict = s.ok ? paint('pass', 'READY') : paint('fail', 'NOT READY');
  out.push(`${verdict}: ${s.pass} passed, ${s.warn} warnings, ${s.fail} failed, ${s.error} errors, ${s.skip} skipped in ${report.durationMs} ms`);
  return out.join('\n') + '\n';
}
