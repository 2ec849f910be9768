import type { Check, Finding } from '../src/types';
import { combine, finding, unreadable } from '../src/check-helpers';
import { osRelease } from '../src/probes/os-release';
import { forFamily } from '../src/remediation';
import type { DistroFamily } from '../src/parsers/os-release';

interface EditedFile {
  path: string;
  /** What node prep does to it (under set -e: a missing file stops it). */
  edit: string;
  fix: (family: DistroFamily) => string;
}

const SUDOERS: EditedFile = {
  path: '/etc/sudoers',
  edit: 'node prep comments out `Defaults requiretty` in it with sed -i on every pool',
  // The sudo package ships /etc/sudoers; dpkg restores a deleted conffile only with --force-confmiss.
  fix: (family) =>
    forFamily(family, {
      debian: 'apt-get install -y --reinstall -o Dpkg::Options::=--force-confmiss sudo; then check it with visudo -c',
      rhel: 'dnf reinstall -y sudo; then check it with visudo -c',
      azurelinux: 'tdnf reinstall -y sudo; then check it with visudo -c',
      default: 'Reinstall the sudo package (it ships /etc/sudoers), then check it with visudo -c',
    }),
};

const UNATTENDED: EditedFile = {
  path: '/etc/apt/apt.conf.d/50unattended-upgrades',
  edit: 'on Ubuntu GPU nodes node prep adds the linux-azure kernel packages to its Package-Blacklist with sed -i',
  fix: () =>
    'apt-get install -y --reinstall -o Dpkg::Options::=--force-confmiss unattended-upgrades (it ships /etc/apt/apt.conf.d/50unattended-upgrades); to keep upgrades off, keep the file and disable the service instead (systemctl disable unattended-upgrades)',
};

export const osNodeprepFiles: Check = {
  id: 'os.nodeprep-files',
  title: 'Files node prep edits in place',
  area: 'os',
  features: [],
  dependsOn: [],
  // What Batch Shipyard's node prep does; plain Batch pools run no such step.
  targets: ['shipyard'],
  live: false,
  description:
    'Batch Shipyard 3.9.1 node prep edits some system files with `sed -i` under set -e, and sed fails on a file that does not exist: ' +
    '/etc/sudoers on every pool (it turns off requiretty), and on Ubuntu GPU nodes /etc/apt/apt.conf.d/50unattended-upgrades (it ' +
    'blacklists the linux-azure kernel so that an unattended upgrade does not break the NVIDIA driver). Checks that each applicable ' +
    'file exists and is a regular file (after symlinks).',
  consequence:
    'fail: sed -i on a missing file exits non-zero, node prep stops (set -e) and the node goes to starttaskfailed.',
  fix: 'Restore the file from its package: sudo for /etc/sudoers; unattended-upgrades for /etc/apt/apt.conf.d/50unattended-upgrades (Ubuntu GPU images).',
  async run({ host, features }) {
    const os = await osRelease(host);
    const files = [SUDOERS];
    // Node prep takes the branch only when DISTRIB_ID (os-release ID, which it lower-cases: `DISTRIB_ID=${DISTRIB_ID,,}`) is ubuntu and it set up an NVIDIA GPU.
    const ubuntu = os.ok && os.fields.ID!.toLowerCase() === 'ubuntu';
    if (ubuntu && features.has('gpu')) files.push(UNATTENDED);
    const evidence: Record<string, unknown> = {};
    const problems: Finding[] = [];
    for (const f of files) {
      let info;
      try {
        info = await host.fs.statIfExists(f.path);
      } catch (err) {
        return unreadable(err);
      }
      evidence[f.path] = info?.kind ?? null;
      const fix = f.fix(os.family);
      if (!info) problems.push(finding.fail(`${f.path} does not exist: ${f.edit}, which fails on a missing file`, fix));
      else if (info.kind !== 'file') problems.push(finding.fail(`${f.path} is a ${info.kind}, not a file: ${f.edit}, which fails on it`, fix));
    }
    if (!ubuntu || !features.has('gpu')) evidence.unattendedUpgrades = `not needed (${ubuntu ? 'no gpu requirement' : 'not Ubuntu'})`;
    return combine(problems, evidence, `${files.map((f) => f.path).join(' and ')} exist${files.length === 1 ? 's' : ''} for node prep to edit`);
  },
};
