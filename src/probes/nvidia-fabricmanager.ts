// NVIDIA Fabric Manager as installed: its packages and their versions, and the loaded driver's version
// they must equal. Package names (Azure/azhpc-images components/install_nvidia_fabric_manager.sh):
// Ubuntu nvidia-fabricmanager-<branch> (nvidia-fabricmanager from branch 580 on); RHEL family and
// Azure Linux nvidia-fabric-manager (nvidia-fabricmanager from 580 on).
import type { Host } from '../host/host';
import { messageOf } from '../errors';
import { dpkgStatus } from './dpkg-status';
import { ParseError } from '../parsers/parse-error';
import { parseModuleVersion, parseNvrmVersion } from '../parsers/nvidia-driver-version';

const PACKAGE = /^nvidia-fabric-?manager(-\d+)?$/;
const RPM_NAMES = ['nvidia-fabricmanager', 'nvidia-fabric-manager'];
const RPM_DBS = ['/var/lib/rpm', '/usr/lib/sysimage/rpm'];

export interface FmPackage {
  name: string;
  version: string;
}

export type FmPackagesProbe =
  | { state: 'known'; packages: FmPackage[]; source: string }
  /** The package database could not be read or asked: `reason` says why. */
  | { state: 'unknown'; reason: string };

async function fromRpm(host: Host): Promise<FmPackagesProbe | null> {
  const db = (await Promise.all(RPM_DBS.map((d) => host.fs.exists(d).catch(() => false)))).some(Boolean);
  if (!db) return null;
  if (!host.canExec) return { state: 'unknown', reason: 'the rpm database cannot be read without running rpm, and commands are not run against an offline root' };
  // rpm -q prints "package X is not installed" for each missing name and exits with their count.
  const r = await host.exec('rpm', ['-q', '--queryformat', '%{NAME} %{VERSION}-%{RELEASE}\\n', ...RPM_NAMES]);
  if (r.outcome === 'not-found') return { state: 'unknown', reason: 'there is an rpm database but no rpm command to read it' };
  if (r.outcome !== 'exited') return { state: 'unknown', reason: `rpm -q did not finish: ${r.summary}` };
  const lines = r.stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length === 0) return { state: 'unknown', reason: `rpm -q printed nothing (exit ${r.exitCode}): ${JSON.stringify(r.stderr.trim().slice(0, 120))}` };
  const packages: FmPackage[] = [];
  for (const line of lines) {
    if (/^package \S+ is not installed$/.test(line)) continue;
    const m = /^(\S+) (\S+)$/.exec(line);
    if (!m || !RPM_NAMES.includes(m[1]!)) return { state: 'unknown', reason: `rpm -q printed something unexpected: ${JSON.stringify(line.slice(0, 120))}` };
    packages.push({ name: m[1]!, version: m[2]! });
  }
  return { state: 'known', packages, source: 'rpm -q' };
}

/** The installed Fabric Manager packages, from dpkg's status file or `rpm -q`. */
export function fabricManagerPackages(host: Host): Promise<FmPackagesProbe> {
  return host.probe('fabricmanager-packages', async () => {
    const dpkg = await dpkgStatus(host);
    if (dpkg.state === 'invalid' || dpkg.state === 'unreadable') return { state: 'unknown', reason: dpkg.reason };
    if (dpkg.state === 'ok') {
      const packages = [...dpkg.packages.values()].filter((p) => p.installed && PACKAGE.test(p.name)).map((p) => ({ name: p.name, version: p.version }));
      return { state: 'known', packages, source: '/var/lib/dpkg/status' };
    }
    const rpm = await fromRpm(host);
    return rpm ?? { state: 'unknown', reason: 'no package database (neither /var/lib/dpkg/status nor an rpm database)' };
  });
}

export type DriverVersionProbe = { state: 'known'; version: string; source: string } | { state: 'absent' } | { state: 'unknown'; reason: string };

/** The loaded nvidia module's version: /sys/module/nvidia/version, else /proc/driver/nvidia/version. */
export function loadedDriverVersion(host: Host): Promise<DriverVersionProbe> {
  return host.probe('nvidia-loaded-driver-version', async () => {
    const sources: [string, (t: string) => string][] = [
      ['/sys/module/nvidia/version', parseModuleVersion],
      ['/proc/driver/nvidia/version', parseNvrmVersion],
    ];
    for (const [file, parse] of sources) {
      let text: string | null;
      try {
        text = await host.fs.readTextIfExists(file, 64 * 1024);
      } catch (err) {
        return { state: 'unknown', reason: `${file} could not be read: ${messageOf(err)}` };
      }
      if (text === null) continue;
      try {
        return { state: 'known', version: parse(text), source: file };
      } catch (err) {
        if (err instanceof ParseError) return { state: 'unknown', reason: `${file} is not in the expected format: ${err.message}` };
        throw err;
      }
    }
    return { state: 'absent' };
  });
}
