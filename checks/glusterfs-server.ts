import type { Check } from '../src/types';
import { fail, pass, unreadable } from '../src/check-helpers';
import { osRelease } from '../src/probes/os-release';
import { unitFile, type UnitInfo } from '../src/probes/unit-files';
import { installCommand, reinstallCommand } from '../src/remediation';
import { parseGlusterVersion } from '../src/parsers/version-banners';
import { selfReport } from '../src/tool-self-report';

const PKGS = { debian: 'glusterfs-server', rhel: 'glusterfs-server', suse: 'glusterfs' };
/** Debian/Ubuntu and RHEL ship glusterd.service; older Ubuntu packages named it glusterfs-server.service. */
const UNITS = ['glusterd.service', 'glusterfs-server.service'];

export const glusterfsServer: Check = {
  id: 'glusterfs.server',
  title: 'GlusterFS server for GlusterFS on compute',
  area: 'storage',
  features: ['gluster-on-compute'],
  dependsOn: [],
  live: false,
  description:
    'A glusterfs_on_compute shared data volume makes the pool nodes themselves a GlusterFS cluster. Batch Shipyard node prep needs the ' +
    'gluster CLI and expects glusterd to be already enabled at boot on a custom image. Checks that glusterd and gluster are installed, ' +
    'that glusterd.service (or glusterfs-server.service) is enabled, read from unit files, and, when commands may run, that `gluster --version` runs.',
  consequence:
    'fail: for a glusterfs_on_compute volume node prep runs `gluster` and `glusterfs -V` under set -e and expects glusterd to be enabled already; without them node prep stops or the nodes cannot form the volume.',
  fix: 'Install the GlusterFS server (glusterfs-server) and enable it at boot: systemctl enable glusterd.',
  byTarget: {
    batch: {
      description:
        'GlusterFS on the pool nodes themselves needs the GlusterFS server on every node, enabled at boot (plain Batch pools have no such setting: this ' +
        'applies when --require gluster-on-compute asks for it). Checks that gluster and glusterd are installed, that glusterd is enabled, and that the tools run.',
      consequence: 'fail: the nodes cannot form the GlusterFS volume, so tasks that use it fail.',
    },
  },
  async run({ host }) {
    const os = await osRelease(host);
    const [daemon, cli] = await Promise.all([host.which('glusterd'), host.which('gluster')]);
    const evidence: Record<string, unknown> = { glusterd: daemon, gluster: cli };
    const missing = [!daemon && 'glusterd', !cli && 'gluster'].filter(Boolean);
    if (missing.length > 0) return fail(`${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not installed, so nodes cannot form a GlusterFS cluster`, installCommand(os.family, PKGS), evidence);
    let units: UnitInfo[];
    try {
      units = await Promise.all(UNITS.map((u) => unitFile(host, u)));
    } catch (err) {
      return unreadable(err);
    }
    evidence.units = Object.fromEntries(units.map((u) => [u.unit, u.state]));
    const enabled = units.find((u) => u.state === 'enabled');
    if (!enabled) {
      const known = units.find((u) => u.state !== 'not-found');
      const unit = known?.unit ?? 'glusterd.service';
      const fix = known?.state === 'masked' ? `systemctl unmask ${unit} && systemctl enable ${unit}` : `systemctl enable ${unit}`;
      return fail(known ? `glusterd is installed but ${known.unit} is ${known.state}, so it will not start at boot` : 'glusterd is installed but no glusterd.service or glusterfs-server.service unit file was found', fix, evidence);
    }
    evidence.enabledBy = enabled.enabledBy;
    const v = await selfReport(host, 'gluster', ['--version'], parseGlusterVersion, reinstallCommand(os.family, PKGS), evidence);
    if (!v.ok) return v.result;
    evidence.version = v.version;
    return pass(`glusterd and gluster are installed and ${enabled.unit} is enabled at boot; ${v.note}`, evidence);
  },
};
