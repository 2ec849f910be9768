// A file the agent appends to (the --log-file): never through a symlink, never a FIFO or device
// (which would block or write elsewhere), never someone else's file or a hard link to one.
import { closeSync, constants, fchmodSync, fstatSync, openSync } from 'node:fs';
import path from 'node:path';
import { WriteRefused, errnoReason, ownerProblem, type WriteDir } from './write-dir';

/** Logs may carry paths and tool output: for root (or the running user) only. */
export const LOG_FILE_MODE = 0o600;
const APPEND = constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW;

/** Opens `base` in `dir` for appending, creating it with exactly `mode` when absent; returns the descriptor. */
export function openAppendFile(dir: WriteDir, base: string, mode = LOG_FILE_MODE): number {
  const shown = path.join(dir.path, base);
  let fd: number;
  let created = true;
  try {
    try {
      fd = openSync(dir.entry(base), APPEND | constants.O_CREAT | constants.O_EXCL, mode);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      created = false;
      // O_NONBLOCK: opening a FIFO with no reader fails at once (ENXIO) instead of waiting.
      fd = openSync(dir.entry(base), APPEND | constants.O_NONBLOCK);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new WriteRefused(shown, code === 'ENXIO' ? 'is not a regular file' : code === 'EISDIR' ? 'is a directory' : errnoReason(err));
  }
  const st = fstatSync(fd);
  const problem = !st.isFile() ? 'is not a regular file' : (ownerProblem(st) ?? (st.nlink !== 1 ? `has ${st.nlink} hard links` : null));
  if (problem) {
    closeSync(fd);
    throw new WriteRefused(shown, problem);
  }
  if (created) fchmodSync(fd, mode);
  return fd;
}
