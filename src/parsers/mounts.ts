// /proc/self/mounts (the format of fstab(5)): device, mount point, type, options, dump, pass.
// The kernel writes space, tab, newline and backslash in paths as octal escapes (\040, \011, \012, \134).
import { ParseError } from './parse-error';

export interface MountEntry {
  device: string;
  mountPoint: string;
  fsType: string;
  options: string[];
}

function unescapeOctal(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

export function parseMounts(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const f = line.trim().split(/[ \t]+/);
    if (f.length < 4 || f.length > 6) throw new ParseError(`expected 4 to 6 fields, found ${f.length}`, i + 1);
    const mountPoint = unescapeOctal(f[1]!);
    if (!mountPoint.startsWith('/')) throw new ParseError('field 2 (the mount point) is not an absolute path', i + 1);
    out.push({ device: unescapeOctal(f[0]!), mountPoint, fsType: f[2]!, options: f[3]!.split(',') });
  });
  return out;
}

/** The mount that is visible at a path: the last one mounted exactly there (later mounts hide earlier ones). */
export function mountAt(entries: readonly MountEntry[], mountPoint: string): MountEntry | undefined {
  const want = mountPoint.replace(/\/+$/, '') || '/';
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i]!.mountPoint === want) return entries[i];
  return undefined;
}
