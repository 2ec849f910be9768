// The verdict in one line, for the start task's stderr.txt (what Batch shows for a failed start
// task): which checks stand in the way, and where the full report is.
import { blockingChecks, nothingChecked, type Report } from './report';

export function verdictLine(report: Report, reportPath: string | undefined): string {
  const where = `(report: ${reportPath ?? 'not written'})`;
  if (report.summary.ok) return `batch-preflight: READY ${where}\n`;
  if (nothingChecked(report.checks)) return `batch-preflight: NOT READY: nothing was checked ${where}\n`;
  return `batch-preflight: NOT READY: ${blockingChecks(report).map((c) => c.id).join(', ')} ${where}\n`;
}
