// Reports are written atomically: a temp file in the same directory, fsync, then rename, so a
// reader (or a crash, even SIGKILL) never sees half a report: the previous one stays until the new
// one is complete.
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Temp files left by an earlier run that was killed mid-write: removed so reruns leave nothing behind. */
function removeStaleTemps(dir: string, base: string): void {
  const pattern = new RegExp(`^\\.${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.tmp$`);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = pattern.exec(name);
    if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) {
      try {
        unlinkSync(path.join(dir, name));
      } catch {
        // Someone else removed it.
      }
    }
  }
}

export function writeAtomic(file: string, content: string): void {
  const dir = path.dirname(path.resolve(file));
  const base = path.basename(file);
  removeStaleTemps(dir, base);
  const tmp = path.join(dir, `.${base}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, file);
}
