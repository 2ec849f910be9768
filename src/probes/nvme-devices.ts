// The NVMe namespaces the kernel gives as /dev/nvme<N>n1, counted the way Azure's health checks count
// a size's NVMe disks (Azure/azurehpc-health-checks customTests/azure_nvme_count.nhc:
// `find /dev -maxdepth 1 | grep -cE '/dev/nvme[0-9]+n1$'`). Read once per run.
import type { Host } from '../host/host';
import { messageOf } from '../errors';

const NVME_N1 = /^nvme\d+n1$/;

export type NvmeDevicesProbe = { ok: true; devices: string[] } | { ok: false; reason: string };

export function nvmeDevices(host: Host): Promise<NvmeDevicesProbe> {
  return host.probe('nvme-devices', async () => {
    try {
      return { ok: true, devices: (await host.fs.listIfExists('/dev')).filter((n) => NVME_N1.test(n)).map((n) => `/dev/${n}`) };
    } catch (err) {
      return { ok: false, reason: messageOf(err) };
    }
  });
}
