// The trust rule for inputs that make the agent run code or commands as root (`--plugin`,
// `--checks-file`): nobody but root and the user running the agent may be able to change what is
// read. Like OpenSSH's StrictModes, that covers the file and every directory on its way from `/`:
// each must be owned by root or that user, and not writable by group or others, except a directory
// that is sticky and owned by root (such as /tmp), where nobody can replace another user's entry.
// A symbolic link on the way must be owned by root or that user too (in a sticky directory its
// owner may replace it). The path is resolved component by component under that rule, then the
// file is opened without following a link, judged by fstat of that descriptor and read through it,
// so what is checked is what is read.
import { closeSync, lstatSync, readlinkSync, type Stats } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors';
import { openProblem, openRegular, readOpened } from './regular-file';

const MAX_LINKS = 40;

const trustedOwner = (st: Stats, uid: number) => st.uid === 0 || st.uid === uid;
const notOwned = (st: Stats) => `owned by uid ${st.uid}, neither root nor the user running the agent`;
const writers = (st: Stats) => (st.mode & 0o002 ? 'others' : 'group');
const mode = (st: Stats) => (st.mode & 0o7777).toString(8);

/** Why the file itself cannot be trusted, or null. */
export function fileProblem(st: Stats, uid: number): string | null {
  if (st.mode & 0o022) return `writable by ${writers(st)} (mode ${mode(st)}); chmod go-w it`;
  if (!trustedOwner(st, uid)) return notOwned(st);
  return null;
}

/** Why directory `dir` cannot be trusted to hold the file, or null. */
export function directoryProblem(dir: string, st: Stats, uid: number): string | null {
  if (!trustedOwner(st, uid)) return `directory ${dir} is ${notOwned(st)}`;
  if (!(st.mode & 0o022)) return null;
  if (!(st.mode & 0o1000)) return `directory ${dir} is writable by ${writers(st)} (mode ${mode(st)}) without the sticky bit; chmod go-w ${dir}`;
  if (st.uid !== 0) return `directory ${dir} is writable by ${writers(st)} (mode ${mode(st)}) and owned by uid ${st.uid}, not root; chmod go-w ${dir}`;
  return null;
}

/** The real path of `file`, every directory and link on the way checked by the rule. */
export function resolveTrusted(flag: string, file: string, uid: number): string {
  const refuse = (why: string) => new UsageError(`${flag} ${file}: refused: ${why}`);
  const look = (p: string) => {
    try {
      return lstatSync(p);
    } catch (err) {
      throw new UsageError(`${flag} ${file}: ${openProblem(err)}`);
    }
  };
  const rootProblem = directoryProblem('/', look('/'), uid);
  if (rootProblem) throw refuse(rootProblem);
  // Invariant: `at` and every directory above it have passed the rule.
  let at = '/';
  let todo = path.resolve(file).split('/').filter(Boolean);
  let links = 0;
  while (todo.length > 0) {
    const name = todo.shift()!;
    if (name === '.') continue;
    if (name === '..') {
      at = path.dirname(at);
      continue;
    }
    const p = path.join(at, name);
    const st = look(p);
    if (st.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw refuse('too many symbolic links');
      if (!trustedOwner(st, uid)) throw refuse(`${p} is a symbolic link ${notOwned(st)}`);
      const target = readlinkSync(p);
      if (target.startsWith('/')) at = '/';
      todo = [...target.split('/').filter(Boolean), ...todo];
      continue;
    }
    if (todo.length === 0) return p;
    if (!st.isDirectory()) throw new UsageError(`${flag} ${file}: ${p} is not a directory`);
    const problem = directoryProblem(p, st, uid);
    if (problem) throw refuse(problem);
    at = p;
  }
  return at;
}

/** The text of a file that runs as root, and its real path; a UsageError when the rule refuses it. */
export function readTrustedFile(flag: string, file: string, what: string, maxBytes: number, uid = process.getuid?.() ?? 0): { text: string; realPath: string } {
  const realPath = resolveTrusted(flag, file, uid);
  const { fd, stat } = openRegular(flag, file, what, { maxBytes, follow: false, at: realPath });
  const problem = fileProblem(stat, uid);
  if (problem) {
    closeSync(fd);
    throw new UsageError(`${flag} ${file}: refused: ${problem}`);
  }
  return { text: readOpened(flag, file, what, fd, maxBytes), realPath };
}
