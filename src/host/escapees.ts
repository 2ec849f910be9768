// Commands run in their own process group, and a timeout kills the group; a descendant that calls
// setsid() (a daemonising tool) leaves the group, and its parent may exit so that it is no longer
// our descendant either. Such processes are found by the run marker they inherited in their
// environment (the method Jenkins uses for build processes) and killed with their descendants.
//
// A task user may fork thousands of processes with large environments while the agent runs, to
// make this sweep slow (reading an environment copies it out of the other process). So the sweep
// reads only /proc/PID/stat and the owner of /proc/PID for every process (cheap), reads the
// environment only of processes that run as the agent's own user (every command the agent starts
// does; another user's process was not started by this run), reads at most ENVIRON_BYTES of each,
// stops at a time and count bound inside the run's deadline, and yields to the event loop so that
// SIGTERM ends it at once.
// Limits: Linux /proc only; a process that cleared its environment and is no longer below a marked
// process escapes, as does one that changed its user (none of the commands the agent runs does),
// one whose marker lies beyond ENVIRON_BYTES, and any left when the bound is reached (the sweep
// says so); as a non-root user only one's own processes can be read (and killed) anyway.
import { closeSync, openSync, readSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { RUN_MARKER, RUN_TOKEN } from './child-env';

const marker = Buffer.from(`${RUN_MARKER}=${RUN_TOKEN}\0`);

/** The agent's children get 4 variables (child-env.ts); what they add before the marker stays far below this. */
const ENVIRON_BYTES = 64 * 1024;
/** Processes looked at between two turns of the event loop. */
const BATCH = 64;

export interface SweepBounds {
  /** performance.now() past which the sweep stops. */
  until: number;
  /** At most this many environments are read. */
  maxEnvironReads: number;
  /** Aborted (SIGTERM, SIGINT): the sweep stops at once. */
  signal?: AbortSignal;
}

export interface SweepResult {
  killed: number;
  /** False when a bound or the signal ended the sweep before every process was looked at. */
  complete: boolean;
}

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

function environHasMarker(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(ENVIRON_BYTES);
    let got = 0;
    for (let n = 1; n > 0 && got < buf.length; got += n) n = readSync(fd, buf, got, buf.length - got, null);
    return buf.subarray(0, got).includes(marker);
  } finally {
    closeSync(fd);
  }
}

async function readProcs(proc: string, bounds: SweepBounds): Promise<{ procs: Proc[]; complete: boolean }> {
  let names: string[];
  let since: number;
  try {
    names = readdirSync(proc);
    since = statFields(readFileSync(`${proc}/self/stat`, 'latin1')).start;
  } catch {
    return { procs: [], complete: true };
  }
  const me = process.geteuid?.() ?? 0;
  const procs: Proc[] = [];
  let reads = 0;
  for (let i = 0; i < names.length; i++) {
    if (i % BATCH === 0) {
      await nextTurn();
      if (bounds.signal?.aborted || performance.now() > bounds.until) return { procs, complete: false };
    }
    const pid = Number(names[i]);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const { ppid, start } = statFields(readFileSync(`${proc}/${pid}/stat`, 'latin1'));
      // A process older than the agent, or another user's, is none of its descendants: its environment is not read.
      let marked = false;
      if (start >= since && statSync(`${proc}/${pid}`).uid === me) {
        if (++reads > bounds.maxEnvironReads) return { procs, complete: false };
        marked = environHasMarker(`${proc}/${pid}/environ`);
      }
      procs.push({ pid, ppid, marked });
    } catch {
      // Gone, or not ours to read.
    }
  }
  return { procs, complete: true };
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

/** Kills every process left from this run that the bounds leave time to find. */
export async function killEscapedDescendants(bounds: SweepBounds, proc = '/proc'): Promise<SweepResult> {
  let killed = 0;
  // A process may fork between the scan and the kill: scan again until nothing is left.
  for (let round = 0; round < 5; round++) {
    const { procs, complete } = await readProcs(proc, bounds);
    const pids = targets(procs);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
        killed++;
      } catch {
        // Already gone.
      }
    }
    if (!complete) return { killed, complete: false };
    if (pids.length === 0) break;
  }
  return { killed, complete: true };
}
