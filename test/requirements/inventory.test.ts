// --inventory reads the kernel's own files and starts no process. The formats are the kernel's
// (Documentation/filesystems/proc.rst for cpuinfo and meminfo; the DMI fields of an Azure VM are
// "Microsoft Corporation" / "Virtual Machine", as Azure's Hyper-V firmware reports them).
import { describe, expect, it } from 'vitest';
import { gatherInventory } from '../../src/requirements/inventory';
import { parseCpuinfo, parseMemTotal } from '../../src/parsers/proc-cpuinfo';
import { ParseError } from '../../src/parsers/parse-error';
import { fixtureHost, tempTree } from '../helpers/host';

// Two logical CPUs on one core (hyper-threading), as an x86 Azure VM reports them.
const X86 = [0, 1]
  .map((n) => `processor\t: ${n}\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz\nphysical id\t: 0\ncore id\t\t: 0\nflags\t\t: fpu vme hypervisor avx2\n`)
  .join('\n');
// arm64 (Azure Cobalt 100 is Arm Neoverse N2): no vendor_id, no model name, no core ids.
const ARM = [0, 1, 2, 3].map((n) => `processor\t: ${n}\nBogoMIPS\t: 2000.00\nFeatures\t: fp asimd\nCPU implementer\t: 0x41\nCPU part\t: 0xd49\n`).join('\n');

describe('/proc/cpuinfo and /proc/meminfo', () => {
  it('reads vendor, model, logical and physical cores and the hypervisor flag', () => {
    expect(parseCpuinfo(X86)).toEqual({ manufacturer: 'Intel', brand: 'Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz', cores: 2, physicalCores: 1, hypervisor: true });
    expect(parseCpuinfo(ARM)).toEqual({ manufacturer: 'ARM', brand: '', cores: 4, physicalCores: 4, hypervisor: false });
    expect(() => parseCpuinfo('garbage\n')).toThrow(ParseError);
    expect(parseMemTotal('MemTotal:       16384000 kB\nMemFree: 1 kB\n')).toBe(16384000 * 1024);
    expect(() => parseMemTotal('MemFree: 1 kB\n')).toThrow(ParseError);
  });

  it('makes the inventory of an Azure VM from those files and the DMI fields', async () => {
    const host = fixtureHost(
      tempTree({
        'proc/cpuinfo': X86,
        'proc/meminfo': 'MemTotal:       16384000 kB\n',
        'sys/class/dmi/id/sys_vendor': 'Microsoft Corporation\n',
        'sys/class/dmi/id/product_name': 'Virtual Machine\n',
      }),
    );
    const inv = await gatherInventory(host, []);
    expect(inv).toEqual({
      gpus: [],
      cpu: { manufacturer: 'Intel', brand: 'Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz', cores: 2, physicalCores: 1 },
      memoryBytes: 16384000 * 1024,
      system: { manufacturer: 'Microsoft Corporation', model: 'Virtual Machine', virtual: true, virtualHost: 'Microsoft' },
      azureVm: true,
    });
  });

  it('says what it could not read instead of guessing', async () => {
    const inv = await gatherInventory(fixtureHost(tempTree({ 'proc/cpuinfo': 'garbage\n' })), []);
    expect(inv.cpu).toBeUndefined();
    expect(inv.azureVm).toBeUndefined();
    expect(inv.error).toMatch(/^\/proc\/cpuinfo: .*; \/proc\/meminfo does not exist; \/sys\/class\/dmi\/id\/sys_vendor does not exist/);
  });
});
