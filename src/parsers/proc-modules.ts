// /proc/modules: one loaded kernel module a line, `name size refcount deps state address`,
// e.g. `nvidia 56823808 1234 nvidia_uvm,nvidia_modeset, Live 0x0000000000000000`.
import { ParseError } from './parse-error';

export interface KernelModule {
  name: string;
  size: number;
  /** Live, Loading or Unloading. */
  state: string;
  usedBy: string[];
}

export function parseProcModules(text: string): KernelModule[] {
  const out: KernelModule[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const f = line.split(/\s+/);
    if (f.length < 5 || !/^\w+$/.test(f[0]!) || !/^\d+$/.test(f[1]!)) throw new ParseError('not a /proc/modules line', i + 1);
    const usedBy = f[3] === '-' ? [] : f[3]!.split(',').filter(Boolean);
    out.push({ name: f[0]!, size: Number(f[1]), state: f[4]!, usedBy });
  });
  return out;
}
