import type { Check } from '../src/types';
import { error, fail, pass } from '../src/check-helpers';
import { osRelease } from '../src/probes/os-release';
import { expectedResourceMount, resourceMountUnknown } from '../src/probes/resource-disk';
import { mounts } from '../src/probes/mounts';
import { mountAt } from '../src/parsers/mounts';

/** File system types an NTFS-formatted temp disk shows up as (ntfs-3g is FUSE: fuseblk). */
const NTFS = ['fuseblk', 'ntfs', 'ntfs3'];
const CANDIDATES = ['/mnt', '/mnt/resource'];

export const resourceDiskMount: Check = {
  id: 'resource-disk.mount',
  title: 'Temp (resource) disk mounted where expected',
  area: 'azure',
  features: [],
  dependsOn: [],
  live: true,
  readiness: true,
  description:
    'Azure Batch keeps AZ_BATCH_NODE_ROOT_DIR on the temp (resource) disk, and Batch Shipyard node prep exits unless that disk is mounted ' +
    "at /mnt (Ubuntu node agents) or /mnt/resource (others), and when it is mounted as NTFS. Reads /proc/self/mounts: the mount at the " +
    "expected point must exist and not be NTFS (fuseblk, ntfs, ntfs3).",
  fix:
    'Let the Azure Linux agent or cloud-init format the temp disk as ext4 and mount it at the expected point (ResourceDisk.Format=y, ' +
    'ResourceDisk.Filesystem=ext4, ResourceDisk.MountPoint in /etc/waagent.conf, or cloud-init defaults), then reboot.',
  async run({ host, settings }) {
    const os = await osRelease(host);
    const unknown = resourceMountUnknown(settings, os);
    if (unknown) return error(`could not check the temp disk mount: ${unknown}`, { osRelease: os.ok ? undefined : os.reason }, { category: 'config', retryable: false });
    const expected = expectedResourceMount(settings, os);
    const m = await mounts(host);
    if (!m.ok) return error(`could not read the mount table: ${m.reason}`, { expected: expected.path });
    const here = mountAt(m.mounts, expected.path);
    const evidence: Record<string, unknown> = { expected: expected.path, expectedBecause: expected.why };
    if (!here) {
      const elsewhere = CANDIDATES.filter((p) => p !== expected.path).map((p) => mountAt(m.mounts, p)).filter((e) => e !== undefined);
      evidence.otherMounts = elsewhere;
      const hint = elsewhere.length > 0 ? `; a disk is mounted at ${elsewhere.map((e) => `${e.mountPoint} (${e.device}, ${e.fsType})`).join(', ')} instead` : '';
      return fail(
        `nothing is mounted at ${expected.path} (${expected.why})${hint}; Batch Shipyard node prep exits when the temp disk is not there`,
        `Mount the temp disk at ${expected.path}: set ResourceDisk.MountPoint=${expected.path} (and ResourceDisk.Format=y) in /etc/waagent.conf, or fix cloud-init's mounts for ephemeral0, then reboot.`,
        evidence,
      );
    }
    evidence.mount = here;
    if (NTFS.includes(here.fsType)) {
      return fail(
        `the temp disk at ${expected.path} (${here.device}) is mounted as NTFS (${here.fsType}); Batch Shipyard node prep exits on it`,
        'Have it formatted ext4 at boot: ResourceDisk.Format=y and ResourceDisk.Filesystem=ext4 in /etc/waagent.conf (or cloud-init fs_setup ext4 with replace_fs: ntfs), then reboot.',
        evidence,
        { retryable: false },
      );
    }
    return pass(`${here.device} is mounted at ${expected.path} as ${here.fsType} (${expected.why})`, evidence);
  },
};
