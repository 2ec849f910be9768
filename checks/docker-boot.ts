import path from 'node:path';
import type { Check, CheckResult, CheckSettings, Evidence, Finding } from '../src/types';
import { error, finding, pass, unreadable, warn } from '../src/check-helpers';
import type { Host } from '../src/host/host';
import { osRelease } from '../src/probes/os-release';
import { nodeAgentDefaultMount, RESOURCE_MOUNTS } from '../src/probes/resource-disk';
import { unitFile } from '../src/probes/unit-files';
import { dockerServiceStart, type DockerServiceStart } from '../src/probes/docker-unit';
import { daemonJson, type DaemonJsonProbe } from '../src/probes/docker-daemon-json';
import { dockerApi, stringField } from '../src/probes/docker-engine';
import { dockerEngineVersion } from '../src/probes/docker-version';
import { dockerdValidate } from '../src/probes/dockerd-validate';
import { conflictingDirectives, engineLine, unknownDirectives, type RulesOf } from '../src/parsers/daemon-json-directives';
import { DOCKERD_LINES } from '../src/data/dockerd-options';

const DEFAULT_DATA_ROOT = '/var/lib/docker';

interface DataRoot {
  path: string;
  /** The path with symlinks resolved inside the root, when it exists. */
  resolved: string;
  source: string;
}

// `mount` is one of RESOURCE_MOUNTS (the node agent default is one of them too): never '/', no trailing slash.
const under = (p: string, mount: string) => p === mount || p.startsWith(mount + '/');

async function resolved(host: Host, p: string): Promise<string> {
  const real = await host.fs.resolve(p).catch(() => null);
  return real === null ? p : '/' + path.relative(host.root, real);
}

/** Every place the data root is set: the running daemon, dockerd's flags, daemon.json, else the default. */
async function dataRoots(host: Host, start: DockerServiceStart, config: Record<string, unknown> | null, daemonJsonPath: string, evidence: Record<string, unknown>): Promise<DataRoot[]> {
  const found: { path: string; source: string }[] = [];
  if (host.live) {
    const info = await dockerApi(host, '/info');
    // A daemon that is down or failing is docker.socket's finding; here it only means its data root is unknown.
    if (!info.ok) evidence.daemonInfo = info.detail;
    const dir = info.ok ? stringField(info.json, 'DockerRootDir') : undefined;
    if (dir) found.push({ path: dir, source: 'the running daemon (/info DockerRootDir)' });
  }
  if (start.flags.dataRoot) found.push({ path: start.flags.dataRoot, source: `docker.service ExecStart (${start.execStart.at(-1)?.file})` });
  for (const key of ['data-root', 'graph']) {
    const v = config?.[key];
    if (typeof v === 'string' && v !== '') found.push({ path: v, source: `"${key}" in ${daemonJsonPath}` });
  }
  // Only when nothing configures it (every() of none is true): the running daemon's root may not be the one it starts with at boot.
  if (found.every((f) => f.source.startsWith('the running'))) found.push({ path: DEFAULT_DATA_ROOT, source: 'the default' });
  return Promise.all(found.map(async (f) => ({ ...f, resolved: await resolved(host, f.path) })));
}

/** What keeps dockerd from starting: daemon.json it cannot parse, a missing EnvironmentFile, hosts given twice. */
function startProblems(start: DockerServiceStart, dj: DaemonJsonProbe, config: Record<string, unknown> | null, evidence: Evidence): Finding[] {
  const problems: Finding[] = [];
  if (dj.state === 'invalid') {
    evidence.daemonJsonError = dj.reason;
    problems.push(
      finding.fail(
        `${dj.path} is not valid JSON as dockerd reads it (${dj.reason}), so dockerd would not start`,
        `Fix ${dj.path} at line ${dj.line ?? '?'} (strict JSON: no comments, no trailing commas); check it with: python3 -m json.tool ${dj.path}`,
      ),
    );
  }
  if (start.missingEnvironmentFiles.length > 0) {
    problems.push(
      finding.fail(
        `docker.service requires EnvironmentFile ${start.missingEnvironmentFiles.join(', ')}, which does not exist, so systemd will not start it`,
        `Create ${start.missingEnvironmentFiles.join(', ')} or write the EnvironmentFile= line with a leading "-" (optional file) in a drop-in`,
      ),
    );
  }
  const hostFlagsSet = start.flags.hosts.length > 0;
  if (config && 'hosts' in config && hostFlagsSet) {
    evidence.hostsInDaemonJson = config.hosts;
    evidence.hostFlags = start.flags.hosts;
    problems.push(
      finding.fail(
        `"hosts" is set in ${dj.path} and docker.service passes -H (${start.flags.hosts.join(', ')}) in ExecStart${start.environmentFiles.length ? ` (with variables from ${start.environmentFiles.join(', ')})` : ''}; dockerd refuses to start when a setting is given both ways`,
        `Remove "hosts" from ${dj.path}, or override ExecStart without -H: mkdir -p /etc/systemd/system/docker.service.d && printf '[Service]\\nExecStart=\\nExecStart=/usr/sbin/dockerd\\n' > /etc/systemd/system/docker.service.d/no-host-flag.conf && systemctl daemon-reload`,
      ),
    );
  }
  return problems;
}

