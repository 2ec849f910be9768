// /etc/os-release (os-release(5)): KEY=value lines, values optionally quoted with shell-like escapes.

export type OsRelease = Record<string, string>;

function unquote(raw: string): string {
  const v = raw.trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) {
    const inner = v.slice(1, -1);
    return v[0] === '"' ? inner.replace(/\\([\\"$`])/g, '$1') : inner;
  }
  return v;
}

export function parseOsRelease(text: string): OsRelease {
  const out: OsRelease = {};
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(t);
    if (!m) continue;
    out[m[1]!] = unquote(m[2]!);
  }
  return out;
}

export type DistroFamily = 'debian' | 'rhel' | 'suse' | 'azurelinux' | 'unknown';

/** os-release IDs of Azure Linux: `azurelinux` from 3.0, `mariner` (CBL-Mariner) for 2.0. It installs with tdnf. */
export const AZURE_LINUX_IDS: readonly string[] = ['azurelinux', 'mariner'];

/** Family for remediation commands, from ID and ID_LIKE. */
export function distroFamily(os: OsRelease): DistroFamily {
  const ids = [os.ID ?? '', ...(os.ID_LIKE ?? '').split(/\s+/)].map((s) => s.toLowerCase());
  if (ids.some((i) => AZURE_LINUX_IDS.includes(i))) return 'azurelinux';
  if (ids.some((i) => i === 'debian' || i === 'ubuntu')) return 'debian';
  if (ids.some((i) => ['rhel', 'centos', 'fedora', 'almalinux', 'rocky', 'ol'].includes(i))) return 'rhel';
  if (ids.some((i) => i.startsWith('sles') || i === 'suse' || i.startsWith('opensuse'))) return 'suse';
  return 'unknown';
}
