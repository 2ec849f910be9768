// In start-task mode the JSON report goes to $AZ_BATCH_NODE_SHARED_DIR/batch-preflight/, where later
// tasks read it. Every task user can write the shared directory, so the agent's folder in it is
// never followed as a symlink, is created with an explicit mode, and an existing one is used only
// when root (or the running user) owns it and nobody else can write it: otherwise anyone could
// redirect the write or plant a report that others would trust.
import { openOwnSubdir, openWriteDir, type WriteDir } from '../host/write-dir';

export const REPORT_DIR_NAME = 'batch-preflight';
export const REPORT_DIR_MODE = 0o755;
export const REPORT_FILE_NAME = 'report.json';

/** Throws WriteRefused (path and reason in one line) when the directory cannot be trusted. */
export function openStartTaskReportDir(sharedDir: string): WriteDir {
  // The shared directory is Batch's, world-writable by design: only the agent's folder must be private.
  const shared = openWriteDir(sharedDir, 'any');
  try {
    return openOwnSubdir(shared, REPORT_DIR_NAME, REPORT_DIR_MODE);
  } finally {
    shared.close();
  }
}
