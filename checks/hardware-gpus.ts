import type { Check } from '../src/types';
import { error, fail, pass, warn } from '../src/check-helpers';
import { isNvidiaGpu, pciDevices } from '../src/probes/pci';
import { lookUpVmSize } from '../src/vm-size-lookup';

export const hardwareGpus: Check = {
  id: 'hardware.gpus',
  title: 'GPUs the VM size promises are on the PCI bus',
  area: 'hardware',
  category: 'node',
  features: ['gpu'],
  dependsOn: [],
  live: true,
  needsVmSize: true,
  description:
    "Compares the NVIDIA display controllers on the PCI bus (/sys/bus/pci/devices, classes 0x0300/0x0302, vendor 0x10de) with the number of GPUs the pool's " +
    'VM size has (src/data/vm-size-hardware.ts, from the Azure size pages). Fewer means a GPU fell off the bus or was not attached: the node is ' +
    'faulty, and no reinstall fixes it. A size with part of one GPU (NVads A10 v5) needs one device. Runs when the VM size is known ' +
    '(--batch-pool, --pool, --vm-size, --imds) on a pool node (start-task mode); a size missing from the table is a warning, never a pass.',
  consequence:
    'fail: the start task fails and the node (starttaskfailed) takes no tasks, instead of running multi-GPU jobs short of a GPU; it needs a reimage or a new VM',
  fix: 'Reboot the node; if a GPU is still missing (dmesg: "fallen off the bus", Xid 79), reimage or delete the node so Azure places a new VM, and report the host to Azure support.',
  async run({ host, settings }) {
    const sz = lookUpVmSize(settings, 'GPU count');
    if (!sz.ok) return sz.result;
    const { size, row, evidence } = sz;
    if (!row.gpus || row.gpus.vendor !== 'nvidia') {
      return pass(`${size.name} (${row.series}) has no NVIDIA GPU${row.gpus ? ` (its GPUs are ${row.gpus.vendor.toUpperCase()} ${row.gpus.model})` : ''}: nothing to compare`, evidence);
    }
    const pci = await pciDevices(host);
    if (!pci.ok) return error(`could not read the PCI devices: ${pci.reason}`, evidence);
    const gpus = pci.devices.filter(isNvidiaGpu);
    const want = row.gpus.count;
    const promised = row.gpus.fraction ? `${row.gpus.fraction} of an NVIDIA ${row.gpus.model} (one device)` : `${want} NVIDIA ${row.gpus.model} GPU${want > 1 ? 's' : ''}`;
    Object.assign(evidence, { expected: want, found: gpus.length, devices: gpus.map((g) => `${g.address} ${g.vendor}:${g.device} class ${g.class} driver ${g.driver ?? 'none'}`) });
    if (gpus.length < want) {
      return fail(
        `the PCI bus shows ${gpus.length} NVIDIA GPU${gpus.length === 1 ? '' : 's'}; ${size.name} has ${promised}: ${want - gpus.length} missing from the bus`,
        'Reboot the node; if the GPU is still missing (dmesg: "fallen off the bus", Xid 79), reimage or delete the node so that Azure places a new VM, and report the host to Azure support',
        evidence,
      );
    }
    if (gpus.length > want) {
      return warn(
        `the PCI bus shows ${gpus.length} NVIDIA GPUs, more than the ${promised} of ${size.name}: is the VM size (from ${size.source}) right?`,
        `Check the size: ${row.source}`,
        evidence,
        { category: 'config' },
      );
    }
    return pass(`${gpus.length} NVIDIA GPU${gpus.length > 1 ? 's' : ''} on the PCI bus, as ${size.name} has (${promised})`, evidence);
  },
};
