// TAP version 13: a test point per check that ran (or could not run because a check it depends on
// did not pass), with a YAML block for anything not passing. A warning is `not ok` under --strict,
// where it fails the run, so TAP agrees with the exit code; a run that checked nothing is one
// `not ok` point saying so.
import { listedChecks, nothingChecked, type Report } from './report';
import { isBlocking } from '../types';

const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').replace(/#/g, '\\#');

export function renderTap(report: Report): string {
  const listed = listedChecks(report);
  const nothing = nothingChecked(report.checks);
  const out = ['TAP version 13', `1..${listed.length + (nothing ? 1 : 0)}`];
  listed.forEach((c, i) => {
    const n = i + 1;
    const name = `${c.id} - ${oneLine(c.title)}`;
    if (c.status === 'skip') return out.push(`ok ${n} ${name} # SKIP ${oneLine(c.skipReason ?? '')}`);
    out.push(`${isBlocking(c.status, report.summary.strict) ? 'not ok' : 'ok'} ${n} ${name}`);
    if (c.status !== 'pass') {
      out.push('  ---', `  status: ${c.status}`, `  message: ${JSON.stringify(c.message)}`);
      if (c.remediation) out.push(`  fix: ${JSON.stringify(c.remediation)}`);
      out.push('  ...');
    }
  });
  if (nothing) out.push(`not ok ${listed.length + 1} checks ran`, '  ---', '  message: "nothing was checked: every check was skipped or none was selected"', '  ...');
  return out.join('\n') + '\n';
}
