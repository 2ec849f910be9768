// /etc/os-release (falling back to /usr/lib/os-release), read once per run.
import type { Host } from '../host/host';
import { distroFamily, parseOsRelease, type DistroFamily, type OsRelease } from '../parsers/os-release';
import { FsError } from '../host/rootfs';

export type OsReleaseProbe =
  | { ok: true; path: string; fields: OsRelease; family: DistroFamily }
  | { ok: false; reason: string; family: DistroFamily };

export function osRelease(host: Host): Promise<OsReleaseProbe> {
  return host.probe('os-release', async () => {
    for (const p of ['/etc/os-release', '/usr/lib/os-release']) {
      try {
        const text = await host.fs.readTextIfExists(p, 64 * 1024);
        if (text === null) continue;
        const fields = parseOsRelease(text);
        if (!fields.ID) return { ok: false, reason: `${p} has no ID= line (empty or truncated)`, family: 'unknown' };
        return { ok: true, path: p, fields, family: distroFamily(fields) };
      } catch (err) {
        return { ok: false, reason: err instanceof FsError ? err.message : String(err), family: 'unknown' };
      }
    }
    return { ok: false, reason: 'neither /etc/os-release nor /usr/lib/os-release exists', family: 'unknown' };
  });
}
