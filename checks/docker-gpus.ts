import path from 'node:path';
import type { Check, CheckResult, Evidence, Target } from '../src/types';
import { error, fail, pass, unreadable } from '../src/check-helpers';
import type { Host } from '../src/host/host';
import { osRelease } from '../src/probes/os-release';
import { DOCKER_MIN, dockerEngineVersion, type VersionProbe } from '../src/probes/docker-version';
import { dockerApi } from '../src/probes/docker-engine';
import { daemonJson } from '../src/probes/docker-daemon-json';
import { compareDockerVersion, type DockerVersion } from '../src/parsers/docker-version';
import { forFamily, installDocker } from '../src/remediation';
import type { DistroFamily } from '../src/parsers/os-release';

// dockerd serves `--gpus` with a device driver it registers at start-up only when it finds, by
// exec.LookPath on its own PATH, `nvidia-container-runtime-hook` (moby daemon/nvidia_linux.go up
// to 28.x, daemon/devices_nvidia_linux.go since). Docker 29.2.0 added a second way: with
// `nvidia-cdi-hook` on PATH, a `--gpus` request becomes a CDI request for nvidia.com/gpu devices
// (moby commit 86f122af27 "Map nvidia --gpus request to CDI device requests", first in the tag
// docker-v29.2.0). Neither an `nvidia` runtime in daemon.json nor a CDI spec alone serves `--gpus`.
const HOOK = 'nvidia-container-runtime-hook';
const CDI_HOOK = 'nvidia-cdi-hook';
const CLI = 'nvidia-container-cli';
export const GPUS_VIA_CDI = { major: 29, minor: 2, text: '29.2.0' } as const;
/** The CDI library's default spec directories (tags.cncf.io/container-device-interface DefaultSpecDirs). */
const CDI_DIRS = ['/etc/cdi', '/var/run/cdi'];
/** The CDI device kind a `--gpus` request maps to (cdiDeviceInjector.defaultCDIDeviceKind). */
const GPU_KIND = 'nvidia.com/gpu';

const objectKeys = (v: unknown): string[] => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : []);
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** CDI specs that describe nvidia.com/gpu devices (as `nvidia-ctk cdi generate` writes them). */
async function nvidiaCdiSpecs(host: Host, dirs: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const dir of dirs) {
    for (const name of await host.fs.listIfExists(dir)) {
      // The CDI library loads only these two suffixes: a .yml file is never a spec.
      if (!/\.(yaml|json)$/.test(name)) continue;
      const file = path.posix.join(dir, name);
      // The CDI library skips folders, whatever their name; a folder is not a broken spec.
      if ((await host.fs.statIfExists(file))?.kind === 'directory') continue;
      const text = await host.fs.readTextIfExists(file, 4 * 1024 * 1024);
      if (text !== null && text.includes(GPU_KIND)) found.push(file);
    }
  }
  return found;
}

function toolkitFix(family: DistroFamily): string {
  return forFamily(family, {
    debian: "add NVIDIA's repository (https://nvidia.github.io/libnvidia-container), then: apt-get update && apt-get install -y nvidia-container-toolkit && systemctl restart docker.service",
    rhel: "add NVIDIA's repository (https://nvidia.github.io/libnvidia-container/stable/rpm/nvidia-container-toolkit.repo), then: dnf install -y nvidia-container-toolkit && systemctl restart docker.service",
    suse: "add NVIDIA's repository, then: zypper --non-interactive install nvidia-container-toolkit && systemctl restart docker.service",
    default: "install nvidia-container-toolkit from NVIDIA's repository, then: systemctl restart docker.service",
  });
}

/** The Docker Engine's version, when it has `--gpus`. */
function engineWithGpus(engine: VersionProbe, family: DistroFamily, evidence: Evidence): { version: DockerVersion } | { result: CheckResult } {
  if (!engine.ok) {
    evidence.engine = { failure: engine.kind, reason: engine.reason };
    if (engine.kind === 'unknown') return { result: error(`could not tell the Docker Engine version: ${engine.reason}`, evidence) };
    return { result: fail(`GPU containers need Docker ${DOCKER_MIN.text} or newer, and ${engine.reason}`, installDocker(family), evidence) };
  }
  evidence.engine = { version: engine.version.raw, source: engine.source };
  if (compareDockerVersion(engine.version, DOCKER_MIN.major, DOCKER_MIN.minor) < 0) {
    return { result: fail(`Docker Engine ${engine.version.raw} has no --gpus support (${DOCKER_MIN.text} or newer needed)`, `Upgrade Docker: ${installDocker(family)}`, evidence) };
  }
  return { version: engine.version };
}

