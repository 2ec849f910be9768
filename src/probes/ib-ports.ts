// Every port under /sys/class/infiniband/<device>/ports/<n>, with the attributes that tell its
// health: state ("4: ACTIVE"), phys_state ("5: LinkUp"), rate ("400 Gb/sec (4X NDR)") and
// link_layer ("InfiniBand" or "Ethernet"). Read once per run as the kernel wrote them; the checks parse.
import path from 'node:path';
import type { Host } from '../host/host';
import { FsError } from '../host/rootfs';

export const IB_CLASS = '/sys/class/infiniband';

export interface IbPortText {
  device: string;
  port: string;
  state: string | null;
  physState: string | null;
  rate: string | null;
  linkLayer: string | null;
}

/** An RDMA device with the kernel driver bound to it (basename of device/driver), when any. */
export interface IbDeviceText {
  name: string;
  driver: string | null;
}

/** `devices`: every RDMA device, with or without ports. */
export type IbPortsProbe = { ok: true; devices: IbDeviceText[]; ports: IbPortText[] } | { ok: false; reason: string };

async function readPort(host: Host, device: string, port: string): Promise<IbPortText> {
  const dir = path.posix.join(IB_CLASS, device, 'ports', port);
  const attr = (name: string) => host.fs.readTextIfExists(path.posix.join(dir, name), 256).then((t) => (t === null ? null : t.trim()));
  const [state, physState, rate, linkLayer] = await Promise.all(['state', 'phys_state', 'rate', 'link_layer'].map(attr));
  return { device, port, state: state ?? null, physState: physState ?? null, rate: rate ?? null, linkLayer: linkLayer ?? null };
}

async function driverOf(host: Host, device: string): Promise<string | null> {
  const link = await host.fs.readlink(path.posix.join(IB_CLASS, device, 'device/driver')).catch(() => null);
  return link ? path.posix.basename(link) : null;
}

/** All ports of all RDMA devices; an absent /sys/class/infiniband is no ports, a directory that cannot be read is not. */
export function ibPorts(host: Host): Promise<IbPortsProbe> {
  return host.probe('ib-ports', async () => {
    try {
      const names = await host.fs.listIfExists(IB_CLASS);
      const perDevice = await Promise.all(
        names.map(async (d) => Promise.all((await host.fs.listIfExists(path.posix.join(IB_CLASS, d, 'ports'))).map((p) => readPort(host, d, p)))),
      );
      const devices = await Promise.all(names.map(async (name) => ({ name, driver: await driverOf(host, name) })));
      return { ok: true, devices, ports: perDevice.flat() };
    } catch (err) {
      return { ok: false, reason: err instanceof FsError ? err.message : String(err) };
    }
  });
}
