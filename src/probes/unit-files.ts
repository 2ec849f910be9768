// systemd unit-file state read from the file system, as `systemctl is-enabled` decides it, so that
// it works offline, in containers and on hosts where systemd is not PID 1.
import path from 'node:path';
import type { Host } from '../host/host';
import { FsError } from '../host/rootfs';

export type UnitState = 'enabled' | 'disabled' | 'masked' | 'static' | 'not-found';

export interface UnitInfo {
  unit: string;
  state: UnitState;
  /** Unit file path inside the root, when found. */
  file?: string;
  /** The symlinks that enable it (e.g. /etc/systemd/system/multi-user.target.wants/docker.service). */
  enabledBy: string[];
  /** Raw text of the unit file, when found. */
  text?: string;
}

// Only "not there" means "not enabled": a unit directory that cannot be read (denied, a symlink
// loop, a link out of the root) throws, so that checks say they could not tell instead of "disabled".

/** The target of a symlink, or null when the path is missing or not a symlink (readlink's EINVAL). */
async function linkTarget(host: Host, p: string): Promise<string | null> {
  try {
    return await host.fs.readlink(p);
  } catch (err) {
    if (err instanceof FsError && (err.reason === 'missing' || (err.reason === 'io' && /EINVAL/.test(err.message)))) return null;
    throw err;
  }
}

const CONFIG_DIRS = ['/etc/systemd/system'];
const UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/usr/local/lib/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'];

/** Every link in the .wants/.requires directories, by unit name: listed once per run for all units. */
function wantsDirectories(host: Host): Promise<Map<string, string[]>> {
  return host.probe('systemd-wants', async () => {
    const byUnit = new Map<string, string[]>();
    for (const dir of CONFIG_DIRS) {
      const subs = (await host.fs.listIfExists(dir)).filter((n) => n.endsWith('.wants') || n.endsWith('.requires')).map((e) => path.posix.join(dir, e));
      const listings = await Promise.all(subs.map((sub) => host.fs.listIfExists(sub)));
      subs.forEach((sub, i) => {
        for (const n of listings[i]!) byUnit.set(n, [...(byUnit.get(n) ?? []), path.posix.join(sub, n)]);
      });
    }
    return byUnit;
  });
}

async function wantsLinks(host: Host, unitNames: readonly string[]): Promise<string[]> {
  const byUnit = await wantsDirectories(host);
  return unitNames.flatMap((n) => byUnit.get(n) ?? []);
}

async function unitInfo(host: Host, unit: string): Promise<UnitInfo> {
  // Masked: a link to /dev/null in /etc.
  for (const dir of ['/etc/systemd/system', '/run/systemd/system']) {
    const target = await linkTarget(host, path.posix.join(dir, unit));
    if (target === '/dev/null') return { unit, state: 'masked', enabledBy: [], file: path.posix.join(dir, unit) };
  }
  let file: string | undefined;
  let text: string | undefined;
  for (const dir of UNIT_DIRS) {
    const p = path.posix.join(dir, unit);
    const t = await host.fs.readTextIfExists(p);
    if (t !== null) {
      file = p;
      text = t;
      break;
    }
  }
  if (!file || text === undefined) return { unit, state: 'not-found', enabledBy: [] };
  // An alias (e.g. sshd.service for ssh.service) is enabled when its target unit is.
  const names = [unit];
  for (const m of text.matchAll(/^\s*Alias\s*=\s*(.+)$/gm)) names.push(...m[1]!.trim().split(/\s+/));
  const real = await host.fs.resolve(file).catch(() => file!);
  names.push(path.posix.basename(real));
  const enabledBy = await wantsLinks(host, [...new Set(names)]);
  if (enabledBy.length > 0) return { unit, state: 'enabled', file, enabledBy, text };
  const hasInstall = /^\s*\[Install\]/m.test(text) && /^\s*(WantedBy|RequiredBy|Alias|Also)\s*=/m.test(text);
  return { unit, state: hasInstall ? 'disabled' : 'static', file, enabledBy, text };
}

/** State of a unit, gathered once per run per unit name. */
export function unitFile(host: Host, unit: string): Promise<UnitInfo> {
  return host.probe(`unit:${unit}`, () => unitInfo(host, unit));
}
