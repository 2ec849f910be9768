// Which Docker Engine and CLI versions this host has. The engine: the running daemon's /version
// when live, else `dockerd --version` when commands may run, else the package database (offline).
// Shared by docker.version and docker.gpus.
import type { Host } from '../host/host';
import { ParseError } from '../parsers/parse-error';
import { parseDockerBinaryVersion, parseDockerVersion, type DockerVersion } from '../parsers/docker-version';
import { dockerApi, stringField } from './docker-engine';
import { runTool, type ToolRun } from '../run-tool';
import { DPKG_STATUS, dpkgStatus, firstInstalled } from './dpkg-status';

/** Docker Engine 19.03: the first release with `--gpus`, and the oldest Batch Shipyard's images are built for. */
export const DOCKER_MIN = { major: 19, minor: 3, text: '19.03' } as const;

export const ENGINE_PACKAGES = ['docker-ce', 'moby-engine', 'docker.io', 'docker-engine'];
export const CLI_PACKAGES = ['docker-ce-cli', 'moby-cli', 'docker.io'];
const RPM_DBS = ['/var/lib/rpm', '/usr/lib/sysimage/rpm'];

export type VersionProbe =
  | { ok: true; version: DockerVersion; source: string; notes: string[] }
  /**
   * broken: the tool is there and failed (crash, non-zero exit): a fail.
   * unknown: could not tell (timeout, garbage, unreadable database): an error.
   * missing: nothing installed.
   */
  | { ok: false; kind: 'broken' | 'unknown' | 'missing'; reason: string; notes: string[] };

const parsed = (text: string, parse: (t: string) => DockerVersion, source: string, notes: string[]): VersionProbe => {
  try {
    return { ok: true, version: parse(text), source, notes };
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    return { ok: false, kind: 'unknown', reason: `${source} gave no version I can read: ${err.message}`, notes };
  }
};

/** What a `X --version` run tells, or null when the command is not installed. */
function fromCommand(r: ToolRun<DockerVersion>, what: string, notes: string[]): VersionProbe | null {
  switch (r.kind) {
    case 'missing':
      return null;
    case 'ok':
      return { ok: true, version: r.value, source: `\`${what}\``, notes };
    case 'broken':
      return { ok: false, kind: 'broken', reason: `${what} ${r.exec.outcome === 'crashed' ? 'crashed' : 'failed'}: ${r.exec.summary}`, notes };
    case 'unknown':
      if (r.parseError) return { ok: false, kind: 'unknown', reason: `\`${what}\` gave no version I can read: ${r.parseError.message}`, notes };
      return { ok: false, kind: 'unknown', reason: `${what} did not finish: ${r.exec.summary}`, notes };
  }
}

/** `X --version`, whose "Docker version" line is on stdout. */
const versionCommand = (host: Host, cmd: 'dockerd' | 'docker') => runTool(host, cmd, ['--version'], parseDockerBinaryVersion, { stdoutOnly: true });

async function fromPackages(host: Host, names: readonly string[], notes: string[]): Promise<VersionProbe | null> {
  const dpkg = await dpkgStatus(host);
  if (dpkg.state === 'invalid' || dpkg.state === 'unreadable') return { ok: false, kind: 'unknown', reason: dpkg.reason, notes };
  const pkg = firstInstalled(dpkg, names);
  if (pkg) return parsed(pkg.version, parseDockerVersion, `package ${pkg.name} (${DPKG_STATUS})`, notes);
  for (const db of RPM_DBS) {
    if (await host.fs.exists(db).catch(() => false)) {
      const why = host.canExec ? 'the rpm database is not read directly' : 'the rpm database cannot be read without running rpm, and commands are not run against an offline root';
      return { ok: false, kind: 'unknown', reason: `the installed Docker version is recorded in ${db}, and ${why}`, notes };
    }
  }
  return null;
}

async function engineVersion(host: Host): Promise<VersionProbe> {
  const notes: string[] = [];
  // Started at once, so that a daemon that never answers does not use up the time the fallback needs.
  const binary = host.canExec ? versionCommand(host, 'dockerd') : null;
  if (host.live) {
    const a = await dockerApi(host, '/version');
    if (a.ok) {
      const v = stringField(a.json, 'Version');
      if (v === undefined) return { ok: false, kind: 'unknown', reason: `the daemon's /version answer has no Version field: ${a.body.slice(0, 120)}`, notes };
      return parsed(v, parseDockerVersion, `the running daemon (API /version, API ${stringField(a.json, 'ApiVersion') ?? '?'})`, notes);
    }
    notes.push(`the daemon did not answer /version (${a.detail}); used the installed engine instead`);
  }
  if (binary) {
    const r = fromCommand(await binary, 'dockerd --version', notes);
    if (r) return r;
  }
  const pkg = await fromPackages(host, ENGINE_PACKAGES, notes);
  if (pkg) return pkg;
  if (await host.which('dockerd')) return { ok: false, kind: 'unknown', reason: 'dockerd is installed, but no package database records its version and commands are not run against an offline root', notes };
  return { ok: false, kind: 'missing', reason: `dockerd is not installed (no ${ENGINE_PACKAGES.join(', ')} package)`, notes };
}

export function dockerEngineVersion(host: Host): Promise<VersionProbe> {
  return host.probe('docker-engine-version', () => engineVersion(host));
}

/**
 * The CLI's own version. `docker --version` rather than `docker version`: it does not ask the
 * daemon, so a hung daemon cannot hang it (the daemon's side comes from the API).
 */
export function dockerClientVersion(host: Host): Promise<VersionProbe> {
  return host.probe('docker-client-version', async () => {
    const notes: string[] = [];
    if (host.canExec) {
      const r = fromCommand(await versionCommand(host, 'docker'), 'docker --version', notes);
      if (r) return r;
    }
    const pkg = await fromPackages(host, CLI_PACKAGES, notes);
    if (pkg) return pkg;
    return { ok: false, kind: 'missing', reason: 'the docker CLI is not installed', notes };
  });
}
