import type { Check, Target } from '../src/types';
import { osRelease } from '../src/probes/os-release';
import { firewallRules } from '../src/probes/firewall';
import { answerPorts, portResult, type PortQuestion } from '../src/firewall-port-check';

/** Why TCP 22 should be open when nothing this pool configures needs SSH, by target. */
const SSH_SHOULD: Record<Target, string> = {
  shipyard: "Batch Shipyard's guide says should be open for SSH (nothing this pool configures needs it)",
  batch: 'serves remote login to a Batch node (nothing this pool configures needs it)',
};
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
  consequence:
    'fail: a dropped port the pool needs: 29876/29877 with classic node communication (the Batch service cannot reach the node agent), 22 when the pool needs SSH (requirement ssh-access). warn: 22 dropped where SSH is only the guide\'s "should", or a port open only to some sources. Simplified node communication (the default since classic was retired on 2026-03-31) needs no inbound port.',
  fix: 'Open TCP 22 for SSH (and, for a classic-mode pool, TCP 29876-29877) in the host firewall: `firewall-cmd --permanent --add-port=29876-29877/tcp`, `ufw allow 29876:29877/tcp`, or an iptables/nft accept rule saved to load at boot.',
  async run({ host, features, settings }) {
    const batch = settings.nodeCommunication === 'simplified' ? SIMPLIFIED : undefined;
    const questions: PortQuestion[] = [
      { port: 29876, why: 'Batch node communication', closedIsFine: batch },
      { port: 29877, why: 'Batch node communication', closedIsFine: batch },
    ];
    // SSH is the guide's "should" unless the pool uses the host's sshd.
    if (features.has('ssh-access')) questions.push({ port: 22, why: 'SSH (the pool needs it: requirement ssh-access)' });
    else if (features.has('ssh')) questions.push({ port: 22, why: 'SSH', closedWarns: SSH_SHOULD[settings.target] });
    const [probe, os] = await Promise.all([firewallRules(host), osRelease(host)]);
    const answers = answerPorts(probe, 'in', questions);
    return portResult(probe, answers, os.family, 'in');
  },
};
