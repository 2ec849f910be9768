// The verdict in one line, for the start task's stderr.txt (what Batch shows for a failed start
// task): which checks stand in the way, and where the full report is.
import type { Report } from './report';

export function verdictLine(report: Report, reportPath: string | undefined, strict: boolean): string {
  const where = `(report: ${reportPath ?? 'not written'})`;
  if (report.summary.ok) return `batch-preflight: READY ${where}\n`;
  const blocking = report.checks.filter((c) => c.status === 'fail' || c.status === 'error' || (strict && c.status === 'warn')).map((c) => c.id);
  return `batch-preflight: NOT READY: ${blocking.join(', ')} ${where}\n`;
}
