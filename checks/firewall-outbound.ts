import type { Check } from '../src/types';
import { osRelease } from '../src/probes/os-release';
import { firewallRules } from '../src/probes/firewall';
import { answerPorts, portResult } from '../src/firewall-port-check';

export const firewallOutbound: Check = {
  id: 'firewall.outbound',
  title: 'Host firewall lets outbound HTTPS through',
  area: 'network',
  features: [],
  dependsOn: [],
  live: false,
  description:
    'Nodes reach Azure Storage, the Batch service (simplified node communication) and container registries over TCP 443. ' +
    'Evaluates the host firewalls (the same rule sets as firewall.inbound, on the output hooks) for a new outbound IPv4 TCP ' +
    'connection to port 443 and fails when a rule or policy drops it.',
  consequence:
    'fail: node prep pulls images from mcr.microsoft.com and downloads packages over TCP 443, and the node agent (simplified node communication) calls the Batch service on 443; a host firewall that drops outbound 443 stops node prep or keeps the node from reporting.',
  fix: 'Remove or narrow the firewall rule or OUTPUT policy that drops outgoing TCP 443, and persist the change.',
  byTarget: {
    batch: {
      consequence:
        'fail: the node agent (simplified node communication) calls the Batch service on TCP 443, and the node reaches Azure Storage (resource files, application ' +
        'packages) and container registries over it; a host firewall that drops outbound 443 keeps the node from reporting or its tasks from starting.',
    },
  },
  async run({ host, settings }) {
    const [probe, os] = await Promise.all([firewallRules(host), osRelease(host)]);
    // The registries a --batch-pool names are only named here: nothing contacts them.
    const registries = settings.registries?.map((r) => r.name).join(', ');
    const answers = answerPorts(probe, 'out', [{ port: 443, why: `HTTPS to Azure Storage, Batch and registries${registries ? ` (the pool's: ${registries})` : ''}` }]);
    return portResult(probe, answers, os.family, 'out');
  },
};
