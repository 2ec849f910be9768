// The running host's mount table from /proc/self/mounts (never `df` or `mount`: they can hang on a
// stale network mount). Read once per run; only meaningful when the host is live.
import type { Host } from '../host/host';
import { parseMounts, type MountEntry } from '../parsers/mounts';
import { messageOf } from '../errors';

export type MountsProbe = { ok: true; mounts: MountEntry[] } | { ok: false; reason: string };

/** Far above any real table (a few hundred bytes a mount); a larger one is an error, never read in part. */
export const MAX_MOUNTS_BYTES = 64 * 1024 * 1024;
export const MOUNTS_FILE = '/proc/self/mounts';

export function mounts(host: Host): Promise<MountsProbe> {
  return host.probe('mounts', async () => {
    try {
      const text = await host.fs.readWholeText(MOUNTS_FILE, MAX_MOUNTS_BYTES);
      return { ok: true, mounts: parseMounts(text) };
    } catch (err) {
      return { ok: false, reason: messageOf(err) };
    }
  });
}