/** What serves `--runtime=nvidia` or `--device nvidia.com/gpu=...` but not `--gpus`: said in a failure, so the admin sees why it is not enough. */
async function otherWays(host: Host, specs: readonly string[], evidence: Evidence): Promise<string[]> {
  const other: string[] = [];
  if (host.live) {
    const info = await dockerApi(host, '/info');
    if (info.ok) {
      const runtimes = objectKeys((info.json as Record<string, unknown> | null)?.Runtimes);
      evidence.daemonRuntimes = runtimes;
      if (runtimes.includes('nvidia')) other.push('the running daemon has an nvidia runtime (serves --runtime=nvidia, not --gpus)');
    }
  }
  const dj = await daemonJson(host);
  if (dj.state === 'ok') {
    const runtimes = objectKeys(dj.config.runtimes);
    evidence.daemonJsonRuntimes = runtimes;
    if (runtimes.includes('nvidia')) other.push(`${dj.path} registers an nvidia runtime (serves --runtime=nvidia, not --gpus)`);
  }
  if (specs.length > 0) other.push(`CDI spec ${specs.join(', ')} (serves --device ${GPU_KIND}=all; --gpus uses it only from Docker ${GPUS_VIA_CDI.text} with ${CDI_HOOK} on PATH)`);
  return other;
}

/** The CDI spec directories dockerd reads, and whether CDI is on, from daemon.json; null when daemon.json could not be read. */
async function cdiSettings(host: Host): Promise<{ dirs: string[]; enabled: boolean } | { reason: string }> {
  const dj = await daemonJson(host);
  if (dj.state === 'invalid' || dj.state === 'unreadable') return { reason: `${dj.path} could not be read (${dj.reason})` };
  const config = dj.state === 'ok' ? dj.config : {};
  // CDI is on unless "features": {"cdi": false} (moby daemon/command/daemon.go cdiEnabled).
  const enabled = !(isRecord(config.features) && config.features.cdi === false);
  const dirs = Array.isArray(config['cdi-spec-dirs']) ? config['cdi-spec-dirs'].filter((d): d is string => typeof d === 'string' && d !== '') : CDI_DIRS;
  return { dirs, enabled };
}

/** nvidia-container-cli: the runtime hook runs it, and Batch Shipyard's node prep requires it on PATH. */
function cliMissing(target: Target, family: DistroFamily, route: string, evidence: Evidence): CheckResult {
  const why = target === 'shipyard' ? "Batch Shipyard's node preparation requires it on PATH" : `${HOOK} runs it to set up every GPU container`;
  return fail(
    `${route}, but ${CLI} is not on PATH, and ${why}`,
    forFamily(family, { debian: 'apt-get install -y libnvidia-container-tools nvidia-container-toolkit', default: 'dnf install -y libnvidia-container-tools nvidia-container-toolkit' }),
    evidence,
  );
}

