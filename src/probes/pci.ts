// PCI devices from sysfs (/sys/bus/pci/devices/<address>/{vendor,device,class}), read once per run
// for hardware detection and every check. Works without lspci. Only meaningful on a live host: an
// image root's /sys is empty.
import path from 'node:path';
import type { Host } from '../host/host';
import { messageOf } from '../errors';

export interface PciDevice {
  /** e.g. 0000:18:00.0 */
  address: string;
  /** Lower-case hex with 0x, e.g. 0x10de. */
  vendor: string;
  device: string;
  /** Class code as sysfs writes it, e.g. 0x030200 (3D controller). */
  class: string;
  /** Bound kernel driver (basename of the `driver` link), when any. */
  driver: string | null;
  /** PCIe link state as sysfs writes it, read for display controllers only; absent when the kernel gives none. */
  link?: PcieLinkText;
}

/** The raw sysfs link attributes, e.g. current_link_speed "16.0 GT/s PCIe", current_link_width "16"; parsed by the checks. */
export interface PcieLinkText {
  currentSpeed: string | null;
  maxSpeed: string | null;
  currentWidth: string | null;
  maxWidth: string | null;
}

/** What hardware detection needs of a device: the PCI probe's reading without device id and driver. */
export type PciIdentity = Pick<PciDevice, 'address' | 'vendor' | 'class'>;

/** Every device, or why the bus could not be read whole (a device that could not be read must not vanish: checks count them). */
export type PciProbe = { ok: true; devices: PciDevice[] } | { ok: false; reason: string };

/** The one reading of the bus: each device read, or why it could not be; `ok: false` when the bus could not be listed. */
export type PciScan = { ok: true; devices: PciDevice[]; unreadable: { address: string; reason: string }[] } | { ok: false; reason: string };

export const PCI_DEVICES_DIR = '/sys/bus/pci/devices';
export const NVIDIA_VENDOR = '0x10de';
export const MELLANOX_VENDOR = '0x15b3';
/** PCI class of an InfiniBand controller; accelerated networking's Mellanox functions are Ethernet (0x0200). */
export const PCI_CLASS_INFINIBAND = '0x0207';

const HEX = /^0x[0-9a-f]+$/;

async function readDevice(host: Host, address: string): Promise<PciDevice> {
  const dir = path.posix.join(PCI_DEVICES_DIR, address);
  const field = async (name: string) => {
    const v = (await host.fs.readText(path.posix.join(dir, name), 64)).trim().toLowerCase();
    if (!HEX.test(v)) throw new Error(`${dir}/${name} holds ${JSON.stringify(v)}, not a hex number`);
    return v;
  };
  // Read together, but a device missing several files is reported by the first in this order,
  // not by whichever read failed first (which varied from run to run).
  const settled = await Promise.allSettled([field('vendor'), field('device'), field('class')]);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  const [vendor, device, cls] = settled.map((r) => (r as PromiseFulfilledResult<string>).value) as [string, string, string];
  const driverLink = await host.fs.readlink(path.posix.join(dir, 'driver')).catch(() => null);
  const out: PciDevice = { address, vendor, device, class: cls, driver: driverLink ? path.posix.basename(driverLink) : null };
  const link = isGpuClass(cls) ? await readLink(host, dir) : null;
  if (link) out.link = link;
  return out;
}

async function readLink(host: Host, dir: string): Promise<PcieLinkText | null> {
  // A link attribute that cannot be read is left out (null), not a failed probe: nvidia.driver counts devices from the same reading.
  const attr = (name: string) =>
    host.fs.readTextIfExists(path.posix.join(dir, name), 64).then(
      (t) => (t === null ? null : t.trim()),
      () => null,
    );
  const [currentSpeed, maxSpeed, currentWidth, maxWidth] = await Promise.all(['current_link_speed', 'max_link_speed', 'current_link_width', 'max_link_width'].map(attr));
  if (currentSpeed === null && maxSpeed === null && currentWidth === null && maxWidth === null) return null;
  return { currentSpeed: currentSpeed ?? null, maxSpeed: maxSpeed ?? null, currentWidth: currentWidth ?? null, maxWidth: maxWidth ?? null };
}

/** Every PCI device that can be read, and the ones that cannot; an absent /sys/bus/pci/devices is an empty bus. */
export function pciScan(host: Host): Promise<PciScan> {
  return host.probe('pci-devices', async () => {
    let addresses: string[];
    try {
      addresses = await host.fs.listIfExists(PCI_DEVICES_DIR);
    } catch (err) {
      return { ok: false, reason: messageOf(err) };
    }
    const read = await Promise.all(addresses.map((address) => readDevice(host, address).then((device) => ({ device }), (err: unknown) => ({ address, reason: messageOf(err) }))));
    return {
      ok: true,
      devices: read.flatMap((r) => ('device' in r ? [r.device] : [])),
      unreadable: read.flatMap((r) => ('reason' in r ? [r] : [])),
    };
  });
}

/** Every PCI device, all or nothing: what checks that count devices need. */
export async function pciDevices(host: Host): Promise<PciProbe> {
  const scan = await pciScan(host);
  if (!scan.ok) return scan;
  if (scan.unreadable.length > 0) return { ok: false, reason: scan.unreadable[0]!.reason };
  return { ok: true, devices: scan.devices };
}

/** Display controllers: VGA (class 0x0300xx) and 3D (0x0302xx). */
export const isGpuClass = (cls: string): boolean => cls.startsWith('0x0300') || cls.startsWith('0x0302');
export const isNvidiaGpu = (d: Pick<PciDevice, 'vendor' | 'class'>): boolean => d.vendor === NVIDIA_VENDOR && isGpuClass(d.class);
export const isMellanoxInfiniband = (d: Pick<PciDevice, 'vendor' | 'class'>): boolean => d.vendor === MELLANOX_VENDOR && d.class.startsWith(PCI_CLASS_INFINIBAND);
