// The verdict in one line, for the start task's stderr.txt (what Batch shows for a failed start
// task): which checks stand in the way, and where the full report is. A later task trusts the
// report at that path, so the line says who can change it there.
import { verdictText, type Report } from './report';

export interface ReportPlace {
  file: string;
  /** --report FILE: the caller's place, about which nothing is claimed. */
  byCaller?: boolean;
  /** Why the shared directory was passed over (the report went where only root can write). */
  sharedUnsafe?: string;
}

function where(place: ReportPlace | undefined): string {
  if (!place) return '(report: not written)';
  if (place.byCaller) return `(report: ${place.file})`;
  const unsafe = place.sharedUnsafe ? `; not in the shared directory, which ${place.sharedUnsafe.replace(/^\S+ /, '')}` : '';
  const uid = process.geteuid?.() ?? 0;
  return `(report: ${place.file}, written by ${uid === 0 ? 'root, which alone' : `uid ${uid}, which with root alone`} can change it${unsafe})`;
}

export function verdictLine(report: Report, place: ReportPlace | undefined): string {
  return `batch-preflight: ${verdictText(report)} ${where(place)}\n`;
}
