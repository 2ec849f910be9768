import type { Check } from '../src/types';
import { fail, pass, unreadable } from '../src/check-helpers';
import { osRelease } from '../src/probes/os-release';
import { unitFile } from '../src/probes/unit-files';
import { installDocker } from '../src/remediation';

export const dockerEngine: Check = {
  id: 'docker.engine',
  title: 'Docker Engine installed',
  area: 'docker',
  features: ['docker'],
  dependsOn: [],
  live: false,
  description:
    'Batch Shipyard runs every task in a Docker container. Its node preparation starts the engine with `systemctl start docker.service` ' +
    'and then runs `docker version` and `docker info` as root. Checks that the daemon (dockerd) and the CLI (docker) are installed in the ' +
    'default PATH and that a docker.service unit file exists and is not masked.',
  consequence:
    'fail: node prep runs `systemctl start docker.service` and then `docker version` and `docker info` under set -e; without dockerd, the docker CLI or a startable docker.service node prep stops and the node goes to starttaskfailed.',
  fix: 'Install the Docker Engine package for the distribution (docker.io or docker-ce on Ubuntu/Debian, docker-ce or moby-engine on RHEL family, docker on SLES), which brings dockerd, the docker CLI and docker.service.',
  byTarget: {
    batch: {
      description:
        "Plain Azure Batch container pools (containerConfiguration, type dockerCompatible) run their tasks through the image's Docker engine: Batch's " +
        "container docs say custom images must provide it, and the node agent uses it to pull the pool's containerImageNames and run container tasks. " +
        'Checks that the daemon (dockerd) and the CLI (docker) are installed in the ' +
        'default PATH and that a docker.service unit file exists and is not masked.',
      consequence: 'fail: without dockerd, the docker CLI or a startable docker.service the node agent has no engine to pull images and run container tasks with: every container task fails.',
    },
  },
  async run({ host }) {
    const os = await osRelease(host);
    const [dockerd, docker] = await Promise.all([host.which('dockerd'), host.which('docker')]);
    let unit;
    try {
      unit = await unitFile(host, 'docker.service');
    } catch (err) {
      return unreadable(err);
    }
    const evidence = { dockerd, docker, unit: unit.state, unitFile: unit.file ?? null };
    const missing = [!dockerd && 'the daemon (dockerd)', !docker && 'the CLI (docker)'].filter(Boolean);
    if (missing.length === 2) return fail('Docker is not installed: neither dockerd nor docker is in the default PATH', installDocker(os.family), evidence);
    if (missing.length === 1) {
      return fail(`Docker is only partly installed: ${missing[0]} is missing from the default PATH`, installDocker(os.family), evidence);
    }
    if (unit.state === 'not-found') {
      return fail(
        'dockerd and docker are installed, but there is no docker.service unit file, so `systemctl start docker.service` (which Batch Shipyard runs) fails',
        `Install Docker from the distribution's package, which ships docker.service: ${installDocker(os.family)}`,
        evidence,
      );
    }
    if (unit.state === 'masked') {
      return fail(`docker.service is masked (${unit.file} links to /dev/null), so it cannot be started`, 'systemctl unmask docker.service', evidence);
    }
    return pass(`dockerd (${dockerd}) and docker (${docker}) are installed; docker.service is ${unit.state} (${unit.file})`, evidence);
  },
};
