// TAP version 13: a test point per check, with a YAML block for anything not passing.
import type { Report } from './report';

const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').replace(/#/g, '\\#');

export function renderTap(report: Report): string {
  const out = ['TAP version 13', `1..${report.checks.length}`];
  report.checks.forEach((c, i) => {
    const n = i + 1;
    const name = `${c.id} - ${oneLine(c.title)}`;
    if (c.status === 'skip') return out.push(`ok ${n} ${name} # SKIP ${oneLine(c.skipReason ?? '')}`);
    const ok = c.status === 'pass' || c.status === 'warn';
    out.push(`${ok ? 'ok' : 'not ok'} ${n} ${name}`);
    if (c.status !== 'pass') {
      out.push('  ---', `  status: ${c.status}`, `  message: ${JSON.stringify(c.message)}`);
      if (c.remediation) out.push(`  fix: ${JSON.stringify(c.remediation)}`);
      out.push('  ...');
    }
  });
  return out.join('\n') + '\n';
}
