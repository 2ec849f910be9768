// A file the caller named with --output, --report or --log-file: its directory is opened and
// checked before anything runs and held until the write, so a usage error comes first and the file
// lands in the directory that was checked.
import { accessSync, constants, lstatSync } from 'node:fs';
import path from 'node:path';
import { openWriteDir, WriteRefused, type WriteDir } from '../host/write-dir';
import { UsageError } from '../errors';

export interface WriteTarget {
  dir: WriteDir;
  base: string;
}

export function openWriteTarget(flag: string, file: string): WriteTarget {
  const resolved = path.resolve(file);
  const base = path.basename(resolved);
  if (file.endsWith('/') || base === '' || resolved === '/') throw new UsageError(`${flag} ${file}: is a directory`);
  let dir: WriteDir;
  try {
    // The caller's own path: symlinks in its directories are followed as written, the file itself never is.
    dir = openWriteDir(path.dirname(resolved), 'sticky-ok');
  } catch (err) {
    if (err instanceof WriteRefused) throw new UsageError(`${flag} ${file}: directory ${err.path} ${err.reason}`);
    throw err;
  }
  try {
    accessSync(dir.entry('.'), constants.W_OK);
  } catch {
    dir.close();
    throw new UsageError(`${flag} ${file}: directory ${dir.path} is not writable`);
  }
  // The rename would replace whatever is there: a device (/dev/null), a symlink (/dev/stdout) or a
  // directory is refused instead.
  const existing = lstatSync(dir.entry(base), { throwIfNoEntry: false });
  if (existing && !existing.isFile()) {
    dir.close();
    throw new UsageError(`${flag} ${file}: ${existing.isDirectory() ? 'is a directory' : existing.isSymbolicLink() ? 'is a symbolic link' : 'is not a regular file'}`);
  }
  return { dir, base };
}
