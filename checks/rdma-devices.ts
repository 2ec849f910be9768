import path from 'node:path';
import type { Check, Evidence } from '../src/types';
import type { Host } from '../src/host/host';
import { error, fail, pass, unreadable } from '../src/check-helpers';
import { parseIbPortState } from '../src/parsers/ib-port-state';
import { ParseError } from '../src/parsers/parse-error';

const IB_CLASS = '/sys/class/infiniband';

interface Port {
  port: string;
  state: string;
  linkLayer: string;
}

interface IbDevice {
  name: string;
  driver: string | null;
  sriov: boolean;
  ports: Port[];
}

const DRIVER_FIX =
  'Use an RDMA-capable VM size (H, HB, HC, or an N size with "r"), and build the image from an Azure HPC image or install the Mellanox OFED / ' +
  'DOCA host drivers (mlx5_ib) and rdma-core; then `modprobe mlx5_ib ib_uverbs rdma_ucm` and reboot.';

async function readDevice(host: Host, name: string): Promise<IbDevice> {
  const dir = path.posix.join(IB_CLASS, name);
  const driverLink = await host.fs.readlink(path.posix.join(dir, 'device/driver')).catch(() => null);
  const driver = driverLink ? path.posix.basename(driverLink) : null;
  const ports: Port[] = [];
  for (const port of await host.fs.listIfExists(path.posix.join(dir, 'ports'))) {
    const p = path.posix.join(dir, 'ports', port);
    const state = parseIbPortState(await host.fs.readText(path.posix.join(p, 'state'), 256));
    const linkLayer = ((await host.fs.readTextIfExists(path.posix.join(p, 'link_layer'), 256)) ?? 'unknown').trim();
    ports.push({ port, state: state.name, linkLayer });
  }
  // Azure's SR-IOV RDMA sizes expose Mellanox ConnectX virtual functions through mlx5.
  const sriov = name.startsWith('mlx5_') || (driver?.startsWith('mlx5') ?? false);
  return { name, driver, sriov, ports };
}

const linkName = (l: string) => (l === 'Ethernet' ? 'Ethernet (RoCE)' : l);

export const rdmaDevices: Check = {
  id: 'rdma.devices',
  title: 'RDMA devices',
  area: 'rdma',
  features: ['infiniband'],
  dependsOn: [],
  live: true,
  description:
    'RDMA pools need an InfiniBand (or RoCE) device the kernel drives. Checks /sys/class/infiniband for a device with a port in state ACTIVE ' +
    '(ports/N/state; the link layer from ports/N/link_layer), and the device nodes Shipyard requires: /dev/infiniband/uverbs0 and ' +
    '/dev/infiniband/rdma_cm, plus /dev/infiniband/issm0 on SR-IOV (mlx5) devices. No device at all fails. Each node must be a character device: ' +
    'a regular file, a directory or anything else there fails (its kind is in the evidence).',
  fix: 'Use an RDMA-capable VM size, install the Mellanox/NVIDIA RDMA drivers and rdma-core (or build from an Azure HPC image), and make sure a subnet manager brings the port to ACTIVE.',
  async run({ host }) {
    let names: string[];
    try {
      names = await host.fs.listIfExists(IB_CLASS);
    } catch (err) {
      return unreadable(err);
    }
    if (names.length === 0) return fail(`no Infiniband device: ${IB_CLASS} is absent or empty`, DRIVER_FIX, { path: IB_CLASS });

    let devices: IbDevice[];
    try {
      devices = await Promise.all(names.map((n) => readDevice(host, n)));
    } catch (err) {
      if (err instanceof ParseError) return error(`could not read an InfiniBand port state: ${err.message}`);
      return unreadable(err);
    }
    const evidence: Evidence = {
      devices: devices.map((d) => ({ name: d.name, driver: d.driver, sriov: d.sriov, ports: d.ports.map((p) => `${p.port}: ${p.state} ${linkName(p.linkLayer)}`) })),
    };
    const active = devices.flatMap((d) => d.ports.filter((p) => p.state === 'ACTIVE').map((p) => ({ dev: d.name, ...p })));
    if (active.length === 0) {
      const states = devices.flatMap((d) => d.ports.map((p) => `${d.name} port ${p.port} ${p.state}`));
      return fail(
        `no InfiniBand port is ACTIVE (${states.length > 0 ? states.join(', ') : 'no ports listed'})`,
        'INIT means no subnet manager has configured the port yet (on Azure the fabric does this within minutes of boot); DOWN means no link: check `ibstat`, the cable/VM size, and `dmesg | grep mlx5`.',
        evidence,
      );
    }

    const nodes = ['/dev/infiniband/uverbs0', '/dev/infiniband/rdma_cm'];
    if (devices.some((d) => d.sriov)) nodes.push('/dev/infiniband/issm0');
    const bad: string[] = [];
    const kinds: Record<string, string> = {};
    for (const n of nodes) {
      let info;
      try {
        info = await host.fs.statIfExists(n);
      } catch (err) {
        return unreadable(err);
      }
      kinds[n] = info?.kind ?? 'missing';
      if (!info) bad.push(`${n} is missing`);
      else if (info.kind !== 'char-device') bad.push(`${n} is a ${info.kind}, not a character device`);
    }
    evidence.deviceNodes = kinds;
    if (bad.length > 0) {
      return fail(`InfiniBand port active, but ${bad.join('; ')}`, 'Load the user-space access modules: `modprobe ib_uverbs rdma_ucm` (and ib_umad for issm0), and add them to /etc/modules-load.d/ so they load at boot.', evidence);
    }
    const layers = [...new Set(active.map((p) => linkName(p.linkLayer)))].join(', ');
    return pass(`${active.map((p) => `${p.dev} port ${p.port}`).join(', ')} ACTIVE (${layers}); ${nodes.map((n) => path.posix.basename(n)).join(', ')} present`, evidence);
  },
};