const OLDEST = DOCKERD_LINES[0]!;
const NEWEST = DOCKERD_LINES.at(-1)!;

/**
 * dockerd's own checks of daemon.json against its flags: unknown keys, and keys also given as flags
 * in ExecStart (hosts has its own finding). On a live host with Docker 23 or later, `dockerd
 * --validate` judges the file itself; elsewhere the same rules run offline for the engine's line.
 */
async function directiveProblems(host: Host, start: DockerServiceStart, file: string, config: Record<string, unknown>, evidence: Evidence): Promise<Finding[]> {
  const problems: Finding[] = [];
  const engine = await dockerEngineVersion(host);
  const line = engine.ok ? engineLine(engine.version.major, engine.version.minor) : {};
  const rules: RulesOf = line.line ? { line: line.line } : 'every-line';
  evidence.directiveRules = line.line ? `dockerd ${line.line}` : `every dockerd release line from ${OLDEST} to ${NEWEST} (${engine.ok ? `${engine.version.raw} is ${line.outside}` : `engine version unknown: ${engine.reason}`})`;

  const flagged = conflictingDirectives(config, start.flags.given, rules)
    // A top-level "hosts" with -H has its own finding and fix (startProblems).
    .filter((c) => !(c.key === 'hosts' && 'hosts' in config));
  if (flagged.length > 0) {
    evidence.directivesGivenTwice = flagged.map((c) => `${c.key} (--${c.flag})`);
    problems.push(
      finding.fail(
        `${flagged.map((c) => `"${c.key}"`).join(', ')} ${flagged.length > 1 ? 'are' : 'is'} set in ${file} and docker.service passes ${flagged.map((c) => `--${c.flag}`).join(', ')} in ExecStart: dockerd refuses to start when a directive is given both ways ("the following directives are specified both as a flag and in the configuration file")`,
        `Set each of them in one place only: remove ${flagged.map((c) => `"${c.key}"`).join(', ')} from ${file}, or the flag from ExecStart (a drop-in in /etc/systemd/system/docker.service.d/ that clears and sets ExecStart), then systemctl daemon-reload`,
      ),
    );
  }

  const validate = host.live && host.canExec && engine.ok && engine.version.major >= 23 ? await dockerdValidate(host, file) : null;
  if (validate) evidence.dockerdValidate = validate.state === 'ok' ? 'configuration OK' : 'reason' in validate ? `${validate.state}: ${validate.reason}` : validate.state;
  if (validate?.state === 'refused') {
    problems.push(finding.fail(`dockerd --validate refuses ${file}: ${validate.reason}`, `Fix ${file} as the message says, then check it with: dockerd --validate --config-file ${file}`));
    return problems;
  }
  if (validate?.state === 'ok') return problems;

  const unknown = unknownDirectives(config, rules);
  if (unknown.length > 0) {
    evidence.unknownDirectives = unknown;
    const names = unknown.map((k) => `"${k}"`).join(', ');
    const fix = `Remove or correct ${names} in ${file} (a key is a dockerd flag's long name, e.g. "log-level", or its plural for lists, e.g. "hosts", "labels")`;
    if (line.line) {
      problems.push(finding.fail(`${file} has ${names}, which dockerd ${line.line} does not know: it refuses to start ("the following directives don't match any configuration option")`, fix));
    } else {
      const why = engine.ok ? `this engine, ${engine.version.raw}, is ${line.outside === 'newer' ? 'newer than those' : line.outside === 'older' ? 'older than those' : 'of a release line not'} read` : 'the engine\'s version is not known';
      problems.push(finding.warn(`${file} has ${names}, which no dockerd from ${OLDEST} to ${NEWEST} knows (any of them refuses to start with it); ${why}`, fix));
    }
  }
  return problems;
}

