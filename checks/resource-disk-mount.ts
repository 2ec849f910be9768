import type { Check, Finding } from '../src/types';
import { combine, error, fail, finding } from '../src/check-helpers';
import { osRelease } from '../src/probes/os-release';
import { isResourceMount, nodeAgentDefaultMount, RESOURCE_MOUNTS } from '../src/probes/resource-disk';
import { mounts } from '../src/probes/mounts';
import { tempDisk } from '../src/probes/temp-disk';
import { mountAt, type MountEntry } from '../src/parsers/mounts';

/** What node prep greps for: `mount | grep /dev/sdb1 | grep fuseblk` stops it, whichever disk is the temp disk. */
const NTFS_FUSE_DEVICE = '/dev/sdb1';
/** NTFS as Linux mounts it: node prep looks only for fuseblk on /dev/sdb1, but Linux permissions and overlayfs do not work on any. */
const NTFS = ['fuseblk', 'ntfs', 'ntfs3'];
const FORMAT_FIX =
  'Have it formatted ext4 at boot: ResourceDisk.Format=y and ResourceDisk.Filesystem=ext4 in /etc/waagent.conf (or cloud-init fs_setup ext4 with replace_fs: ntfs), then reboot.';
const SIZE_FIX =
  'Use a VM size whose temp disk is a SCSI disk (most sizes up to v5 with a "d" in the name, e.g. Standard_D4ds_v5, and the HPC/GPU sizes); ' +
  'Batch Shipyard 3.9.1 cannot use an NVMe temp disk or none.';
const where = (e: MountEntry) => `${e.mountPoint} (${e.device}, ${e.fsType})`;

