// Features the hardware implies when no pool file says: an NVIDIA display/3D controller means
// `gpu`, an InfiniBand port or Mellanox InfiniBand controller means `infiniband`. Read from sysfs
// through the Host, so fixture trees stand in for real machines in tests.
import type { Host } from '../host/host';
import { FsError } from '../host/rootfs';
import type { Requirement } from '../report/report';

const PCI_DEVICES = '/sys/bus/pci/devices';
const IB_CLASS = '/sys/class/infiniband';

export const NVIDIA_VENDOR = '0x10de';
export const MELLANOX_VENDOR = '0x15b3';
/** PCI class codes (class and subclass, the top 16 of the 24 bits in sysfs `class`). */
const DISPLAY_VGA = '0x0300';
const DISPLAY_3D = '0x0302';
const NETWORK_INFINIBAND = '0x0207';

export interface PciDevice {
  address: string;
  vendor: string;
  /** The full 24-bit class, e.g. 0x030200. */
  class: string;
}

export interface HardwareFindings {
  requirements: Requirement[];
  /** NVIDIA GPUs seen, for the host inventory. */
  gpus: PciDevice[];
  notes: string[];
  /** Parts of sysfs that could not be read: a device may have been missed. */
  warnings: string[];
}

const norm = (s: string) => s.trim().toLowerCase();

async function readPci(host: Host, warnings: string[]): Promise<PciDevice[]> {
  let names: string[];
  try {
    names = await host.fs.listIfExists(PCI_DEVICES);
  } catch (err) {
    warnings.push(`hardware detection could not list ${PCI_DEVICES}: ${err instanceof FsError ? err.message : String(err)}`);
    return [];
  }
  const devices = await Promise.all(
    names.map(async (address): Promise<PciDevice | null> => {
      try {
        const [vendor, cls] = await Promise.all([
          host.fs.readTextIfExists(`${PCI_DEVICES}/${address}/vendor`, 64),
          host.fs.readTextIfExists(`${PCI_DEVICES}/${address}/class`, 64),
        ]);
        if (vendor === null || cls === null) return null;
        return { address, vendor: norm(vendor), class: norm(cls) };
      } catch (err) {
        warnings.push(`hardware detection could not read PCI device ${address}: ${err instanceof FsError ? err.message : String(err)}`);
        return null;
      }
    }),
  );
  return devices.filter((d): d is PciDevice => d !== null);
}

/** Each RDMA device under /sys/class/infiniband with the link layers of its ports. */
async function readIbDevices(host: Host, warnings: string[]): Promise<{ name: string; linkLayers: string[] }[]> {
  try {
    const names = await host.fs.listIfExists(IB_CLASS);
    return await Promise.all(
      names.map(async (name) => {
        const ports = await host.fs.listIfExists(`${IB_CLASS}/${name}/ports`).catch(() => []);
        const layers = await Promise.all(ports.map((p) => host.fs.readTextIfExists(`${IB_CLASS}/${name}/ports/${p}/link_layer`, 64).catch(() => null)));
        return { name, linkLayers: layers.filter((l): l is string => l !== null).map((l) => l.trim()) };
      }),
    );
  } catch (err) {
    warnings.push(`hardware detection could not list ${IB_CLASS}: ${err instanceof FsError ? err.message : String(err)}`);
    return [];
  }
}

export async function detectHardware(host: Host): Promise<HardwareFindings> {
  const notes: string[] = [];
  const warnings: string[] = [];
  const [pci, ib] = await Promise.all([readPci(host, warnings), readIbDevices(host, warnings)]);
  const requirements: Requirement[] = [];

  const gpus = pci.filter((d) => d.vendor === NVIDIA_VENDOR && (d.class.startsWith(DISPLAY_VGA) || d.class.startsWith(DISPLAY_3D)));
  if (gpus.length > 0) {
    const list = gpus.map((g) => `${g.address} class ${g.class}`).join(', ');
    requirements.push({ feature: 'gpu', source: `hardware: NVIDIA PCI display controller${gpus.length > 1 ? 's' : ''} ${list}` });
  }

  // Azure's accelerated networking gives almost every VM a Mellanox *Ethernet* function (and an
  // mlx5 RDMA device with an Ethernet link layer): only InfiniBand ones imply the IB checks.
  const ibPorts = ib.filter((d) => d.linkLayers.length === 0 || d.linkLayers.some((l) => l.toLowerCase() === 'infiniband'));
  const mlxIb = pci.filter((d) => d.vendor === MELLANOX_VENDOR && d.class.startsWith(NETWORK_INFINIBAND));
  if (ibPorts.length > 0) {
    const list = ibPorts.map((d) => `${d.name}${d.linkLayers.length === 0 ? ' (link layer unknown)' : ''}`).join(', ');
    requirements.push({ feature: 'infiniband', source: `hardware: ${IB_CLASS} has ${list}` });
  } else if (mlxIb.length > 0) {
    requirements.push({ feature: 'infiniband', source: `hardware: Mellanox InfiniBand PCI controller ${mlxIb.map((d) => d.address).join(', ')}` });
  } else {
    const ethernet = pci.filter((d) => d.vendor === MELLANOX_VENDOR);
    if (ethernet.length > 0 || ib.length > 0) {
      notes.push(`hardware: Mellanox device(s) ${[...ethernet.map((d) => d.address), ...ib.map((d) => d.name)].join(', ')} with an Ethernet link (accelerated networking), not InfiniBand: infiniband is not required by the hardware`);
    }
  }
  return { requirements, gpus, notes, warnings };
}
