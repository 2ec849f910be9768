import type { Check, CheckResult, Evidence, Target } from '../src/types';
import { error, fail, pass, unreadable, warn, type FindingOptions } from '../src/check-helpers';
import { osRelease } from '../src/probes/os-release';
import { unitFile, type UnitInfo } from '../src/probes/unit-files';
import { listeningTcp } from '../src/probes/listening';
import { forFamily, installCommand } from '../src/remediation';

const SERVICES = ['ssh.service', 'sshd.service'];
// Ubuntu 22.10 and later enable ssh.socket instead of ssh.service: systemd listens on 22 from boot.
const SOCKETS = ['ssh.socket', 'sshd.socket'];

const NEEDED = "the pool needs the host's SSH server (requirement ssh-access)";
const SHOULD: Record<Target, string> = {
  shipyard: "Batch Shipyard's guide says the image should run one on TCP 22, but nothing this pool configures needs it",
  batch: 'an SSH server on TCP 22 serves remote login to a Batch node (its remote login settings), but nothing this pool configures needs it',
};

export const sshd: Check = {
  id: 'sshd',
  title: 'SSH server',
  area: 'network',
  features: ['ssh', 'ssh-access'],
  dependsOn: [],
  live: false,
  readiness: true,
  description:
    "Batch Shipyard's guide says the image should run an SSH server on TCP 22. The pool needs the host's sshd when people log in " +
    '(pool ssh.username, remote_access_control allow rules), for Singularity multi-instance MPI tasks (mpirun reaches the other nodes ' +
    'over it) and for per-job autoscratch (beeond connects between nodes as root); Docker multi-instance tasks run their own sshd ' +
    "inside the container on port 23 and do not use the host's. Checks that sshd is installed, that its service (ssh.service or " +
    'sshd.service) or its socket (ssh.socket or sshd.socket, socket activation) is enabled at boot and, on a live host, that ' +
    'something listens on TCP 22 (read from /proc/net/tcp and tcp6).',
  consequence:
    'Node prep never touches sshd, so a missing one does not stop it: warn when only the guide asks for it; fail when the pool ' +
    'needs it (requirement ssh-access), since then logins, Singularity MPI tasks or beeond autoscratch cannot work on the node.',
  fix: 'Install openssh-server, enable it at boot (systemctl enable ssh.service, or ssh.socket where the distribution activates it by socket, on Ubuntu/Debian; sshd.service elsewhere) and make it listen on TCP 22.',
  byTarget: {
    batch: {
      description:
        "An SSH server on TCP 22 serves remote login to a Batch node. The pool needs the host's sshd when its user accounts carry an SSH key " +
        '(userAccounts[].linuxUserConfiguration.sshPrivateKey: multi-instance MPI tasks reach the other nodes over it) or when --require ssh-access says so. ' +
        'Checks that sshd is installed, that its service (ssh.service or sshd.service) or its socket (ssh.socket or sshd.socket, socket activation) is ' +
        'enabled at boot and, on a live host, that something listens on TCP 22 (read from /proc/net/tcp and tcp6).',
      consequence:
        'Batch starts the node without sshd: warn when nothing this pool configures needs it (remote login to the node fails); fail when the pool needs it ' +
        '(requirement ssh-access), since then MPI tasks or logins cannot work on the node.',
    },
  },
  async run({ host, features, settings }) {
    const os = await osRelease(host);
    // SSH is a "should" unless the pool uses it.
    const needed = features.has('ssh-access');
    const problem = (message: string, fix: string, evidence: Evidence, opts?: FindingOptions): CheckResult =>
      needed ? fail(`${message}; ${NEEDED}`, fix, evidence, opts) : warn(`${message}; ${SHOULD[settings.target]}`, fix, evidence, opts);
    const binary = await host.which('sshd');
    if (!binary) {
      return problem('sshd is not installed', installCommand(os.family, { debian: 'openssh-server', rhel: 'openssh-server' }), { searched: 'sshd in the fixed PATH', needed }, { retryable: false });
    }
    const evidence: Evidence = { binary, needed };
    let units: UnitInfo[];
    try {
      units = await Promise.all([...SERVICES, ...SOCKETS].map((u) => unitFile(host, u)));
    } catch (err) {
      return unreadable(err);
    }
    evidence.units = Object.fromEntries(units.map((u) => [u.unit, u.state]));
    const enabled = units.find((u) => u.state === 'enabled');
    const enableFix = forFamily(os.family, { debian: 'systemctl enable ssh.service', default: 'systemctl enable sshd.service' });
    if (!enabled) {
      const known = units.find((u) => u.state !== 'not-found');
      const msg = known
        ? `sshd is installed but neither its service nor its socket is enabled (${known.unit} is ${known.state}), so it will not start at boot`
        : 'sshd is installed but no ssh or sshd service or socket unit file was found';
      return problem(msg, enableFix, evidence, { retryable: false });
    }
    evidence.enabledBy = enabled.enabledBy;
    const how = enabled.unit.endsWith('.socket') ? `${enabled.unit} is enabled at boot (socket activation)` : `${enabled.unit} is enabled at boot`;
    if (!host.live) return pass(`sshd is installed and ${how} (listening not checked: not a live host)`, evidence);
    const listening = await listeningTcp(host);
    if (!listening.ok) return error(`could not read the listening sockets: ${listening.reason}`, evidence);
    const on22 = listening.sockets.filter((s) => s.localPort === 22);
    evidence.listeningOn22 = on22.map((s) => s.localAddress);
    if (on22.length === 0) {
      return problem('sshd is installed and enabled, but nothing listens on TCP 22', `Start it now: systemctl start ${enabled.unit}; check \`Port\` in /etc/ssh/sshd_config.`, evidence);
    }
    return pass(`sshd is installed, ${how}, and TCP 22 is listening on ${on22.map((s) => s.localAddress).join(', ')}`, evidence);
  },
};
