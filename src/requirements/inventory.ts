// Host inventory for the report (--inventory): CPU, memory, virtualisation / Azure VM, GPUs.
// systeminformation is loaded only here and only when asked: loading it and gathering costs about
// 60-80 ms on a 2-core VM and starts helper processes (lscpu, dmidecode) through a shell that our
// process-group timeouts do not reach, so the default run does without it. GPUs come from our own
// PCI scan: systeminformation's graphics() would run nvidia-smi, the classic hang.
import type { PciIdentity } from '../probes/pci';
import type { Inventory } from '../report/report';
import { messageOf } from '../errors';

export const INVENTORY_TIMEOUT_MS = 2000;

export async function gatherInventory(gpus: readonly PciIdentity[], timeoutMs = INVENTORY_TIMEOUT_MS): Promise<Inventory> {
  const inv: Inventory = { gpus: gpus.map((g) => ({ address: g.address, class: g.class })) };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    timer.unref();
  });
  try {
    const gathered = await Promise.race([
      (async () => {
        const si = await import('systeminformation');
        return Promise.all([si.cpu(), si.mem(), si.system()]);
      })(),
      timeout,
    ]);
    if (gathered === 'timeout') return { ...inv, error: `systeminformation gave no answer within ${timeoutMs} ms` };
    const [cpu, mem, sys] = gathered;
    inv.cpu = { manufacturer: cpu.manufacturer, brand: cpu.brand, cores: cpu.cores, physicalCores: cpu.physicalCores };
    inv.memoryBytes = mem.total;
    inv.system = { manufacturer: sys.manufacturer, model: sys.model, virtual: sys.virtual, ...(sys.virtualHost ? { virtualHost: sys.virtualHost } : {}) };
    inv.azureVm = /microsoft/i.test(sys.manufacturer) && /virtual machine/i.test(sys.model);
    return inv;
  } catch (err) {
    return { ...inv, error: `systeminformation failed: ${messageOf(err)}` };
  } finally {
    clearTimeout(timer);
  }
}
