// Reports are written atomically: a temp file in the same directory, fsync, then rename, so a
// reader (or a crash, even SIGKILL) never sees half a report: the previous one stays until the new
// one is complete. The temp name is unpredictable and created exclusively without following a
// symlink, with an explicit mode, so that nobody who can write the directory can redirect it.
import { closeSync, constants, fchmodSync, fsyncSync, lstatSync, openSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { WriteRefused, errnoReason, type WriteDir } from '../host/write-dir';

/** Reports are for other tasks and tools to read; only root (or the running user) may change them. */
export const REPORT_FILE_MODE = 0o644;
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `.<base>.<pid>.<16 hex>.tmp`: the pid tells a live writer's file from one a killed run left. */
function tempPattern(base: string): RegExp {
  return new RegExp(`^\\.${escape(base)}\\.(\\d+)\\.[0-9a-f]{16}\\.tmp$`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Temp files left by an earlier run that was killed mid-write, removed so reruns leave nothing
 * behind. Only names of our pattern that are regular files we own with one link: never a symlink,
 * never someone else's file (unlink does not follow links, and names resolve through the held directory).
 */
function removeStaleTemps(dir: WriteDir, base: string): void {
  const pattern = tempPattern(base);
  const me = process.geteuid?.() ?? 0;
  let names: string[];
  try {
    names = readdirSync(dir.entry('.'));
  } catch {
    return;
  }
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    try {
      const st = lstatSync(dir.entry(name));
      if (st.isFile() && st.uid === me && st.nlink === 1) unlinkSync(dir.entry(name));
    } catch {
      // Someone else removed it.
    }
  }
}

export function writeAtomic(dir: WriteDir, base: string, content: string, mode = REPORT_FILE_MODE): void {
  removeStaleTemps(dir, base);
  const tmp = `.${base}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`;
  let fd: number;
  try {
    fd = openSync(dir.entry(tmp), CREATE_FLAGS, mode);
  } catch (err) {
    // ENOENT: the directory held open was removed (replaced) after it was checked.
    throw new WriteRefused(dir.path, `cannot create a file in it: ${errnoReason(err)}`);
  }
  try {
    // The open's mode passed through the umask; this one does not.
    fchmodSync(fd, mode);
    writeFileSync(fd, content);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(dir.entry(tmp));
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(dir.entry(tmp), dir.entry(base));
  } catch (err) {
    unlinkSync(dir.entry(tmp));
    throw new WriteRefused(path.join(dir.path, base), (err as NodeJS.ErrnoException).code === 'EISDIR' ? 'is a directory' : errnoReason(err));
  }
}
