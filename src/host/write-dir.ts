// A directory the agent writes into (as root, often beside untrusted users), held open by a file
// descriptor: checked once (type, owner, mode) and then every name in it is created, renamed and
// removed through /proc/self/fd/N, so that a directory or symlink swapped in at its path after the
// check cannot redirect a write. Node has no openat()/renameat(); the magic link is their equivalent.
// The path to it is walked the same way from `/`, one component at a time, each opened through the
// directory held before it without following a link and checked on its descriptor: a user who owns
// (or can write) any directory on the way could otherwise swap a lower one for a link after the check.
import { closeSync, constants, existsSync, fchmodSync, fstatSync, lstatSync, mkdirSync, openSync, readlinkSync, type Stats } from 'node:fs';
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
  /** The descriptor it is held by (for fstat); closed by close(). */
  readonly fd: number;
  /** A path to `name` inside the opened directory, whatever now sits at `this.path`. */
  entry(name: string): string;
  close(): void;
}

const S_ISVTX = 0o1000;
const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY;
/** As the kernel's limit on links in one path look-up (MAXSYMLINKS). */
const MAX_LINKS = 40;

const octal = (mode: number) => `0${(mode & 0o7777).toString(8)}`;

/** Owned by root or by the user running the agent: nobody else's file is written or trusted. */
export function ownerProblem(st: Stats): string | null {
  const me = process.geteuid?.() ?? 0;
  return st.uid === 0 || st.uid === me ? null : `is owned by uid ${st.uid}, not by root${me === 0 ? '' : ` or uid ${me}`}`;
}

function modeProblem(st: Stats, policy: Exclude<DirPolicy, 'any'>): string | null {
  if ((st.mode & 0o022) === 0) return null;
  if (policy === 'private' || (st.mode & S_ISVTX) === 0) return `is writable by group or others${policy === 'sticky-ok' ? ' and not sticky' : ''} (mode ${octal(st.mode)})`;
  // Sticky: only the directory's owner may replace others' entries, so that owner must be root.
  return st.uid === 0 ? null : `is writable by group or others (mode ${octal(st.mode)}) and owned by uid ${st.uid}, not root`;
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

/** Refuses `fd` (closing it) unless it passes `policy`. */
function checked(dirPath: string, fd: number, policy: DirPolicy): number {
  const st = fstatSync(fd);
  const problem = policy === 'any' ? null : (ownerProblem(st) ?? modeProblem(st, policy));
  if (problem) {
    closeSync(fd);
    throw new WriteRefused(dirPath, problem);
  }
  return fd;
}

/**
 * `name` inside the directory held as `fd` (whose path is `dirPath`), whatever now sits at `dirPath`.
 * Without /proc (a rare container), names resolve through the path checked a moment ago.
 */
function inside(fd: number, dirPath: string, name: string): string {
  return existsSync(`/proc/self/fd/${fd}`) ? `/proc/self/fd/${fd}/${name}` : path.join(dirPath, name);
}

function handle(dirPath: string, fd: number): WriteDir {
  return {
    path: dirPath,
    fd,
    entry: (name) => inside(fd, dirPath, name),
    close: () => closeSync(fd),
  };
}

/**
 * Opens `dirPath` by walking it from `/`: every directory on the way must pass `sticky-ok` (owned by
 * root or the running user; writable by others only when sticky and owned by root, like /tmp), the
 * last one `policy`. A symbolic link on the way is followed only when root or the running user owns
 * it (in a sticky directory its owner could repoint it); the walk then goes on from its target,
 * under the same rule. Each refusal names the component.
 */
export function openWriteDir(dirPath: string, policy: DirPolicy): WriteDir {
  const held: { path: string; fd: number }[] = [];
  const refuse = (p: string, why: string): never => {
    for (const h of held) closeSync(h.fd);
    throw new WriteRefused(p, why);
  };
  // Directories on the way are checked as they are opened; the last one, under `policy`, at the end.
  const check = (p: string, fd: number) => {
    const st = fstatSync(fd);
    const problem = ownerProblem(st) ?? modeProblem(st, 'sticky-ok');
    if (problem) refuse(p, problem);
  };
  held.push({ path: '/', fd: openSync('/', DIR_FLAGS) });
  let todo = path.resolve(dirPath).split('/').filter(Boolean);
  if (todo.length > 0) check('/', held[0]!.fd);
  let links = 0;
  while (todo.length > 0) {
    const name = todo.shift()!;
    if (name === '.') continue;
    if (name === '..') {
      if (held.length > 1) closeSync(held.pop()!.fd);
      continue;
    }
    const top = held.at(-1)!;
    const p = path.join(top.path, name);
    const at = inside(top.fd, top.path, name);
    let fd: number;
    try {
      fd = openSync(at, DIR_FLAGS | constants.O_NOFOLLOW);
    } catch (err) {
      // Linux answers ENOTDIR, not ELOOP, for a symlink opened with O_DIRECTORY|O_NOFOLLOW.
      const link = lstatSync(at, { throwIfNoEntry: false });
      if (!link?.isSymbolicLink()) return refuse(p, errnoReason(err));
      if (++links > MAX_LINKS) return refuse(p, 'too many symbolic links');
      const owner = ownerProblem(link);
      if (owner) return refuse(p, `is a symbolic link that ${owner}`);
      const target = readlinkSync(at);
      if (target.startsWith('/')) while (held.length > 1) closeSync(held.pop()!.fd);
      todo = [...target.split('/').filter(Boolean), ...todo];
      continue;
    }
    held.push({ path: p, fd });
    if (todo.length > 0) check(p, fd);
  }
  const last = held.pop()!;
  for (const h of held) closeSync(h.fd);
  return handle(last.path, checked(last.path, last.fd, policy));
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
  const dir = handle(shown, checked(shown, fd, 'private'));
  if (created) fchmodSync(fd, mode);
  return dir;
}
