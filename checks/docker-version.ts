import type { Check } from '../src/types';
import { error, fail, pass, unreadable, warn } from '../src/check-helpers';
import { osRelease } from '../src/probes/os-release';
import { DOCKER_MIN as MIN, dockerClientVersion, dockerEngineVersion } from '../src/probes/docker-version';
import { compareDockerVersion, releaseLine, shortVersion } from '../src/parsers/docker-version';
import { installDocker } from '../src/remediation';

/**
 * Docker 20.10 is the first release that runs containers on the unified cgroup hierarchy (cgroup v2;
 * docker/docs commit b52599b, "v20.10 docs for cgroup v2": "Docker now supports cgroup v2"). The
 * kernel shows that hierarchy by a cgroup.controllers file at the root of /sys/fs/cgroup.
 */
const CGROUP_V2 = { major: 20, minor: 10, text: '20.10', marker: '/sys/fs/cgroup/cgroup.controllers' } as const;

export const dockerVersion: Check = {
  id: 'docker.version',
  title: 'Docker Engine version',
  area: 'docker',
  features: ['docker'],
  dependsOn: ['docker.engine'],
  live: false,
  description:
    `Checks that the Docker Engine is at least ${MIN.text}, the first release with \`--gpus\` and the oldest that current Batch Shipyard images are ` +
    'built for. The version comes from the running daemon (API /version) on a live host, otherwise from `dockerd --version`, otherwise ' +
    '(offline) from the package database (docker-ce, moby-engine, docker.io). It also compares the docker CLI with the engine: a CLI from ' +
    'another release line than the engine (for example an unpinned 19.03 CLI against an 18.09 engine) has broken nodes before. On a running host with ' +
    `cgroup v2 (${CGROUP_V2.marker} exists) the engine must be ${CGROUP_V2.text} or newer, the first release that supports it.`,
  consequence:
    'Node prep never checks the version. fail: an engine older than 20.10 on a cgroup v2 host (containers cannot start), an engine older than 19.03 on a GPU pool (the guide\'s requirement: no --gpus), or an engine or CLI that does not run (node prep\'s `docker version` fails under set -e). warn: an old engine on a pool without GPUs, or a CLI from another release line than the engine (a known cause of broken nodes).',
  fix: `Install Docker Engine ${MIN.text} or newer, with the CLI from the same release (pin both packages to one version).`,
  byTarget: {
    batch: {
      description:
        'Checks that the Docker Engine is at least 19.03, the first release with `--gpus`. The version comes from the running daemon (API /version) on a ' +
        'live host, otherwise from `dockerd --version`, otherwise (offline) from the package database (docker-ce, moby-engine, docker.io). It also compares ' +
        'the docker CLI with the engine (a CLI from another release line than the engine is a known cause of broken nodes). On a running host with cgroup v2 ' +
        '(/sys/fs/cgroup/cgroup.controllers exists) the engine must be 20.10 or newer, the first release that supports it.',
      consequence:
        'fail: an engine older than 20.10 on a cgroup v2 host (containers cannot start), older than 19.03 on a GPU pool (no --gpus), or an engine or CLI that does not run. ' +
        'warn: an old engine on a pool without GPUs, or a CLI from another release line than the engine.',
    },
  },
  async run({ host, features }) {
    const os = await osRelease(host);
    const [engine, client] = await Promise.all([dockerEngineVersion(host), dockerClientVersion(host)]);
    const notes = [...engine.notes];
    const evidence: Record<string, unknown> = {};
    if (!engine.ok) {
      evidence.engine = { failure: engine.kind, reason: engine.reason };
      if (notes.length) evidence.notes = notes;
      if (engine.kind === 'missing') return fail(engine.reason, installDocker(os.family), evidence);
      if (engine.kind === 'broken') return fail(`the Docker Engine is installed but broken: ${engine.reason}`, `Reinstall it: ${installDocker(os.family)}`, evidence);
      return error(`could not tell the Docker Engine version: ${engine.reason}`, evidence);
    }
    const v = engine.version;
    evidence.engine = { version: v.raw, source: engine.source };
    const said = `Docker Engine ${v.raw} (from ${engine.source})`;
    const extra = notes.length ? `; ${notes.join('; ')}` : '';
    if (host.live && compareDockerVersion(v, CGROUP_V2.major, CGROUP_V2.minor) < 0) {
      let unified: boolean;
      try {
        unified = await host.fs.exists(CGROUP_V2.marker);
      } catch (err) {
        return unreadable(err);
      }
      if (unified) {
        evidence.cgroup = `v2 (${CGROUP_V2.marker} exists)`;
        return fail(`${said} predates cgroup v2 support (Docker ${CGROUP_V2.text}), and this host runs cgroup v2: containers cannot start${extra}`, `Upgrade Docker to ${CGROUP_V2.text} or newer: ${installDocker(os.family)}`, evidence);
      }
    }
    if (compareDockerVersion(v, MIN.major, MIN.minor) < 0) {
      // The guide asks for 19.03 for GPU containers (--gpus); node prep itself never checks the version.
      if (features.has('gpu')) return fail(`${said} is older than ${MIN.text}, which GPU containers (--gpus) need${extra}`, `Upgrade Docker: ${installDocker(os.family)}`, evidence);
      return warn(`${said} is older than ${MIN.text}: node prep does not check the version and this pool needs no GPUs, but current Batch Shipyard releases are not built for it${extra}`, `Upgrade Docker: ${installDocker(os.family)}`, evidence);
    }
    if (!client.ok) {
      evidence.client = { failure: client.kind, reason: client.reason };
      if (client.kind === 'broken') return fail(`${said} is recent enough, but the docker CLI is broken: ${client.reason}`, `Reinstall the CLI: ${installDocker(os.family)}`, evidence);
      if (client.kind === 'unknown') return error(`${said} is recent enough, but the docker CLI's version could not be told: ${client.reason}`, evidence);
      return pass(`${said} is ${MIN.text} or newer (CLI version not compared: ${client.reason})${extra}`, evidence);
    }
    evidence.client = { version: client.version.raw, source: client.source };
    if (releaseLine(client.version) !== releaseLine(v)) {
      return warn(
        `the docker CLI ${client.version.raw} (from ${client.source}) is from another release line than ${said}; a CLI and engine from different releases are a known cause of broken nodes${extra}`,
        `Install the CLI of the engine's release (${shortVersion(v)}) and pin both, e.g. apt-mark hold / dnf versionlock; or remove the extra docker binary that shadows the packaged one`,
        evidence,
      );
    }
    return pass(`${said} is ${MIN.text} or newer; the CLI is ${client.version.raw}${extra}`, evidence);
  },
};
