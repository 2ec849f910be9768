// Commands run in their own process group, and a timeout kills the group; a descendant that calls
// setsid() (a daemonising tool) leaves the group, and its parent may exit so that it is no longer
// our descendant either. Such processes are found by the run marker they inherited in their
// environment (the method Jenkins uses for build processes) and killed with their descendants.
// Limits: Linux /proc only; a process that cleared its environment and is no longer below a marked
// process escapes; as a non-root user only one's own processes can be read (and killed) anyway.
import { readdirSync, readFileSync } from 'node:fs';
import { RUN_MARKER, RUN_TOKEN } from './child-env';

const marker = Buffer.from(`${RUN_MARKER}=${RUN_TOKEN}\0`);

interface Proc {
  pid: number;
  ppid: number;
  marked: boolean;
}

/** ppid and start time (clock ticks since boot) from /proc/PID/stat; the command name may contain ') '. */
function statFields(text: string): { ppid: number; start: number } {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(fields[1]), start: Number(fields[19]) };
}

function readProcs(proc: string): Proc[] {
  let names: string[];
  let since: number;
  try {
    names = readdirSync(proc);
    since = statFields(readFileSync(`${proc}/self/stat`, 'latin1')).start;
  } catch {
    return [];
  }
  const procs: Proc[] = [];
  for (const name of names) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const { ppid, start } = statFields(readFileSync(`${proc}/${pid}/stat`, 'latin1'));
      // A process older than the agent is none of its descendants: its environment is not read.
      procs.push({ pid, ppid, marked: start >= since && readFileSync(`${proc}/${pid}/environ`).includes(marker) });
    } catch {
      // Gone, or not ours to read.
    }
  }
  return procs;
}

/** The marked processes and everything below them. */
function targets(procs: readonly Proc[]): number[] {
  const children = new Map<number, number[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const found = new Set<number>();
  const visit = (pid: number) => {
    if (found.has(pid)) return;
    found.add(pid);
    for (const c of children.get(pid) ?? []) visit(c);
  };
  for (const p of procs) if (p.marked) visit(p.pid);
  return [...found];
}

/** Kills every process left from this run; returns how many were signalled. */
export function killEscapedDescendants(proc = '/proc'): number {
  let killed = 0;
  // A process may fork between the scan and the kill: scan again until nothing is left.
  for (let round = 0; round < 5; round++) {
    const pids = targets(readProcs(proc));
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
        killed++;
      } catch {
        // Already gone.
      }
    }
  }
  return killed;
}
