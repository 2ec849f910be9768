import type { Check } from '../src/types';
import { fail, pass } from '../src/check-helpers';
import { osRelease } from '../src/probes/os-release';
import { installCommand, reinstallCommand } from '../src/remediation';
import { parseNfsUtilsVersion } from '../src/parsers/version-banners';
import { selfReport } from '../src/tool-self-report';

export const nfsClient: Check = {
  id: 'nfs.client',
  title: 'NFSv4 client',
  area: 'storage',
  features: ['nfs'],
  dependsOn: [],
  live: false,
  description:
    'A storage cluster of type nfs is mounted with the NFSv4 client, and Batch Shipyard node prep runs `mount.nfs4 -V` on custom images ' +
    'and stops when it fails. Checks that mount.nfs4 is installed and, when commands may run, that `mount.nfs4 -V` runs and reports the nfs-utils version.',
  fix: 'Install the NFS client: nfs-common (Ubuntu/Debian), nfs-utils (RHEL/Alma/Rocky), nfs-client (SLES).',
  async run({ host }) {
    const os = await osRelease(host);
    const pkgs = { debian: 'nfs-common', rhel: 'nfs-utils', suse: 'nfs-client' };
    const install = installCommand(os.family, pkgs);
    const binary = await host.which('mount.nfs4');
    if (!binary) return fail('mount.nfs4 is not installed, so NFS storage clusters cannot be mounted', install, { searched: 'mount.nfs4 in the fixed PATH' });
    const evidence: Record<string, unknown> = { binary };
    const v = await selfReport(host, 'mount.nfs4', ['-V'], parseNfsUtilsVersion, reinstallCommand(os.family, pkgs), evidence);
    if (!v.ok) return v.result;
    evidence.version = v.version;
    return pass(`mount.nfs4 is installed at ${binary}; ${v.note}`, evidence);
  },
};
