// Running processes by name, from /proc/<pid>/comm (no ps needed, and it works on a fixture tree).
// comm holds at most 15 characters (the kernel's TASK_COMM_LEN is 16 with the NUL), so a longer
// program name is matched on its first 15 characters, as the kernel stores it.
import type { Host } from '../host/host';
import { messageOf } from '../errors';

const COMM_LEN = 15;

export type ProcessesProbe = { state: 'ok'; pids: number[] } | { state: 'unknown'; reason: string };

/** The pids whose comm is `name` (cut to 15 characters); a process that exits while listed is skipped. */
export async function processesNamed(host: Host, name: string): Promise<ProcessesProbe> {
  const comm = name.slice(0, COMM_LEN);
  let entries: string[];
  try {
    entries = await host.fs.listIfExists('/proc');
  } catch (err) {
    return { state: 'unknown', reason: `/proc could not be listed: ${messageOf(err)}` };
  }
  const pids = entries.filter((e) => /^\d+$/.test(e));
  if (pids.length === 0) return { state: 'unknown', reason: '/proc lists no process (is procfs mounted?)' };
  const names = await Promise.all(pids.map((pid) => host.fs.readTextIfExists(`/proc/${pid}/comm`, 64).catch(() => null)));
  return { state: 'ok', pids: pids.filter((_, i) => names[i]?.replace(/\n$/, '') === comm).map(Number) };
}
