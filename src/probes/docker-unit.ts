// How docker.service would start dockerd: the unit file plus its drop-ins (*.conf in
// docker.service.d directories), merged as systemd merges them, and the dockerd flags that result.
import path from 'node:path';
import type { Host } from '../host/host';
import { unitFile, type UnitInfo } from './unit-files';
import { effectiveList, expandExecVariables, parseUnitFile, splitExecLine, type SourcedValue } from '../parsers/systemd-unit';
import { parseKeyValueFile } from '../parsers/ini-keys';
import { dockerdFlags, type DockerdFlags } from '../parsers/dockerd-flags';

// Highest priority first: a drop-in in /etc hides one of the same name further down.
const DROPIN_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/usr/local/lib/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'];

export interface DockerServiceStart {
  unit: UnitInfo;
  /** Drop-in files applied, in the order systemd applies them. */
  dropIns: string[];
  /** The effective ExecStart= lines (normally one). */
  execStart: SourcedValue[];
  /** EnvironmentFile= files read for $VARIABLES in ExecStart (e.g. DOCKER_OPTS in /etc/default/docker). */
  environmentFiles: string[];
  /** Required EnvironmentFile= files (no `-`) that do not exist: systemd will not start the unit. */
  missingEnvironmentFiles: string[];
  flags: DockerdFlags;
}

type UnitFiles = Parameters<typeof effectiveList>[0];

/** Variables from Environment= and EnvironmentFile= (a leading `-` means the file may be missing), in order. */
async function serviceEnvironment(host: Host, files: UnitFiles): Promise<{ env: Map<string, string>; environmentFiles: string[]; missingEnvironmentFiles: string[] }> {
  const env = new Map<string, string>();
  const environmentFiles: string[] = [];
  const missingEnvironmentFiles: string[] = [];
  for (const { entries } of files) {
    for (const e of entries) {
      if (e.section !== 'Service') continue;
      if (e.key === 'Environment') {
        for (const word of splitExecLine(`x ${e.value}`).slice(1)) {
          const eq = word.indexOf('=');
          if (eq > 0) env.set(word.slice(0, eq), word.slice(eq + 1));
        }
      } else if (e.key === 'EnvironmentFile' && e.value !== '') {
        const optional = e.value.startsWith('-');
        const file = e.value.replace(/^-/, '');
        const text = await host.fs.readTextIfExists(file);
        if (text === null) {
          if (!optional) missingEnvironmentFiles.push(file);
          continue;
        }
        environmentFiles.push(file);
        for (const [k, v] of parseKeyValueFile(text)) env.set(k, v.value);
      }
    }
  }
  return { env, environmentFiles, missingEnvironmentFiles };
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
  const { env, environmentFiles, missingEnvironmentFiles } = await serviceEnvironment(host, files);
  const flags: DockerdFlags = { hosts: [], given: [] };
  for (const e of execStart) {
    const f = dockerdFlags(expandExecVariables(splitExecLine(e.value), env));
    flags.hosts.push(...f.hosts);
    flags.given.push(...f.given);
    flags.dataRoot = f.dataRoot ?? flags.dataRoot;
    flags.configFile = f.configFile ?? flags.configFile;
  }
  return { unit, dropIns, execStart, environmentFiles, missingEnvironmentFiles, flags };
}

/** Throws FsError when a unit file or drop-in exists but cannot be read. */
export function dockerServiceStart(host: Host): Promise<DockerServiceStart> {
  return host.probe('docker-service-start', () => gather(host));
}
