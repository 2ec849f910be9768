import path from 'node:path';
import type { Check, CheckResult, Evidence } from '../src/types';
import { error, fail, pass, unreadable } from '../src/check-helpers';
import type { Host } from '../src/host/host';
import { osRelease } from '../src/probes/os-release';
import { DOCKER_MIN, dockerEngineVersion, type VersionProbe } from '../src/probes/docker-version';
import { dockerApi } from '../src/probes/docker-engine';
import { daemonJson } from '../src/probes/docker-daemon-json';
import { compareDockerVersion } from '../src/parsers/docker-version';
import { forFamily, installDocker } from '../src/remediation';
import type { DistroFamily } from '../src/parsers/os-release';

const TOOLKIT = ['nvidia-container-cli', 'nvidia-container-runtime-hook', 'nvidia-ctk'];
const CDI_DIRS = ['/etc/cdi', '/var/run/cdi'];

const objectKeys = (v: unknown): string[] => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : []);

/** CDI specs that describe NVIDIA devices (as `nvidia-ctk cdi generate` writes them). */
async function nvidiaCdiSpecs(host: Host): Promise<string[]> {
  const found: string[] = [];
  for (const dir of CDI_DIRS) {
    for (const name of await host.fs.listIfExists(dir)) {
      // The CDI library loads only these two suffixes: a .yml file is never a spec.
      if (!/\.(yaml|json)$/.test(name)) continue;
      const file = path.posix.join(dir, name);
      // The CDI library skips folders, whatever their name; a folder is not a broken spec.
      if ((await host.fs.statIfExists(file))?.kind === 'directory') continue;
      const text = await host.fs.readTextIfExists(file, 4 * 1024 * 1024);
      if (text !== null && text.includes('nvidia.com/')) found.push(file);
    }
  }
  return found;
}

function toolkitFix(family: DistroFamily): string {
  return forFamily(family, {
    debian: "add NVIDIA's repository (https://nvidia.github.io/libnvidia-container), then: apt-get update && apt-get install -y nvidia-container-toolkit && nvidia-ctk runtime configure --runtime=docker",
    rhel: "add NVIDIA's repository (https://nvidia.github.io/libnvidia-container/stable/rpm/nvidia-container-toolkit.repo), then: dnf install -y nvidia-container-toolkit && nvidia-ctk runtime configure --runtime=docker",
    suse: "add NVIDIA's repository, then: zypper --non-interactive install nvidia-container-toolkit && nvidia-ctk runtime configure --runtime=docker",
    default: 'install nvidia-container-toolkit from NVIDIA\'s repository, then: nvidia-ctk runtime configure --runtime=docker',
  });
}

/** The Docker Engine's version, when it has `--gpus`. */
function engineWithGpus(engine: VersionProbe, family: DistroFamily, evidence: Evidence): { version: string } | { result: CheckResult } {
  if (!engine.ok) {
    evidence.engine = { failure: engine.kind, reason: engine.reason };
    if (engine.kind === 'unknown') return { result: error(`could not tell the Docker Engine version: ${engine.reason}`, evidence) };
    return { result: fail(`GPU containers need Docker ${DOCKER_MIN.text} or newer, and ${engine.reason}`, installDocker(family), evidence) };
  }
  evidence.engine = { version: engine.version.raw, source: engine.source };
  if (compareDockerVersion(engine.version, DOCKER_MIN.major, DOCKER_MIN.minor) < 0) {
    return { result: fail(`Docker Engine ${engine.version.raw} has no --gpus support (${DOCKER_MIN.text} or newer needed)`, `Upgrade Docker: ${installDocker(family)}`, evidence) };
  }
  return { version: engine.version.raw };
}

/** The toolkit's programs on PATH, with nvidia-container-cli among them (node prep requires it). */
async function installedToolkit(host: Host, family: DistroFamily, evidence: Evidence): Promise<{ tools: Record<string, string | null>; present: string[] } | { result: CheckResult }> {
  const tools = Object.fromEntries(await Promise.all(TOOLKIT.map(async (t) => [t, await host.which(t)] as const)));
  evidence.toolkit = tools;
  const present = TOOLKIT.filter((t) => tools[t]);
  if (present.length === 0) return { result: fail('the NVIDIA container toolkit is not installed (no nvidia-container-cli, nvidia-container-runtime-hook or nvidia-ctk)', toolkitFix(family), evidence) };
  if (!tools['nvidia-container-cli']) {
    return {
      result: fail(
        `the NVIDIA container toolkit is partly installed (${present.join(', ')}), but nvidia-container-cli is not on PATH, and Batch Shipyard's node preparation requires it`,
        forFamily(family, { debian: 'apt-get install -y libnvidia-container-tools', default: 'dnf install -y libnvidia-container-tools' }),
        evidence,
      ),
    };
  }
  return { tools, present };
}

