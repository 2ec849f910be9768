// Features the hardware implies when no pool file says: an NVIDIA display/3D controller means
// `gpu`, an InfiniBand port or Mellanox InfiniBand controller means `infiniband`. From the PCI and
// InfiniBand probes the checks use too (sysfs read once per run, through the Host, so fixture trees
// stand in for real machines in tests).
import type { Host } from '../host/host';
import type { Requirement } from '../report/report';
import { isMellanoxInfiniband, isNvidiaGpu, MELLANOX_VENDOR, PCI_DEVICES_DIR, pciScan, type PciIdentity } from '../probes/pci';
import { IB_CLASS, ibPorts } from '../probes/ib-ports';

export interface HardwareFindings {
  requirements: Requirement[];
  /** NVIDIA GPUs seen, for the host inventory. */
  gpus: PciIdentity[];
  notes: string[];
  /** Parts of sysfs that could not be read: a device may have been missed. */
  warnings: string[];
}

/** Every PCI device the probe could read; detection warns about the others and goes on. */
async function readPci(host: Host, warnings: string[]): Promise<PciIdentity[]> {
  const scan = await pciScan(host);
  if (!scan.ok) {
    warnings.push(`hardware detection could not list ${PCI_DEVICES_DIR}: ${scan.reason}`);
    return [];
  }
  for (const u of scan.unreadable) warnings.push(`hardware detection could not read PCI device ${u.address}: ${u.reason}`);
  return scan.devices;
}

/** Each RDMA device under /sys/class/infiniband with the link layers of its ports. */
async function readIbDevices(host: Host, warnings: string[]): Promise<{ name: string; linkLayers: string[] }[]> {
  const probe = await ibPorts(host);
  if (!probe.ok) {
    warnings.push(`hardware detection could not read ${IB_CLASS}: ${probe.reason}`);
    return [];
  }
  return probe.devices.map(({ name }) => ({
    name,
    linkLayers: probe.ports.filter((p) => p.device === name && p.linkLayer !== null).map((p) => p.linkLayer!),
  }));
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
  const mlxIb = pci.filter(isMellanoxInfiniband);
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
