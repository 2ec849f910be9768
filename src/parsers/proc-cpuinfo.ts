// /proc/cpuinfo and /proc/meminfo as the kernel writes them (Documentation/filesystems/proc.rst):
// one `key<TAB>: value` line per fact, a blank line between processors. x86 kernels name the
// vendor (`vendor_id`) and model (`model name`) and give each logical CPU its `physical id` and
// `core id`; arm64 kernels give `CPU implementer` (0x41 is Arm Ltd) and no model name.
import { ParseError } from './parse-error';

export interface CpuInfo {
  manufacturer: string;
  brand: string;
  /** Logical CPUs. */
  cores: number;
  /** Distinct (physical id, core id) pairs; the logical count where the kernel does not say. */
  physicalCores: number;
  /** The `hypervisor` CPU flag: the kernel runs as a guest. */
  hypervisor: boolean;
}

const VENDORS: Record<string, string> = { GenuineIntel: 'Intel', AuthenticAMD: 'AMD' };
const IMPLEMENTERS: Record<string, string> = { '0x41': 'ARM', '0xc0': 'Ampere' };

export function parseCpuinfo(text: string): CpuInfo {
  const processors = text
    .split(/\n\s*\n/)
    .map((block) => {
      const fields = new Map<string, string>();
      for (const line of block.split('\n')) {
        const i = line.indexOf(':');
        if (i > 0) fields.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
      }
      return fields;
    })
    .filter((f) => f.has('processor'));
  if (processors.length === 0) throw new ParseError('no "processor" entry');
  const first = processors[0]!;
  const vendor = first.get('vendor_id');
  const implementer = first.get('CPU implementer');
  const manufacturer = vendor ? (VENDORS[vendor] ?? vendor) : implementer ? (IMPLEMENTERS[implementer] ?? `implementer ${implementer}`) : 'unknown';
  const cores = new Set(processors.map((p) => (p.has('physical id') && p.has('core id') ? `${p.get('physical id')}/${p.get('core id')}` : undefined)));
  const physicalCores = cores.has(undefined) ? processors.length : cores.size;
  const flags = (first.get('flags') ?? '').split(/\s+/);
  return { manufacturer, brand: first.get('model name') ?? '', cores: processors.length, physicalCores, hypervisor: flags.includes('hypervisor') };
}

/** MemTotal from /proc/meminfo, in bytes. */
export function parseMemTotal(text: string): number {
  const m = /^MemTotal:\s+(\d+) kB$/m.exec(text);
  if (!m) throw new ParseError('no "MemTotal: N kB" line');
  return Number(m[1]) * 1024;
}
