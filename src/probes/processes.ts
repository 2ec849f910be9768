// The names of the running processes, from /proc/<pid>/comm (no `ps` needed). Read once per run;
// only meaningful on a live host.
import type { Host } from '../host/host';

export function processNames(host: Host): Promise<Set<string>> {
  return host.probe('process-names', async () => {
    const pids = (await host.fs.listIfExists('/proc')).filter((n) => /^\d+$/.test(n));
    const names = await Promise.all(pids.map((pid) => host.fs.readText(`/proc/${pid}/comm`, 64).then((t) => t.trim(), () => null)));
    return new Set(names.filter((n): n is string => n !== null && n !== ''));
  });
}
