// The NVMe disks the VM size has (src/data/vm-size-hardware.ts, from the Azure size pages; they agree
// with Azure/azurehpc-health-checks conf/*.conf check_nvme_count) against /dev/nvme<N>n1.
import type { Check } from '../src/types';
import { error, fail, pass } from '../src/check-helpers';
import { nvmeDevices } from '../src/probes/nvme-devices';
import { lookUpVmSize } from '../src/vm-size-lookup';

export const hardwareNvme: Check = {
  id: 'hardware.nvme',
  title: 'NVMe disks the VM size promises are there',
  area: 'hardware',
  category: 'node',
  // The size table covers the GPU and HPC sizes, which these features come with.
  features: ['gpu', 'infiniband'],
  dependsOn: [],
  live: true,
  needsVmSize: true,
  description:
    "Counts the NVMe namespaces /dev/nvme<N>n1, as Azure's health checks count them (azurehpc-health-checks azure_nvme_count.nhc), and compares " +
    "the count with the NVMe disks of the pool's VM size (src/data/vm-size-hardware.ts, from the Azure size pages; e.g. ND H100 v5: 8). Fewer " +
    'fails: a local disk is missing, and jobs that stage data on them run short of space or fail. More passes (remote data disks on NVMe sizes ' +
    'add namespaces). Runs when the VM size is known on a pool node (start-task mode); a size missing from the table is a warning; a size whose page gives no NVMe count has nothing to compare.',
  consequence: 'fail: the node lacks local NVMe disks its size has (category node); the start task fails so that no task lands on it.',
  fix: 'Reboot the node; if a disk is still missing, remove the node (`az batch node delete`), resize the pool back so that Batch allocates another VM, and report the host to Azure support.',
  async run({ host, settings }) {
    const sz = lookUpVmSize(settings, 'NVMe disks');
    if (!sz.ok) return sz.result;
    const { size, row, evidence } = sz;
    const want = row.tempDisk.nvme;
    // Nothing promised, nothing missing: the size's page gives no NVMe count (the table says 'unknown').
    if (want === 'unknown') return pass(`${size.name} (${row.series}): its Azure page gives no NVMe disk count: nothing to compare`, evidence);
    const probe = await nvmeDevices(host);
    if (!probe.ok) return error(`could not list /dev: ${probe.reason}`, evidence);
    Object.assign(evidence, { expected: want, found: probe.devices.length, devices: probe.devices });
    const found = probe.devices.length;
    if (found < want) {
      return fail(
        `${found} NVMe disk(s) (/dev/nvme*n1); ${size.name} has ${want}: ${want - found} missing`,
        'Reboot the node; if a disk is still missing, remove the node (`az batch node delete --pool-id <pool> --node-list <node>`), resize the pool back so that Batch allocates another VM, and report the host to Azure support.',
        evidence,
      );
    }
    return pass(`${found} NVMe disk(s) (/dev/nvme*n1), ${size.name} has ${want}${found > want ? ' (the others are remote disks on NVMe)' : ''}`, evidence);
  },
};
