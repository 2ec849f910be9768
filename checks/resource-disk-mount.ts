import type { Check, CheckResult, CheckSettings, Finding } from '../src/types';
import { combine, error, fail, finding, pass, warn } from '../src/check-helpers';
import { osRelease } from '../src/probes/os-release';
import { isResourceMount, nodeAgentDefaultMount, RESOURCE_MOUNTS } from '../src/probes/resource-disk';
import { mounts } from '../src/probes/mounts';
import { tempDisk } from '../src/probes/temp-disk';
import { mountAt, type MountEntry } from '../src/parsers/mounts';
import type { ScsiTempDisk } from '../src/probes/temp-disk';
import type { DefaultMount } from '../src/probes/resource-disk';

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

/**
 * Plain Azure Batch ("Use temporary NVMe disks on Batch compute nodes", learn.microsoft.com/azure/batch/batch-nvme-temporary):
 * with no temp disk the node root directory is on the OS disk; with a SCSI temp disk, on it; with NVMe temp disks only,
 * Batch initialises, formats and mounts them itself (at /mnt/resource) and does so again after every restart.
 */
const NVME_MOUNT = '/mnt/resource';
const BATCH_NVME = 'Batch formats and mounts NVMe-only temp disks itself, at /mnt/resource, at every start (Use temporary NVMe disks on Batch compute nodes)';
const BATCH_ROOT_DIR = 'Batch keeps the node root directory (AZ_BATCH_NODE_ROOT_DIR: /mnt/batch under Ubuntu node agents, /mnt/resource/batch under the others) on the SCSI temp disk';
const under = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);

/** Batch's own rule for an NVMe temp disk: nothing for the image to do; on a node running its start task, Batch has mounted it. */
function batchNvme(nvme: string[], m: MountEntry[], settings: CheckSettings, evidence: Record<string, unknown>): CheckResult {
  evidence.nvme = nvme;
  const at = mountAt(m, NVME_MOUNT);
  if (at) evidence.mount = at;
  const disks = `the temp disk is NVMe (${nvme.join(', ')})`;
  if (settings.mode !== 'start-task') {
    return pass(`${disks}: ${BATCH_NVME}, so the image needs nothing for it${at ? ` (now at ${where(at)})` : '; it is not mounted on an image-build VM, as expected'}`, evidence);
  }
  if (at && at.device.startsWith('/dev/') && at.device !== mountAt(m, '/')?.device) return pass(`${disks}, mounted by Batch at ${where(at)}`, evidence);
  return warn(
    `${disks}, but ${at ? `${NVME_MOUNT} is ${where(at)}, not a disk of its own` : `nothing is mounted at ${NVME_MOUNT}`}: ${BATCH_NVME}, so the node root directory is not on the temp disk here`,
    `Look for what keeps Batch from mounting the NVMe temp disk (an image fstab or cloud-init entry for /mnt/resource or the NVMe devices); then reimage the node.`,
    evidence,
    { category: 'node', retryable: false },
  );
}

/** Batch's own rule for a SCSI temp disk: it must be where the node agent keeps the node root directory; if not, that lands on the OS disk (a warning, never a stop). */
function batchScsi(scsi: ScsiTempDisk, m: MountEntry[], def: DefaultMount | null, evidence: Record<string, unknown>): CheckResult {
  const ours = m.filter((e) => scsi.mountDevices.includes(e.device) && mountAt(m, e.mountPoint) === e);
  evidence.partitionMounts = ours.map(where);
  const placed = ours.find((e) => isResourceMount(e.mountPoint));
  const problems: Finding[] = [];
  if (!placed) {
    const now = ours.length > 0 ? `it is mounted at ${ours.map(where).join(', ')}` : scsi.partition ? 'it is not mounted' : 'it has no partition 1 and is not mounted';
    problems.push(
      finding.warn(
        `the temp disk /dev/${scsi.partition ?? scsi.disk} (${scsi.where}) is not at /mnt or /mnt/resource (${now}): ${BATCH_ROOT_DIR}, so here it lands on the OS disk`,
        'Let the Azure Linux agent or cloud-init format the temp disk ext4 and mount it at /mnt (Ubuntu) or /mnt/resource (others): ResourceDisk.MountPoint in /etc/waagent.conf, or cloud-init mounts for ephemeral0; then reboot.',
      ),
    );
    return { findings: problems, evidence };
  }
  evidence.mount = placed;
  if (NTFS.includes(placed.fsType)) {
    problems.push(finding.warn(`the temp disk at ${placed.mountPoint} (${placed.device}) is NTFS (${placed.fsType}): Docker's overlay2 and Unix permissions do not work there`, FORMAT_FIX));
  }
  if (def) evidence.nodeAgentDefault = `${def.path} (${def.why})`;
  if (def && !under(`${def.path}/batch`, placed.mountPoint)) {
    problems.push(
      finding.warn(
        `the temp disk is at ${placed.mountPoint}, but under ${def.why} the node root directory is ${def.path}/batch, which is then on the OS disk`,
        `Mount the temp disk at ${def.path}, or use a node agent whose default is ${placed.mountPoint}.`,
        { category: 'config' },
      ),
    );
  }
  return combine(problems, evidence, `/dev/${scsi.partition ?? scsi.disk} (${scsi.where}) is mounted at ${placed.mountPoint} as ${placed.fsType}${def ? ` (${def.why}: node root directory ${def.path}/batch)` : ''}`);
}

export const resourceDiskMount: Check = {
  id: 'resource-disk.mount',
  title: 'Temp (resource) disk: present and mounted where the target expects it',
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
  byTarget: {
    batch: {
      description:
        'Azure Batch keeps the node root directory (AZ_BATCH_NODE_ROOT_DIR) on the temp (resource) disk. Reads sysfs (/sys/bus/vmbus/devices, ' +
        '/sys/class/nvme) and /proc/self/mounts. As Batch documents it ("Use temporary NVMe disks on Batch compute nodes"): a size without a temp ' +
        'disk keeps the node root directory on the OS disk (pass); an NVMe-only temp disk (v6 sizes) is formatted and mounted at /mnt/resource by Batch ' +
        'itself at every start (pass; in start-task mode it must be mounted there, else a warning); a SCSI temp disk must be mounted at /mnt or ' +
        "/mnt/resource, holding the node agent's root directory (/mnt/batch under Ubuntu node agents, /mnt/resource/batch under the others), else a warning: the " +
        'node works, with its root directory on the OS disk. An NTFS temp disk warns.',
      consequence:
        'warn only: Batch runs the node either way; with the temp disk misplaced, unmounted or NTFS, the node root directory (task files, container data) is on ' +
        'the OS disk, or without Unix permissions.',
      fix: "Let the Azure Linux agent or cloud-init format a SCSI temp disk ext4 and mount it at the node agent's default: /mnt (Ubuntu) or /mnt/resource (others); leave NVMe temp disks to Batch.",
    },
  },
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
    if (settings.target === 'batch') {
      const evidence: Record<string, unknown> = { tempDisk: disk.kind, rule: 'plain Azure Batch (batch-nvme-temporary)' };
      if (disk.kind === 'nvme') return batchNvme(disk.nvme, m.mounts, settings, evidence);
      if (disk.kind === 'none') {
        const why = disk.vmbus ? 'this VM size has none' : 'there is no VMBus (/sys/bus/vmbus/devices), so this is not a Hyper-V (Azure) VM';
        return pass(`no temp disk (${why}): Batch keeps the node root directory on the OS disk`, evidence);
      }
      return batchScsi(disk.scsi, m.mounts, nodeAgentDefaultMount(settings, os), evidence);
    }
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