export const resourceDiskMount: Check = {
  id: 'resource-disk.mount',
  title: 'Temp (resource) disk: a SCSI disk mounted at /mnt or /mnt/resource',
  area: 'azure',
  features: [],
  dependsOn: [],
  live: true,
  readiness: true,
  description:
    'Azure Batch keeps AZ_BATCH_NODE_ROOT_DIR on the temp (resource) disk, and Batch Shipyard node prep finds that disk as a SCSI sd* disk on ' +
    'VMBus (Gen1: IDE channel 1; Gen2: the boot SCSI controller, LUN 1), takes its partition 1 and exits unless it is mounted at /mnt or ' +
    '/mnt/resource (either, for any distribution). Reads sysfs (/sys/bus/vmbus/devices, /sys/class/nvme) and /proc/self/mounts (read whole): ' +
    'an NVMe temp disk (v6 sizes, "Microsoft NVMe Direct Disk") or none fails, as does partition 1 mounted elsewhere or not at all. ' +
    '/dev/sdb1 mounted as fuseblk (NTFS through FUSE) fails: node prep exits on it; an in-kernel NTFS mount of the temp disk warns. ' +
    "When the disk is at the place other than the node agent's default (Ubuntu /mnt, others /mnt/resource) it warns: Shipyard builds task paths on that default.",
  consequence:
    'fail: node prep stops before anything else (get_ephemeral_device, check_for_buggy_ntfs_mount, set_user_mountpoint under set -e) and the node goes to ' +
    'starttaskfailed; an NVMe or missing temp disk needs another VM size (category config), a misplaced or NTFS mount another image (category image). ' +
    "warn: node prep passes, but Shipyard's task commands assume the node agent's default mount point.",
  fix:
    'Use a VM size with a SCSI temp disk, and let the Azure Linux agent or cloud-init format it ext4 and mount it at /mnt (Ubuntu) or /mnt/resource (others) ' +
    '(ResourceDisk.Format=y, ResourceDisk.Filesystem=ext4, ResourceDisk.MountPoint in /etc/waagent.conf, or cloud-init defaults), then reboot.',
  async run({ host, settings }) {
    const [m, disk, os] = await Promise.all([mounts(host), tempDisk(host), osRelease(host)]);
    if (!m.ok) return error(`could not read the mount table: ${m.reason}`);
    if (!disk.ok) return error(`could not find the temp disk in sysfs: ${disk.reason}`);
    const atPlaces = RESOURCE_MOUNTS.map((p) => mountAt(m.mounts, p)).filter((e): e is MountEntry => e !== undefined);
    const evidence: Record<string, unknown> = { tempDisk: disk.kind, mountsAtResourcePlaces: atPlaces };
    if (disk.kind === 'nvme') {
      evidence.nvme = disk.nvme;
      return fail(
        `the temp disk is NVMe (${disk.nvme.join(', ')}), not a SCSI disk on VMBus: Batch Shipyard node prep finds no temp disk and exits`,
        SIZE_FIX,
        evidence,
        { category: 'config', retryable: false },
      );
    }
    if (disk.kind === 'none') {
      const why = disk.vmbus ? 'this VM size has no temp disk' : 'there is no VMBus (/sys/bus/vmbus/devices): this is not a Hyper-V (Azure) VM';
      return fail(`no temp disk: ${why}; Batch Shipyard node prep finds no temp disk and exits`, SIZE_FIX, evidence, { category: disk.vmbus ? 'config' : 'node', retryable: false });
    }
    const scsi = disk.scsi;
    evidence.disk = `/dev/${scsi.disk}`;
    evidence.found = scsi.where;
    if (!scsi.partition) {
      return fail(
        `the temp disk /dev/${scsi.disk} (${scsi.where}) has no partition 1; Batch Shipyard node prep uses /dev/${scsi.disk}1 and exits`,
        'Leave the temp disk as Azure provides it (one partition), or let cloud-init disk_setup make one partition for ephemeral0 (layout: true), then reboot.',
        evidence,
      );
    }
    const problems: Finding[] = [];
    const fuse = m.mounts.filter((e) => e.device === NTFS_FUSE_DEVICE && e.fsType === 'fuseblk');
    if (fuse.length > 0) {
      problems.push(finding.fail(`${NTFS_FUSE_DEVICE} is mounted as NTFS through FUSE (fuseblk) at ${fuse.map((e) => e.mountPoint).join(', ')}; Batch Shipyard node prep exits on it`, FORMAT_FIX, { retryable: false }));
    }
    // Where the partition (or the device-mapper device over it) is visible. lsblk, which node prep
    // asks, names a mount point even when another mount hides it (util-linux 2.38 tried).
    const ours = m.mounts.filter((e) => scsi.mountDevices.includes(e.device) && mountAt(m.mounts, e.mountPoint) === e);
    evidence.partitionMounts = ours.map(where);
    const placed = ours.find((e) => isResourceMount(e.mountPoint));
    const hidden = placed ? undefined : m.mounts.find((e) => scsi.mountDevices.includes(e.device) && isResourceMount(e.mountPoint));
    if (hidden) {
      const over = mountAt(m.mounts, hidden.mountPoint)!;
      evidence.hiddenBy = where(over);
      // Nothing stops (node prep's lsblk sees /mnt, Batch writes there): the node works, on the
      // wrong disk, so this is the guide's "should", a warning.
      problems.push(
        finding.warn(
          `the temp disk partition /dev/${scsi.partition} (${scsi.where}) is mounted at ${hidden.mountPoint}, but ${where(over)} is mounted over it: ` +
            `node prep finds ${hidden.mountPoint} with lsblk and goes on, but what Batch and node prep write there lands on ${over.device}, not on the temp disk`,
          `Remove the mount over ${hidden.mountPoint} (/etc/fstab, a systemd mount unit or whatever mounts it at boot), then reboot.`,
        ),
      );
      return { findings: problems, evidence };
    }
    if (!placed) {
      const other = ours.length > 0 ? `it is mounted at ${ours.map(where).join(', ')}` : 'it is not mounted';
      const occupied = atPlaces.length > 0 ? `; ${atPlaces.map(where).join(', ')} is another device` : '';
      problems.push(
        finding.fail(
          `the temp disk partition /dev/${scsi.partition} (${scsi.where}) is not at /mnt or /mnt/resource: ${other}${occupied}; Batch Shipyard node prep exits`,
          'Mount the temp disk at /mnt or /mnt/resource: ResourceDisk.MountPoint (with ResourceDisk.Format=y) in /etc/waagent.conf, or cloud-init mounts for ephemeral0, then reboot.',
        ),
      );
      return { findings: problems, evidence };
    }
    evidence.mount = placed;
    if (NTFS.includes(placed.fsType) && fuse.length === 0) {
      problems.push(finding.warn(`the temp disk at ${placed.mountPoint} (${placed.device}) is NTFS (${placed.fsType}): node prep does not stop on it, but Docker's overlay2 and Unix permissions do not work there`, FORMAT_FIX));
    }
    const def = nodeAgentDefaultMount(settings, os);
    if (def) evidence.nodeAgentDefault = `${def.path} (${def.why})`;
    if (def && def.path !== placed.mountPoint) {
      problems.push(
        finding.warn(
          `the temp disk is at ${placed.mountPoint}, which node prep accepts, but ${def.why} is ${def.path}: Batch Shipyard builds task paths on it (registry login, Singularity cache)`,
          `Mount the temp disk at ${def.path}, or use a node agent whose default is ${placed.mountPoint}.`,
          { category: 'config' },
        ),
      );
    }
    return combine(problems, evidence, `/dev/${scsi.partition} (${scsi.where}) is mounted at ${placed.mountPoint} as ${placed.fsType}${def ? ` (${def.why}: ${def.path})` : ''}`);
  },
};
