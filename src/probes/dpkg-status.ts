// Installed Debian packages, from /var/lib/dpkg/status, so that versions are known offline too.
import type { Host } from '../host/host';
import { FsError } from '../host/rootfs';
import { parseDpkgStatus, type DpkgPackage } from '../parsers/dpkg-status';
import { ParseError } from '../parsers/parse-error';

export const DPKG_STATUS = '/var/lib/dpkg/status';

export type DpkgProbe =
  | { state: 'ok'; packages: Map<string, DpkgPackage> }
  /** Not a dpkg-based system (or no package database). */
  | { state: 'absent' }
  | { state: 'invalid' | 'unreadable'; reason: string };

export function dpkgStatus(host: Host): Promise<DpkgProbe> {
  return host.probe('dpkg-status', async () => {
    let text: string | null;
    try {
      text = await host.fs.readTextIfExists(DPKG_STATUS, 64 * 1024 * 1024);
    } catch (err) {
      return { state: 'unreadable', reason: err instanceof FsError ? err.message : String(err) };
    }
    if (text === null) return { state: 'absent' };
    try {
      return { state: 'ok', packages: parseDpkgStatus(text) };
    } catch (err) {
      if (err instanceof ParseError) return { state: 'invalid', reason: `${DPKG_STATUS}: ${err.message}` };
      throw err;
    }
  });
}

/** The first of several packages that is installed. */
export function firstInstalled(probe: DpkgProbe, names: readonly string[]): DpkgPackage | undefined {
  if (probe.state !== 'ok') return undefined;
  return names.map((n) => probe.packages.get(n)).find((p) => p?.installed);
}
