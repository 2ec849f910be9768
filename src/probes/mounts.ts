// The running host's mount table from /proc/self/mounts (never `df` or `mount`: they can hang on a
// stale network mount). Read once per run; only meaningful when the host is live.
import type { Host } from '../host/host';
import { parseMounts, type MountEntry } from '../parsers/mounts';

export type MountsProbe = { ok: true; mounts: MountEntry[] } | { ok: false; reason: string };

export const MOUNTS_FILE = '/proc/self/mounts';

export function mounts(host: Host): Promise<MountsProbe> {
  return host.probe('mounts', async () => {
    try {
      const text = await host.fs.readText(MOUNTS_FILE);
      return { ok: true, mounts: parseMounts(text) };
    } catch (err) {
      return { ok: false, reason: err instanceof Error ? err.message : String(err) };
    }
  });
}
