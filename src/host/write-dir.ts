// A directory the agent writes into (as root, often beside untrusted users), held open by a file
// descriptor: checked once (type, owner, mode) and then every name in it is created, renamed and
// removed through /proc/self/fd/N, so that a directory or symlink swapped in at its path after the
// check cannot redirect a write. Node has no openat()/renameat(); the magic link is their equivalent.
import { closeSync, constants, existsSync, fchmodSync, fstatSync, lstatSync, mkdirSync, openSync, type Stats } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors';

/** The agent will not write there: a usage error (exit 2) whose one line names the path and why. */
export class WriteRefused extends UsageError {
  override name = 'WriteRefused';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/**
 * `private`: owned by root or the running user and writable by nobody else (a directory whose
 * files others trust, such as the start-task report directory).
 * `sticky-ok`: the same, except that a sticky directory writable by others (like /tmp) is accepted:
 * every name the agent creates there is unpredictable and exclusive, and the final rename replaces
 * whatever is at the target name without following it.
 * `any`: no check, for a directory that is world-writable by design and only holds one the agent checks.
 */
export type DirPolicy = 'private' | 'sticky-ok' | 'any';

export interface WriteDir {
  readonly path: string;
  /** A path to `name` inside the opened directory, whatever now sits at `this.path`. */
  entry(name: string): string;
  close(): void;
}

const S_ISVTX = 0o1000;
const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY;

const octal = (mode: number) => `0${(mode & 0o7777).toString(8)}`;

/** Owned by root or by the user running the agent: nobody else's file is written or trusted. */
export function ownerProblem(st: Stats): string | null {
  const me = process.geteuid?.() ?? 0;
  return st.uid === 0 || st.uid === me ? null : `is owned by uid ${st.uid}, not by root${me === 0 ? '' : ` or uid ${me}`}`;
}

function modeProblem(st: Stats, policy: Exclude<DirPolicy, 'any'>): string | null {
  if ((st.mode & 0o022) === 0) return null;
  if (policy === 'sticky-ok' && (st.mode & S_ISVTX) !== 0) return null;
  return `is writable by group or others${policy === 'sticky-ok' ? ' and not sticky' : ''} (mode ${octal(st.mode)})`;
}

export function errnoReason(err: unknown): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'does not exist';
    case 'ELOOP':
      return 'is a symbolic link';
    case 'ENOTDIR':
      return 'is not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return (err as Error).message;
  }
}

function handle(dirPath: string, fd: number, policy: DirPolicy): WriteDir {
  const st = fstatSync(fd);
  const problem = policy === 'any' ? null : (ownerProblem(st) ?? modeProblem(st, policy));
  if (problem) {
    closeSync(fd);
    throw new WriteRefused(dirPath, problem);
  }
  // Without /proc (a rare container), names resolve through the path checked a moment ago.
  const viaFd = existsSync(`/proc/self/fd/${fd}`);
  return {
    path: dirPath,
    entry: (name) => (viaFd ? `/proc/self/fd/${fd}/${name}` : path.join(dirPath, name)),
    close: () => closeSync(fd),
  };
}

/** Opens a directory the caller named, following the symlinks in the path as written. */
export function openWriteDir(dirPath: string, policy: DirPolicy): WriteDir {
  let fd: number;
  try {
    fd = openSync(dirPath, DIR_FLAGS);
  } catch (err) {
    throw new WriteRefused(dirPath, errnoReason(err));
  }
  return handle(dirPath, fd, policy);
}

/**
 * The agent's own directory `name` inside `parent`: created with exactly `mode` (whatever the
 * umask), or, when it exists, opened without following a symlink and accepted only as `private`.
 */
export function openOwnSubdir(parent: WriteDir, name: string, mode: number): WriteDir {
  const shown = path.join(parent.path, name);
  let created = true;
  try {
    mkdirSync(parent.entry(name), { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new WriteRefused(shown, `cannot be created: ${errnoReason(err)}`);
    created = false;
  }
  let fd: number;
  try {
    fd = openSync(parent.entry(name), DIR_FLAGS | constants.O_NOFOLLOW);
  } catch (err) {
    // Linux answers ENOTDIR, not ELOOP, for a symlink opened with O_DIRECTORY|O_NOFOLLOW.
    const isLink = lstatSync(parent.entry(name), { throwIfNoEntry: false })?.isSymbolicLink();
    throw new WriteRefused(shown, isLink ? 'is a symbolic link' : errnoReason(err));
  }
  // Checked before the mode is widened: a directory swapped in after mkdir is refused, not adopted.
  const dir = handle(shown, fd, 'private');
  if (created) fchmodSync(fd, mode);
  return dir;
}
