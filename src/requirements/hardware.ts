// Features the hardware implies when no pool file says: an NVIDIA display/3D controller means
// `gpu`, an InfiniBand port or Mellanox InfiniBand controller means `infiniband`. Read from sysfs
// through the Host, so fixture trees stand in for real machines in tests.
import type { Host } from '../host/host';
import { FsError } from '../host/rootfs';
import type { Requirement } from '../report/report';
import { isNvidiaGpu, MELLANOX_VENDOR, PCI_DEVICES_DIR, type PciIdentity } from '../probes/pci';

const IB_CLASS = '/sys/class/infiniband';
/** PCI class code of an InfiniBand controller (class and subclass, the top 16 of the 24 bits in sysfs `class`). */
const NETWORK_INFINIBAND = '0x0207';

export interface HardwareFindings {
  requirements: Requirement[];
  /** NVIDIA GPUs seen, for the host inventory. */
  gpus: PciIdentity[];
  notes: string[];
  /** Parts of sysfs that could not be read: a device may have been missed. */
  warnings: string[];
}

const norm = (s: string) => s.trim().toLowerCase();

/**
 * Not the pciDevices() probe: that one is all or nothing (nvidia.driver compares GPU counts, so a
 * device it could not read must not vanish), while detection takes every device it can read and
 * warns about the rest.
 */
async function readPci(host: Host, warnings: string[]): Promise<PciIdentity[]> {
  let names: string[];
  try {
    names = await host.fs.listIfExists(PCI_DEVICES_DIR);
  } catch (err) {
    warnings.push(`hardware detection could not list ${PCI_DEVICES_DIR}: ${err instanceof FsError ? err.message : String(err)}`);
    return [];
  }
  const devices = await Promise.all(
    names.map(async (address): Promise<PciIdentity | null> => {
      try {
        const [vendor, cls] = await Promise.all([
          host.fs.readTextIfExists(`${PCI_DEVICES_DIR}/${address}/vendor`, 64),
          host.fs.readTextIfExists(`${PCI_DEVICES_DIR}/${address}/class`, 64),
        ]);
        if (vendor === null || cls === null) return null;
        return { address, vendor: norm(vendor), class: norm(cls) };
      } catch (err) {
        warnings.push(`hardware detection could not read PCI device ${address}: ${err instanceof FsError ? err.message : String(err)}`);
        return null;
      }
    }),
  );
  return devices.filter((d): d is PciIdentity => d !== null);
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

  const gpus = pci.filter(isNvidiaGpu);
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
