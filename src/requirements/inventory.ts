// Host inventory for the report (--inventory): CPU, memory, virtualisation / Azure VM, GPUs, read
// from the kernel's own files (/proc/cpuinfo, /proc/meminfo, the DMI fields in /sys/class/dmi/id)
// and our PCI scan: no process is started, so no shell and nothing outside the executable trust
// rule runs (a library gathering the same facts ran lscpu and dmidecode through /bin/sh).
import type { Host } from '../host/host';
import type { PciIdentity } from '../probes/pci';
import type { Inventory } from '../report/report';
import { parseCpuinfo, parseMemTotal } from '../parsers/proc-cpuinfo';
import { messageOf } from '../errors';

/** DMI system vendors of hypervisors, as their virtual firmware reports them. */
const HYPERVISOR_VENDORS: readonly [RegExp, string][] = [
  [/^Microsoft Corporation$/, 'Microsoft'],
  [/^QEMU$/, 'QEMU'],
  [/^VMware/, 'VMware'],
  [/^Xen$/, 'Xen'],
  [/^Amazon EC2$/, 'Amazon'],
  [/^Google$/, 'Google'],
];

export async function gatherInventory(host: Host, gpus: readonly PciIdentity[]): Promise<Inventory> {
  const inv: Inventory = { gpus: gpus.map((g) => ({ address: g.address, class: g.class })) };
  const problems: string[] = [];
  const read = async <T>(file: string, parse: (text: string) => T): Promise<T | undefined> => {
    try {
      const text = await host.fs.readTextIfExists(file, 4 * 1024 * 1024);
      if (text === null) problems.push(`${file} does not exist`);
      else return parse(text);
    } catch (err) {
      problems.push(`${file}: ${messageOf(err)}`);
    }
    return undefined;
  };
  const cpu = await read('/proc/cpuinfo', parseCpuinfo);
  if (cpu) inv.cpu = { manufacturer: cpu.manufacturer, brand: cpu.brand, cores: cpu.cores, physicalCores: cpu.physicalCores };
  const memory = await read('/proc/meminfo', parseMemTotal);
  if (memory !== undefined) inv.memoryBytes = memory;
  const vendor = await read('/sys/class/dmi/id/sys_vendor', (t) => t.trim());
  const model = await read('/sys/class/dmi/id/product_name', (t) => t.trim());
  if (vendor !== undefined && model !== undefined) {
    const hypervisor = HYPERVISOR_VENDORS.find(([re]) => re.test(vendor))?.[1];
    const virtual = hypervisor !== undefined || cpu?.hypervisor === true;
    inv.system = { manufacturer: vendor, model, virtual, ...(hypervisor ? { virtualHost: hypervisor } : {}) };
    // Azure's virtual firmware: "Microsoft Corporation" / "Virtual Machine".
    inv.azureVm = vendor === 'Microsoft Corporation' && model === 'Virtual Machine';
  }
  if (problems.length > 0) inv.error = problems.join('; ');
  return inv;
}
