import type { Check } from '../src/types';
import { fail, pass, unreadable } from '../src/check-helpers';
import { unitFile } from '../src/probes/unit-files';

const CONTAINER_DOCS = 'https://learn.microsoft.com/azure/batch/batch-docker-container-workloads';

export const dockerAutostart: Check = {
  id: 'docker.autostart',
  title: 'Docker starts at boot (plain Batch container pools)',
  area: 'docker',
  features: ['docker'],
  targets: ['batch'],
  dependsOn: ['docker.engine'],
  live: false,
  description:
    'A plain Azure Batch pool with a containerConfiguration runs its tasks in containers through a Docker-compatible engine that the image ' +
    `provides: Batch's container documentation (${CONTAINER_DOCS}) says its own container images come with a pre-installed Moby runtime, that ` +
    'custom images must install Docker themselves, and that the images listed in containerImageNames are pulled onto each node when the pool ' +
    'is created, before tasks run; its own container images keep Docker\'s data root on the temporary disk (/mnt/batch/docker) and still ' +
    'start Docker at boot. Nothing but the image starts Docker on such a node, ' +
    'so docker.service or docker.socket must be enabled at boot. Checks the units as `systemctl is-enabled` would, from the unit files.',
  consequence:
    "fail: the node agent finds no Docker daemon to pull the pool's containerImageNames and run container tasks with; with waitForSuccess the node goes to starttaskfailed (Batch rule: the image provides the Docker-compatible runtime)",
  fix: 'systemctl enable docker.service (or docker.socket) in the image.',
  async run({ host }) {
    let units;
    try {
      units = await Promise.all(['docker.service', 'docker.socket'].map((u) => unitFile(host, u)));
    } catch (err) {
      return unreadable(err);
    }
    const evidence = { units: Object.fromEntries(units.map((u) => [u.unit, u.state])), docs: CONTAINER_DOCS };
    const enabled = units.filter((u) => u.state === 'enabled');
    if (enabled.length === 0) {
      return fail(
        `neither docker.service nor docker.socket is enabled at boot (${units.map((u) => `${u.unit} ${u.state}`).join(', ')}): nothing starts Docker before Batch pulls the pool's container images`,
        'systemctl enable docker.service',
        evidence,
      );
    }
    return pass(`${enabled.map((u) => u.unit).join(' and ')} ${enabled.length > 1 ? 'are' : 'is'} enabled at boot (${enabled.flatMap((u) => u.enabledBy).join(', ')})`, evidence);
  },
};
