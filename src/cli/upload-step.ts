// `run --upload`: the report to Blob storage after the checks, inside the run's deadline and at most
// UPLOAD_MAX_MS. Whatever happens there, the verdict and the exit code stay the checks': a failure
// is a note in the local report and one line on stderr. The uploading code (node:https included) is
// loaded only when asked for.
import type { Report } from '../report/report';
import type { ContainerTarget } from '../upload/container';
import type { Logger } from '../log';

export const UPLOAD_MAX_MS = 10_000;

/** Uploads and notes the outcome in the report; the stderr line when it failed. */
export async function uploadStep(report: Report, target: ContainerTarget, env: NodeJS.ProcessEnv, msLeft: number, log: Logger, stop: AbortSignal): Promise<string | undefined> {
  const budget = Math.min(UPLOAD_MAX_MS, Math.floor(msLeft));
  let problem: string;
  if (budget <= 0) problem = `not uploaded to ${target.shown}: the run's deadline had passed`;
  else {
    const { uploadReport } = await import('../upload/upload');
    const r = await uploadReport(report, target, env, budget, stop);
    if (r.ok) {
      const note = `report uploaded to ${r.shown}/${r.blobs[0]} (and ${r.blobs[1]})`;
      log.info({ container: r.shown, blobs: r.blobs }, 'report uploaded');
      report.notes = [...(report.notes ?? []), note];
      return undefined;
    }
    problem = `upload failed (the verdict stands): ${r.reason}`;
  }
  log.warn({ container: target.shown }, problem);
  report.notes = [...(report.notes ?? []), problem];
  return `batch-preflight: ${problem}\n`;
}
