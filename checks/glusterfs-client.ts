import type { Check } from '../src/types';
import { fail, pass } from '../src/check-helpers';
import { osRelease } from '../src/probes/os-release';
import { installCommand, reinstallCommand } from '../src/remediation';
import { parseGlusterVersion } from '../src/parsers/version-banners';
import { selfReport } from '../src/tool-self-report';

const PKGS = { debian: 'glusterfs-client', rhel: 'glusterfs-fuse', suse: 'glusterfs' };

export const glusterfsClient: Check = {
  id: 'glusterfs.client',
  title: 'GlusterFS client',
  area: 'storage',
  features: ['glusterfs', 'gluster-on-compute'],
  dependsOn: [],
  live: false,
  description:
    'GlusterFS volumes (a glusterfs storage cluster, or GlusterFS on compute) are mounted with the FUSE client. Batch Shipyard node prep ' +
    'runs `glusterfs -V` and stops when it fails. Checks that glusterfs and mount.glusterfs are installed and, when commands may run, that ' +
    '`glusterfs -V` runs and reports a version.',
  consequence:
    'fail: for a GlusterFS storage cluster volume node prep runs `glusterfs -V` under set -e; without the client it stops and the volume cannot be mounted.',
  fix: 'Install the GlusterFS client: glusterfs-client (Ubuntu/Debian), glusterfs-fuse (RHEL/Alma/Rocky), glusterfs (SLES).',
  byTarget: {
    batch: {
      description:
        'GlusterFS volumes are mounted with the FUSE client (plain Batch pools have no GlusterFS mount type: this applies when --require glusterfs asks for it, ' +
        'e.g. for a start task that mounts one). Checks that glusterfs and mount.glusterfs are installed and, when commands may run, that `glusterfs -V` runs.',
      consequence: 'fail: the GlusterFS volume cannot be mounted, so tasks that use it fail.',
    },
  },
  async run({ host }) {
    const os = await osRelease(host);
    const [client, helper] = await Promise.all([host.which('glusterfs'), host.which('mount.glusterfs')]);
    const evidence: Record<string, unknown> = { glusterfs: client, 'mount.glusterfs': helper };
    const missing = [!client && 'glusterfs', !helper && 'mount.glusterfs'].filter(Boolean);
    if (missing.length > 0) return fail(`${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not installed, so GlusterFS volumes cannot be mounted`, installCommand(os.family, PKGS), evidence);
    const v = await selfReport(host, 'glusterfs', ['-V'], parseGlusterVersion, reinstallCommand(os.family, PKGS), evidence);
    if (!v.ok) return v.result;
    evidence.version = v.version;
    return pass(`glusterfs and mount.glusterfs are installed; ${v.note}`, evidence);
  },
};
