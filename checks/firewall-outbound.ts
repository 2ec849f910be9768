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
  fix: 'Remove or narrow the firewall rule or OUTPUT policy that drops outgoing TCP 443, and persist the change.',
  async run({ host, settings }) {
    const [probe, os] = await Promise.all([firewallRules(host), osRelease(host)]);
    // The registries a --batch-pool names are only named here: nothing contacts them.
    const registries = settings.registries?.map((r) => r.name).join(', ');
    const answers = answerPorts(probe, 'out', [{ port: 443, why: `HTTPS to Azure Storage, Batch and registries${registries ? ` (the pool's: ${registries})` : ''}` }]);
    return portResult(probe, answers, os.family, 'out');
  },
};
