// CI annotations: each problem as a GitHub Actions workflow command or an Azure Pipelines logging
// command, so that it shows where CI users look (the job's annotations and summary), then the
// verdict. A fail or error (or a warning under --strict) is an error annotation, a warning a
// warning: the annotations agree with the exit code.
//
// Escaping, so that host text can neither end the command nor start another on a new line:
// - GitHub (@actions/core `escapeData`/`escapeProperty`): % %25, CR %0D, LF %0A; in properties also
//   : %3A and , %2C. Commands: `::error title=T::message`, `::warning`, `::notice`.
// - Azure Pipelines (azure-pipelines-task-lib `escapedata`/`escape`): % %AZP25, CR %0D, LF %0A; in
//   properties also ; %3B and ] %5D. Command: `##vso[task.logissue type=error;]message`, and
//   `##vso[task.complete result=Failed;]` for the verdict. The agent also acts on a `##vso[` anywhere
//   in a line (and `##[` at its start), so host text gets a space in each such marker: `##vso [`.
import { isBlocking, type CheckOutcome } from '../types';
import { verdictText, type Report } from './report';

export const CI_FORMATS = ['github', 'azure-pipelines'] as const;
export type CiFormat = (typeof CI_FORMATS)[number];

type Level = 'error' | 'warning' | 'notice';

const github = {
  data: (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'),
  property: (s: string) => github.data(s).replace(/:/g, '%3A').replace(/,/g, '%2C'),
  line: (level: Level, title: string, text: string) => `::${level} title=${github.property(title)}::${github.data(text)}`,
};

const azure = {
  data: (s: string) => s.replace(/%/g, '%AZP25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/##(vso)?\[/g, '##$1 ['),
  // task.logissue has no notice type: a notice is plain text in the log.
  line: (level: Level, title: string, text: string) =>
    level === 'notice' ? azure.data(`${title}: ${text}`) : `##vso[task.logissue type=${level};]${azure.data(`${title}: ${text}`)}`,
};

function problemText(c: CheckOutcome): string {
  return c.remediation ? `${c.message}\nfix: ${c.remediation}` : c.message;
}

export function renderCiAnnotations(report: Report, format: CiFormat): string {
  const dialect = format === 'github' ? github : azure;
  const strict = report.summary.strict;
  const out: string[] = [];
  for (const c of report.checks) {
    if (c.status === 'pass' || c.status === 'skip') continue;
    out.push(dialect.line(isBlocking(c.status, strict) ? 'error' : 'warning', `batch-preflight ${c.id}`, problemText(c)));
  }
  out.push(dialect.line(report.summary.ok ? 'notice' : 'error', 'batch-preflight', verdictText(report)));
  if (format === 'azure-pipelines' && !report.summary.ok) out.push('##vso[task.complete result=Failed;]batch-preflight: NOT READY');
  return out.join('\n') + '\n';
}