/**
 * The boot rule: with the data root on the temp disk, docker.service and docker.socket must not start
 * at boot. Its problems, and a note on what was found for the pass or warn message.
 */
async function bootProblems(
  host: Host,
  settings: CheckSettings,
  start: DockerServiceStart,
  config: Record<string, unknown> | null,
  daemonJsonPath: string,
  evidence: Evidence,
): Promise<{ problems: Finding[]; note: string } | { result: CheckResult }> {
  const problems: Finding[] = [];
  const roots = await dataRoots(host, start, config, daemonJsonPath, evidence);
  evidence.dataRoots = roots;
  // Node prep accepts the temp disk at either place on any distribution. Under the node agent's
  // default (or either, when that is unknown) the data root is on the temp disk; under the other
  // place only if the image mounts the disk there.
  const def = nodeAgentDefaultMount(settings, await osRelease(host));
  evidence.nodeAgentDefault = def ? `${def.path} (${def.why})` : 'unknown: the distribution is unknown and no pool says';
  // Deepest first, so that a data root under /mnt/resource is named as there, not under /mnt.
  const places = [...RESOURCE_MOUNTS].sort((a, b) => b.length - a.length);
  const placeOf = (r: DataRoot, among: readonly string[]) => among.find((m) => under(r.path, m) || under(r.resolved, m));
  const certain = def ? [def.path] : places;
  const onTemp = roots.find((r) => placeOf(r, certain)) ?? roots.find((r) => placeOf(r, places));
  let bootNote: string;
  // Keeping Docker off at boot is Batch Shipyard's rule (its node prep starts Docker); plain Batch pools need it on (docker.autostart).
  if (onTemp && settings.target === 'batch') {
    bootNote = `the data root ${onTemp.path} is on the resource disk ${placeOf(onTemp, places)}; with target batch Docker must start at boot all the same (docker.autostart)`;
  } else if (onTemp) {
    let units;
    try {
      units = await Promise.all(['docker.service', 'docker.socket'].map((u) => unitFile(host, u)));
    } catch (err) {
      return { result: unreadable(err) };
    }
    evidence.units = Object.fromEntries(units.map((u) => [u.unit, u.state]));
    const enabled = units.filter((u) => u.state === 'enabled');
    const sure = placeOf(onTemp, certain) !== undefined;
    const place = placeOf(onTemp, places)!;
    const where = `the data root ${onTemp.path}${onTemp.resolved !== onTemp.path ? ` (-> ${onTemp.resolved})` : ''} from ${onTemp.source} is on the resource disk ${place}${sure ? '' : ` if the image mounts the temp disk there (node prep accepts it; ${def!.why} is ${def!.path})`}`;
    if (enabled.length > 0) {
      evidence.enabledBy = enabled.flatMap((u) => u.enabledBy);
      const message = `${where}, and ${enabled.map((u) => u.unit).join(' and ')} ${enabled.length > 1 ? 'are' : 'is'} enabled at boot: Docker may start before the temp disk is mounted and write its data under the bare mount point (Batch Shipyard starts Docker itself once the disk is up)`;
      const fix = `systemctl disable ${enabled.map((u) => u.unit).join(' ')}`;
      problems.push(sure ? finding.fail(message, fix) : finding.warn(message, fix));
    }
    bootNote = `${where}; docker.service and docker.socket are not enabled at boot`;
  } else {
    bootNote = `the data root (${roots.map((r) => r.path).join(', ')}) is not on the resource disk (${RESOURCE_MOUNTS.join(' or ')}), so starting Docker at boot is safe`;
  }
  if (!host.live) bootNote += " (the running daemon's data root was not asked: not a live host)";
  else if (evidence.daemonInfo) bootNote += ` (the running daemon's data root is not known: ${evidence.daemonInfo})`;
  return { problems, note: bootNote };
}