export const dockerGpus: Check = {
  id: 'docker.gpus',
  title: 'Docker can run GPU containers (--gpus)',
  area: 'docker',
  features: ['gpu'],
  dependsOn: ['docker.version'],
  live: false,
  description:
    `GPU tasks run as \`docker run --gpus ...\` (Batch Shipyard adds --gpus=all to every GPU task). dockerd serves --gpus only when, at start-up, it finds ` +
    `\`${HOOK}\` on its PATH (moby daemon/nvidia_linux.go; the package nvidia-container-toolkit ships it, nvidia-container-toolkit-base does not), ` +
    `or, from Docker ${GPUS_VIA_CDI.text} on, \`${CDI_HOOK}\` on its PATH and a CDI spec for ${GPU_KIND} devices in /etc/cdi or /var/run/cdi (or the ` +
    'daemon.json "cdi-spec-dirs") with CDI not turned off. An `nvidia` runtime in daemon.json serves only --runtime=nvidia, and a CDI spec alone serves only ' +
    `--device ${GPU_KIND}=...: neither makes --gpus work. The hook runs \`${CLI}\`, which Batch Shipyard's node preparation also requires on PATH. ` +
    `Needs Docker Engine ${DOCKER_MIN.text} or newer. PATH is the systemd default for services, which is where dockerd looks.`,
  consequence:
    `fail: without ${HOOK} on dockerd's PATH (or, from Docker ${GPUS_VIA_CDI.text}, ${CDI_HOOK} and an NVIDIA CDI spec) every \`docker run --gpus\` fails with 'could not select device driver "" with capabilities: [[gpu]]', so GPU tasks cannot start; on Batch Shipyard pools node prep also stops when ${CLI} is missing (set -e).`,
  fix: `Install nvidia-container-toolkit (not only nvidia-container-toolkit-base) from NVIDIA's repository, so that ${HOOK} and ${CLI} are in /usr/bin, then restart dockerd (it looks for the hook only when it starts): systemctl restart docker.service.`,
  byTarget: {
    batch: {
      description:
        `GPU container tasks run as \`docker run --gpus ...\`. dockerd serves --gpus only when, at start-up, it finds \`${HOOK}\` on its PATH (moby ` +
        `daemon/nvidia_linux.go; the package nvidia-container-toolkit ships it, nvidia-container-toolkit-base does not), or, from Docker ${GPUS_VIA_CDI.text} on, ` +
        `\`${CDI_HOOK}\` on its PATH and a CDI spec for ${GPU_KIND} devices in /etc/cdi or /var/run/cdi (or the daemon.json "cdi-spec-dirs") with CDI not ` +
        `turned off. An \`nvidia\` runtime in daemon.json serves only --runtime=nvidia, and a CDI spec alone serves only --device ${GPU_KIND}=...: neither makes ` +
        `--gpus work. The hook runs \`${CLI}\`, which must be on PATH too. Needs Docker Engine ${DOCKER_MIN.text} or newer. PATH is the systemd default for ` +
        'services, which is where dockerd looks.',
      consequence: `fail: without ${HOOK} on dockerd's PATH (or, from Docker ${GPUS_VIA_CDI.text}, ${CDI_HOOK} and an NVIDIA CDI spec) every \`docker run --gpus\` fails with 'could not select device driver "" with capabilities: [[gpu]]', so GPU container tasks cannot start.`,
    },
  },
  async run({ host, settings }) {
    const os = await osRelease(host);
    const evidence: Evidence = {};
    const engine = engineWithGpus(await dockerEngineVersion(host), os.family, evidence);
    if ('result' in engine) return engine.result;
    const [hook, cdiHook, cli] = await Promise.all([HOOK, CDI_HOOK, CLI].map((t) => host.which(t)));
    evidence.toolkit = { [HOOK]: hook, [CDI_HOOK]: cdiHook, [CLI]: cli };

    const cdi = await cdiSettings(host);
    let specs: string[] = [];
    try {
      specs = 'dirs' in cdi && cdi.enabled ? await nvidiaCdiSpecs(host, cdi.dirs) : [];
    } catch (err) {
      return unreadable(err);
    }
    if (specs.length > 0) evidence.cdiSpecs = specs;
    const cdiEngine = compareDockerVersion(engine.version, GPUS_VIA_CDI.major, GPUS_VIA_CDI.minor) >= 0;
    const docker = `Docker ${engine.version.raw}`;

    if (hook) {
      if (!cli) return cliMissing(settings.target, os.family, `${docker} can serve --gpus through ${hook}`, evidence);
      return pass(`${docker} serves --gpus through ${hook} (with ${cli})`, evidence);
    }
    if (cdiEngine && cdiHook && specs.length > 0) {
      if (!cli && settings.target === 'shipyard') return cliMissing(settings.target, os.family, `${docker} serves --gpus through CDI (${cdiHook}, ${specs.join(', ')})`, evidence);
      return pass(`${docker} serves --gpus through CDI: ${cdiHook} is on PATH and ${specs.join(', ')} describes ${GPU_KIND} devices`, evidence);
    }
    if (cdiEngine && cdiHook && 'reason' in cdi) return error(`${docker} could serve --gpus through CDI, but ${cdi.reason}`, evidence);

    const other = await otherWays(host, specs, evidence);
    const cdiNote = cdiEngine
      ? cdiHook
        ? `; ${cdiHook} is on PATH but ${'enabled' in cdi && !cdi.enabled ? 'CDI is turned off in daemon.json ("features": {"cdi": false})' : `no CDI spec describes ${GPU_KIND} devices (nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml)`}`
        : `, nor is ${CDI_HOOK} (this engine's other way, with a CDI spec)`
      : '';
    return fail(
      `${docker} cannot serve --gpus: ${HOOK} (package nvidia-container-toolkit) is not on dockerd's PATH${cdiNote}${other.length > 0 ? `; found only: ${other.join('; ')}` : ''}`,
      toolkitFix(os.family),
      evidence,
    );
  },
};
