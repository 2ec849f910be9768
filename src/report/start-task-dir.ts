// In start-task mode the JSON report goes to $AZ_BATCH_NODE_SHARED_DIR/batch-preflight/, where later
// tasks read it. Every task user can write the shared directory, so the agent's folder in it is
// never followed as a symlink, is created with an explicit mode, and an existing one is used only
// when root (or the running user) owns it and nobody else can write it: otherwise anyone could
// redirect the write or plant a report that others would trust.
// That holds only while nobody can rename the folder away: in a shared directory that is writable
// by others without the sticky bit (a careless 0777), anyone can, and put a forged READY report at
// its path. There the report goes to ROOT_REPORT_DIR instead, where only root can write.
import { fstatSync } from 'node:fs';
import path from 'node:path';
import { openOwnSubdir, openWriteDir, type WriteDir } from '../host/write-dir';

export const REPORT_DIR_NAME = 'batch-preflight';
export const REPORT_DIR_MODE = 0o755;
export const REPORT_FILE_NAME = 'report.json';
/** Where the report goes when the shared directory cannot keep it safe: root's, on every Linux. */
export const ROOT_REPORT_PARENT = '/var/lib';

export interface StartTaskReportDir {
  dir: WriteDir;
  /** The report's path, for the verdict line. */
  file: string;
  /** Set when the shared directory was passed over: why. */
  sharedUnsafe?: string;
}

/** Why others could rename entries in the shared directory (writable, not sticky-and-root's), or null. */
function renameableByOthers(shared: WriteDir): string | null {
  const st = fstatSync(shared.fd);
  if ((st.mode & 0o022) === 0) return null;
  if (st.mode & 0o1000 && st.uid === 0) return null;
  const mode = `0${(st.mode & 0o7777).toString(8)}`;
  return st.mode & 0o1000 ? `is writable by group or others (mode ${mode}) and owned by uid ${st.uid}, not root` : `is writable by group or others without the sticky bit (mode ${mode})`;
}

function ownDir(parent: WriteDir): StartTaskReportDir {
  try {
    const dir = openOwnSubdir(parent, REPORT_DIR_NAME, REPORT_DIR_MODE);
    return { dir, file: path.join(dir.path, REPORT_FILE_NAME) };
  } finally {
    parent.close();
  }
}

/** Throws WriteRefused (path and reason in one line) when the directory cannot be trusted. */
export function openStartTaskReportDir(sharedDir: string, rootParent = ROOT_REPORT_PARENT): StartTaskReportDir {
  // The shared directory is Batch's, world-writable by design: only the agent's folder must be private.
  const shared = openWriteDir(sharedDir, 'any');
  const unsafe = renameableByOthers(shared);
  if (!unsafe) return ownDir(shared);
  shared.close();
  return { ...ownDir(openWriteDir(rootParent, 'private')), sharedUnsafe: `${shared.path} ${unsafe}` };
}