export const dockerBoot: Check = {
  id: 'docker.boot',
  title: 'Docker start at boot and daemon configuration',
  area: 'docker',
  features: ['docker'],
  // Without Docker installed there is no boot-time race to judge.
  dependsOn: ['docker.engine'],
  live: false,
  description:
    "When Docker's data root (data-root, or the legacy graph, in /etc/docker/daemon.json; --data-root in docker.service; the running " +
    "daemon's DockerRootDir) is on the resource (temp) disk, docker.service and docker.socket must not be enabled at boot: at boot the " +
    'temp disk may not be mounted yet when Docker starts, so Docker would create its data under the empty mount point and later lose it. ' +
    "The temp disk is at the node agent's default (Ubuntu /mnt, others /mnt/resource; either when unknown); a data root under the other place " +
    'node prep accepts only warns, since the image may not mount the disk there. ' +
    'Batch Shipyard starts Docker itself once the disk is up. Also checks that dockerd would start at all: daemon.json must be valid JSON ' +
    '(no comments, no trailing commas), and `hosts` must not be set both in daemon.json and with -H/--host in ExecStart (drop-ins included), ' +
    'which dockerd refuses; no other directive may be set both ways either, and every daemon.json key must be one dockerd knows (moby ' +
    'daemon/config/config.go findConfigurationConflicts; the keys of each release line from 19.03 to 29.7, read from moby\'s sources, are in ' +
    'src/data/dockerd-options.ts). On a live host with Docker 23 or later, `dockerd --validate --config-file` judges the file as well. ' +
    'The boot rule belongs to --target shipyard: under --target batch it does not apply (docker.autostart checks the opposite).',
  consequence:
    'fail: with Docker\'s data root on the temp disk the guide requires Docker not to start at boot (it races the disk mount and can write under the bare mount point; node prep starts it once the disk is up); a daemon.json dockerd cannot parse, a missing EnvironmentFile, a directive given both as a flag and in daemon.json, or a daemon.json key the engine does not know keep dockerd from starting, so node prep\'s `docker version` stops it. warn: a data root under the other temp disk place node prep accepts, an empty daemon.json or one with a byte order mark (dockerd 20.10 refuses it, newer releases may not), a daemon.json key that no release from 19.03 to 29.7 knows when the engine\'s own release line is not known.',
  fix: 'With the data root on the temp disk: systemctl disable docker.service docker.socket. Fix daemon.json syntax at the reported line; set the listening sockets either in daemon.json or with -H in docker.service, not both.',
  byTarget: {
    batch: {
      description:
        'Checks that dockerd would start at all: daemon.json must be valid JSON (no comments, no trailing commas), no directive may be given both in ' +
        'daemon.json and as a flag in ExecStart (drop-ins included), and every daemon.json key must be one dockerd knows (moby daemon/config/config.go ' +
        "findConfigurationConflicts; the keys of each release line from 19.03 to 29.7 are in src/data/dockerd-options.ts). On a live host with Docker 23 " +
        'or later, `dockerd --validate --config-file` judges the file as well. A data root on the temp disk is noted, not judged: on a plain Batch pool ' +
        'Docker must start at boot all the same (docker.autostart).',
      consequence:
        "fail: a daemon.json dockerd cannot parse, a missing EnvironmentFile, a directive given both as a flag and in daemon.json, or a key the engine does not know keep dockerd from starting, so no container task can run.",
      fix: 'Fix daemon.json at the reported line; set each directive either in daemon.json or as a flag in docker.service, not both; remove keys this engine does not know.',
    },
  },
  async run({ host, settings }) {
    let start: DockerServiceStart;
    try {
      start = await dockerServiceStart(host);
    } catch (err) {
      return unreadable(err);
    }
    const dj = await daemonJson(host);
    const evidence: Record<string, unknown> = { resourceMounts: [...RESOURCE_MOUNTS], daemonJson: dj.path, daemonJsonState: dj.state };
    if (start.execStart.length) evidence.execStart = start.execStart.map((e) => `${e.file}:${e.line}: ${e.value}`);
    if (start.dropIns.length) evidence.dropIns = start.dropIns;
    if (start.environmentFiles.length) evidence.environmentFiles = start.environmentFiles;
    if (dj.state === 'unreadable') return error(`could not read ${dj.path}: ${dj.reason}`, evidence);

    const config = dj.state === 'ok' ? dj.config : null;
    const problems = startProblems(start, dj, config, evidence);
    if (config) problems.push(...(await directiveProblems(host, start, dj.path, config, evidence)));
    const boot = await bootProblems(host, settings, start, config, dj.path, evidence);
    if ('result' in boot) return boot.result;
    problems.push(...boot.problems);

    if (problems.length > 0) return { findings: problems, evidence };
    if (dj.state === 'ok' && dj.quirks.length > 0) {
      const what = dj.quirks.includes('empty') ? 'is empty' : 'starts with a UTF-8 byte order mark';
      return warn(
        `${dj.path} ${what}: dockerd 20.10 refuses to start with it (newer releases may accept it); ${boot.note}`,
        dj.quirks.includes('empty') ? `Write {} into ${dj.path}, or remove the file` : `Save ${dj.path} as UTF-8 without a byte order mark`,
        evidence,
      );
    }
    return pass(boot.note, evidence);
  },
};
