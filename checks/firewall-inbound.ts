import type { Check } from '../src/types';
import { osRelease } from '../src/probes/os-release';
import { firewallRules } from '../src/probes/firewall';
import { answerPorts, portResult, type PortQuestion } from '../src/firewall-port-check';

const SIMPLIFIED = 'simplified node communication needs no inbound Batch ports (only outbound 443)';

export const firewallInbound: Check = {
  id: 'firewall.inbound',
  title: 'Host firewall lets Batch inbound ports through',
  area: 'network',
  features: [],
  dependsOn: [],
  live: false,
  description:
    'With classic node communication the Azure Batch service reaches each node on TCP 29876 and 29877; SSH needs TCP 22. ' +
    'Evaluates the host firewalls for a new inbound IPv4 TCP connection from an arbitrary source: on a live host the kernel ' +
    'rule sets (iptables-nft-save / iptables-save, iptables-legacy-save, `nft -j list ruleset`, which also hold what ufw and ' +
    'firewalld loaded), following jumps, returns, policies, port lists and ranges, and connection-state matches. Offline or in ' +
    'a container it reads what the image loads at boot: ufw files, saved iptables rule files with their service enabled, and ' +
    "firewalld's default zone. A port open only to some sources or interfaces warns. With simplified node communication, " +
    'closed Batch ports are fine.',
  fix: 'Open TCP 29876-29877 (and 22 for SSH) in the host firewall: `firewall-cmd --permanent --add-port=29876-29877/tcp`, `ufw allow 29876:29877/tcp`, or an iptables/nft accept rule saved to load at boot.',
  async run({ host, features, settings }) {
    const batch = settings.nodeCommunication === 'simplified' ? SIMPLIFIED : undefined;
    const questions: PortQuestion[] = [
      { port: 29876, why: 'Batch node communication', closedIsFine: batch },
      { port: 29877, why: 'Batch node communication', closedIsFine: batch },
    ];
    if (features.has('ssh')) questions.push({ port: 22, why: 'SSH' });
    const [probe, os] = await Promise.all([firewallRules(host), osRelease(host)]);
    const answers = answerPorts(probe, 'in', questions);
    return portResult(probe, answers, os.family, 'in');
  },
};
