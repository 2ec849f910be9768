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
    'Simplified node communication (the default; Azure retired classic mode on 2026-03-31) needs no inbound port: the node ' +
    'calls out on TCP 443. With --node-communication classic the Batch service also reaches each node on TCP 29876 and 29877. SSH needs TCP 22. ' +
    'Evaluates the host firewalls for a new inbound IPv4 TCP connection from an arbitrary source: on a live host the kernel ' +
    'rule sets (iptables-nft-save / iptables-save, iptables-legacy-save, `nft -j list ruleset`, which also hold what ufw and ' +
    'firewalld loaded), following jumps, returns, policies, port lists and ranges, and connection-state matches. Offline or in ' +
    'a container it reads what the image loads at boot: ufw files, saved iptables rule files with their service enabled, and ' +
    "firewalld's default zone. A port open only to some sources or interfaces warns.",
  fix: 'Open TCP 22 for SSH (and, for a classic-mode pool, TCP 29876-29877) in the host firewall: `firewall-cmd --permanent --add-port=29876-29877/tcp`, `ufw allow 29876:29877/tcp`, or an iptables/nft accept rule saved to load at boot.',
  async run({ host, features, settings }) {
    const batch = settings.nodeCommunication === 'simplified' ? SIMPLIFIED : undefined;
    const questions: PortQuestion[] = [
      { port: 29876, why: 'Batch node communication', closedIsFine: batch },
      { port: 29877, why: 'Batch node communication', closedIsFine: batch },
    ];
    // SSH is the guide's "should" unless the pool uses the host's sshd.
    if (features.has('ssh-access')) questions.push({ port: 22, why: 'SSH (the pool needs it: requirement ssh-access)' });
    else if (features.has('ssh')) questions.push({ port: 22, why: 'SSH', closedWarns: "Batch Shipyard's guide says should be open for SSH (nothing this pool configures needs it)" });
    const [probe, os] = await Promise.all([firewallRules(host), osRelease(host)]);
    const answers = answerPorts(probe, 'in', questions);
    return portResult(probe, answers, os.family, 'in');
  },
};
