import type { Check } from '../src/types';
import { error, fail, pass, unreadable } from '../src/check-helpers';
import { osRelease } from '../src/probes/os-release';
import { unitFile } from '../src/probes/unit-files';
import { listeningTcp } from '../src/probes/listening';
import { forFamily, installCommand } from '../src/remediation';

const UNITS = ['ssh.service', 'sshd.service'];

export const sshd: Check = {
  id: 'sshd',
  title: 'SSH server',
  area: 'network',
  features: ['ssh'],
  dependsOn: [],
  live: false,
  readiness: true,
  description:
    'Batch Shipyard expects an SSH server on TCP 22 for remote login to nodes and for multi-node tasks. Checks that sshd is installed, ' +
    'that its unit (ssh.service or sshd.service) is enabled at boot and, on a live host, that something listens on TCP 22 ' +
    '(read from /proc/net/tcp and tcp6).',
  fix: "Install openssh-server, enable it at boot (systemctl enable ssh.service on Ubuntu/Debian, sshd.service elsewhere) and make it listen on TCP 22.",
  async run({ host }) {
    const os = await osRelease(host);
    const binary = await host.which('sshd');
    if (!binary) {
      return fail('sshd is not installed', installCommand(os.family, { debian: 'openssh-server', rhel: 'openssh-server' }), { searched: 'sshd in the fixed PATH' }, { retryable: false });
    }
    const evidence: Record<string, unknown> = { binary };
    let units;
    try {
      units = await Promise.all(UNITS.map((u) => unitFile(host, u)));
    } catch (err) {
      return unreadable(err);
    }
    const enabled = units.find((u) => u.state === 'enabled');
    evidence.units = Object.fromEntries(units.map((u) => [u.unit, u.state]));
    const enableFix = forFamily(os.family, { debian: 'systemctl enable ssh.service', default: 'systemctl enable sshd.service' });
    if (!enabled) {
      const known = units.find((u) => u.state !== 'not-found');
      const msg = known ? `sshd is installed but ${known.unit} is ${known.state}, so it will not start at boot` : 'sshd is installed but no ssh.service or sshd.service unit file was found';
      return fail(msg, enableFix, evidence, { retryable: false });
    }
    evidence.enabledBy = enabled.enabledBy;
    if (!host.live) return pass(`sshd is installed and ${enabled.unit} is enabled at boot (listening not checked: not a live host)`, evidence);
    const listening = await listeningTcp(host);
    if (!listening.ok) return error(`could not read the listening sockets: ${listening.reason}`, evidence);
    const on22 = listening.sockets.filter((s) => s.localPort === 22);
    evidence.listeningOn22 = on22.map((s) => s.localAddress);
    if (on22.length === 0) return fail('sshd is installed and enabled, but nothing listens on TCP 22', `Start it now: ${enableFix.replace('enable', 'start')}; check \`Port\` in /etc/ssh/sshd_config.`, evidence);
    return pass(`sshd is enabled at boot and TCP 22 is listening on ${on22.map((s) => s.localAddress).join(', ')}`, evidence);
  },
};
