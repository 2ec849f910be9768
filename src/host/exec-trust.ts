// The trust rule for what the agent runs as root, the same as for --checks-file and --plugin
// (src/input/trusted-file.ts): whoever can change an executable, or any directory on the way to it,
// can run code as root through the agent. Judged on what is actually executed: the real path
// (symlinks resolved), every directory from `/` and the file itself, each owned by root (or the
// running user) and writable by nobody else (a sticky directory only when root owns it, like /tmp).
import { lstatSync } from 'node:fs';
import path from 'node:path';
import { directoryProblem, fileProblem } from '../input/trusted-file';

/** Why the executable at `realPath` (a real path: no symlinks) must not be run, or null. */
export function untrustedExecutable(realPath: string, uid = process.geteuid?.() ?? 0): string | null {
  const parts = realPath.split('/').filter(Boolean);
  let at = '/';
  for (let i = 0; i <= parts.length; i++) {
    let st;
    try {
      st = lstatSync(at);
    } catch {
      return `${at} cannot be examined`;
    }
    // realpath said there was no link here: one now means the path changed under us.
    if (st.isSymbolicLink()) return `${at} became a symbolic link while it was checked`;
    if (i === parts.length) {
      const problem = fileProblem(st, uid);
      return problem ? `${realPath} is ${problem.replace(/; chmod go-w it$/, '')}` : null;
    }
    const problem = directoryProblem(at, st, uid);
    if (problem) return problem.replace(/; chmod go-w \S+$/, '');
    at = path.join(at, parts[i]!);
  }
  return null;
}
