// How docker.service would start dockerd: the unit file plus its drop-ins (*.conf in
// docker.service.d directories), merged as systemd merges them, and the dockerd flags that result.
import path from 'node:path';
import type { Host } from '../host/host';
import { unitFile, type UnitInfo } from './unit-files';
import { effectiveList, parseUnitFile, splitExecLine, type SourcedValue } from '../parsers/systemd-unit';
import { dockerdFlags, type DockerdFlags } from '../parsers/dockerd-flags';

// Highest priority first: a drop-in in /etc hides one of the same name further down.
const DROPIN_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/usr/local/lib/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'];

export interface DockerServiceStart {
  unit: UnitInfo;
  /** Drop-in files applied, in the order systemd applies them. */
  dropIns: string[];
  /** The effective ExecStart= lines (normally one). */
  execStart: SourcedValue[];
  flags: DockerdFlags;
}

async function gather(host: Host): Promise<DockerServiceStart> {
  const unit = await unitFile(host, 'docker.service');
  const byName = new Map<string, string>();
  for (const dir of DROPIN_DIRS) {
    const d = path.posix.join(dir, 'docker.service.d');
    for (const name of await host.fs.listIfExists(d)) {
      if (name.endsWith('.conf') && !byName.has(name)) byName.set(name, path.posix.join(d, name));
    }
  }
  const dropIns = [...byName.keys()].sort().map((n) => byName.get(n)!);
  const files = unit.file && unit.text !== undefined ? [{ file: unit.file, entries: parseUnitFile(unit.text) }] : [];
  for (const f of dropIns) files.push({ file: f, entries: parseUnitFile(await host.fs.readText(f)) });
  const execStart = effectiveList(files, 'Service', 'ExecStart');
  const flags: DockerdFlags = { hosts: [] };
  for (const e of execStart) {
    const f = dockerdFlags(splitExecLine(e.value));
    flags.hosts.push(...f.hosts);
    flags.dataRoot = f.dataRoot ?? flags.dataRoot;
    flags.configFile = f.configFile ?? flags.configFile;
  }
  return { unit, dropIns, execStart, flags };
}

/** Throws FsError when a unit file or drop-in exists but cannot be read. */
export function dockerServiceStart(host: Host): Promise<DockerServiceStart> {
  return host.probe('docker-service-start', () => gather(host));
}