/**
 * How Docker can reach the GPUs: an nvidia runtime (running daemon or daemon.json), an NVIDIA CDI spec,
 * or the runtime hook `--gpus` calls; `notes` say what could not be read.
 */
async function waysToTheGpus(host: Host, tools: Record<string, string | null>, evidence: Evidence): Promise<{ ways: string[]; notes: string[] } | { result: CheckResult }> {
  const ways: string[] = [];
  const notes: string[] = [];
  if (host.live) {
    const info = await dockerApi(host, '/info');
    if (info.ok) {
      const runtimes = objectKeys((info.json as Record<string, unknown> | null)?.Runtimes);
      evidence.daemonRuntimes = runtimes;
      if (runtimes.includes('nvidia')) ways.push('the running daemon has an nvidia runtime');
    } else {
      notes.push(`the daemon's runtimes were not read (${info.detail})`);
    }
  }
  const dj = await daemonJson(host);
  if (dj.state === 'ok') {
    const runtimes = objectKeys(dj.config.runtimes);
    evidence.daemonJsonRuntimes = runtimes;
    if (runtimes.includes('nvidia')) ways.push(`${dj.path} registers an nvidia runtime`);
  } else if (dj.state === 'invalid' || dj.state === 'unreadable') {
    notes.push(`${dj.path} could not be read (${dj.reason})`);
  }
  let specs: string[];
  try {
    specs = await nvidiaCdiSpecs(host);
  } catch (err) {
    return { result: unreadable(err) };
  }
  if (specs.length) {
    evidence.cdiSpecs = specs;
    ways.push(`CDI spec ${specs.join(', ')}`);
  }
  if (tools['nvidia-container-runtime-hook']) ways.push(`--gpus can call ${tools['nvidia-container-runtime-hook']}`);
  return { ways, notes };
}

export const dockerGpus: Check = {
  id: 'docker.gpus',
  title: 'Docker can run GPU containers',
  area: 'docker',
  features: ['gpu'],
  dependsOn: ['docker.version'],
  live: false,
  description:
    `GPU pools run containers with the NVIDIA GPUs passed in, which needs Docker Engine ${DOCKER_MIN.text} or newer (\`--gpus\`) and the NVIDIA container ` +
    "toolkit. Batch Shipyard's node preparation requires `nvidia-container-cli` on PATH. Docker must also have a way to reach the GPUs: " +
    'an `nvidia` runtime (in the running daemon\'s /info or in daemon.json "runtimes"), a CDI spec for NVIDIA devices in /etc/cdi or ' +
    '/var/run/cdi, or `nvidia-container-runtime-hook`, which `--gpus` calls.',
  consequence:
    'fail: on GPU nodes node prep requires nvidia-container-cli on PATH (set -e), and GPU containers need Docker 19.03 or newer with a way to reach the GPUs (nvidia runtime, CDI spec or the runtime hook); without them node prep stops or GPU tasks cannot start.',
  fix: 'Install the NVIDIA container toolkit (nvidia-container-toolkit from NVIDIA\'s repository) and register it with Docker: nvidia-ctk runtime configure --runtime=docker && systemctl restart docker.',
  async run({ host }) {
    const os = await osRelease(host);
    const evidence: Evidence = {};
    const engine = engineWithGpus(await dockerEngineVersion(host), os.family, evidence);
    if ('result' in engine) return engine.result;
    const toolkit = await installedToolkit(host, os.family, evidence);
    if ('result' in toolkit) return toolkit.result;
    const reach = await waysToTheGpus(host, toolkit.tools, evidence);
    if ('result' in reach) return reach.result;

    const { ways, notes } = reach;
    const extra = notes.length ? ` (${notes.join('; ')})` : '';
    if (ways.length === 0) {
      if (notes.length) return error(`nvidia-container-cli is installed, but no way for Docker to reach the GPUs was found and not everything could be read${extra}`, evidence);
      return fail(
        'nvidia-container-cli is installed, but Docker has no way to reach the GPUs: no nvidia runtime, no NVIDIA CDI spec in /etc/cdi or /var/run/cdi, no nvidia-container-runtime-hook',
        `nvidia-ctk runtime configure --runtime=docker && systemctl restart docker.service (or: ${toolkitFix(os.family)})`,
        evidence,
      );
    }
    return pass(`Docker ${engine.version} with the NVIDIA container toolkit (${toolkit.present.join(', ')}); ${ways.join('; ')}${extra}`, evidence);
  },
};
