// Which disk is the Azure temp (resource) disk, found the way Batch Shipyard's node prep finds it:
// a SCSI `sd*` disk under a VMBus storage device (Gen1: the second IDE channel, whose device_id
// starts with {00000000-0001-; Gen2: the boot SCSI controller, LUN 1), with partition 1. Newer
// sizes (v6) give the temp disk as NVMe ("Microsoft NVMe Direct Disk"), which node prep cannot
// use. Read from sysfs through the Host, so fixture trees stand in for VMs.
import path from 'node:path';
import type { Host } from '../host/host';
import { FsError } from '../host/rootfs';

const VMBUS_DEVICES = '/sys/bus/vmbus/devices';
const NVME_CLASS = '/sys/class/nvme';
const GEN1_TEMP_CHANNEL_PREFIX = '{00000000-0001-';
const GEN2_BOOT_SCSI = '{f8b3781a-1e82-4818-a1c3-63d806ec15bb}';
/** The models Azure gives local (temp) NVMe disks; remote disks on NVMe sizes say "MSFT NVMe Accelerator". */
const NVME_DIRECT_DISK = /^Microsoft NVMe Direct Disk/;

export interface ScsiTempDisk {
  /** e.g. sdb */
  disk: string;
  /** e.g. sdb1, or null when the disk has no partition 1 */
  partition: string | null;
  /** Devices a mount of the partition may name: /dev/sdb1, and a device-mapper holder (Azure Disk Encryption) if any. */
  mountDevices: string[];
  /** Where it was found, e.g. "Gen1 IDE channel 1 (VMBus 00000000-0001-8899-0000-000000000000), 1:0:1:0". */
  where: string;
}

export type TempDiskProbe =
  | { ok: true; kind: 'scsi'; scsi: ScsiTempDisk }
  | { ok: true; kind: 'nvme'; nvme: string[] }
  /** `vmbus` false: no VMBus at all, so not a Hyper-V (Azure) VM. */
  | { ok: true; kind: 'none'; vmbus: boolean }
  | { ok: false; reason: string };

const list = (host: Host, dir: string, re: RegExp) => host.fs.listIfExists(dir).then((names) => names.filter((n) => re.test(n)));

/** host*\/target*\/H:C:T:L/block/sd* under one VMBus storage device: the layout hv_storvsc gives its disks. */
async function scsiDisks(host: Host, deviceDir: string): Promise<{ hctl: string; disk: string; blockDir: string }[]> {
  const found: { hctl: string; disk: string; blockDir: string }[] = [];
  for (const h of await list(host, deviceDir, /^host\d+$/)) {
    for (const t of await list(host, path.posix.join(deviceDir, h), /^target\d+:\d+:\d+$/)) {
      for (const hctl of await list(host, path.posix.join(deviceDir, h, t), /^\d+:\d+:\d+:\d+$/)) {
        const blockDir = path.posix.join(deviceDir, h, t, hctl, 'block');
        for (const disk of await list(host, blockDir, /^sd[a-z]+$/)) found.push({ hctl, disk, blockDir });
      }
    }
  }
  return found;
}

/** /dev/mapper/NAME and /dev/dm-N for each device-mapper device stacked on the partition (e.g. resourceencrypt). */
async function holders(host: Host, partitionDir: string): Promise<string[]> {
  const out: string[] = [];
  for (const dm of await list(host, path.posix.join(partitionDir, 'holders'), /^dm-\d+$/)) {
    out.push(`/dev/${dm}`);
    const name = (await host.fs.readTextIfExists(`/sys/block/${dm}/dm/name`, 256))?.trim();
    if (name) out.push(`/dev/mapper/${name}`);
  }
  return out;
}

async function findScsi(host: Host, devices: string[]): Promise<ScsiTempDisk | null> {
  for (const dev of devices) {
    const dir = path.posix.join(VMBUS_DEVICES, dev);
    const id = (await host.fs.readTextIfExists(path.posix.join(dir, 'device_id'), 256))?.trim().toLowerCase();
    if (!id) continue;
    const gen1 = id.startsWith(GEN1_TEMP_CHANNEL_PREFIX);
    if (!gen1 && id !== GEN2_BOOT_SCSI) continue;
    for (const d of await scsiDisks(host, dir)) {
      // On Gen2 the OS disk (LUN 0), the temp disk (LUN 1) and the DVD share this controller.
      if (!gen1 && d.hctl.split(':')[3] !== '1') continue;
      const partition = `${d.disk}1`;
      const partitionDir = path.posix.join(d.blockDir, d.disk, partition);
      const hasPartition = await host.fs.exists(partitionDir);
      return {
        disk: d.disk,
        partition: hasPartition ? partition : null,
        mountDevices: hasPartition ? [`/dev/${partition}`, ...(await holders(host, partitionDir))] : [],
        where: `${gen1 ? 'Gen1 IDE channel 1' : 'Gen2 SCSI LUN 1'} (VMBus ${dev}), ${d.hctl}`,
      };
    }
  }
  return null;
}

/** NVMe controllers whose model says they are local (temp) disks. */
async function nvmeDirectDisks(host: Host): Promise<string[]> {
  const out: string[] = [];
  for (const c of await list(host, NVME_CLASS, /^nvme\d+$/)) {
    const model = (await host.fs.readTextIfExists(path.posix.join(NVME_CLASS, c, 'model'), 256))?.trim();
    if (model && NVME_DIRECT_DISK.test(model)) out.push(`${c} (${model})`);
  }
  return out;
}

export function tempDisk(host: Host): Promise<TempDiskProbe> {
  return host.probe('temp-disk', async (): Promise<TempDiskProbe> => {
    try {
      const devices = await host.fs.listIfExists(VMBUS_DEVICES);
      const scsi = await findScsi(host, devices);
      if (scsi) return { ok: true, kind: 'scsi', scsi };
      const nvme = await nvmeDirectDisks(host);
      if (nvme.length > 0) return { ok: true, kind: 'nvme', nvme };
      return { ok: true, kind: 'none', vmbus: devices.length > 0 };
    } catch (err) {
      return { ok: false, reason: err instanceof FsError ? err.message : String(err) };
    }
  });
}
