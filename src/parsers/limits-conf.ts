// pam_limits configuration (/etc/security/limits.conf and limits.d/*.conf): `<domain> <type> <item> <value>`
// lines, # comments. Also decides the memlock limit root gets from a set of such files.

export interface LimitEntry {
  domain: string;
  /** soft, hard or - (both). */
  type: string;
  item: string;
  value: string;
  line: number;
}

export interface LimitsFile {
  entries: LimitEntry[];
  /** Lines pam_limits would skip (fewer than four fields), by line number. */
  skipped: number[];
}

export function parseLimitsConf(text: string): LimitsFile {
  const entries: LimitEntry[] = [];
  const skipped: number[] = [];
  text.split('\n').forEach((raw, i) => {
    const hash = raw.indexOf('#');
    const line = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    if (!line) return;
    const f = line.split(/[ \t]+/);
    if (f.length < 4) {
      skipped.push(i + 1);
      return;
    }
    // pam_limits lower-cases type, item and value (not the domain); the value is the rest of the line.
    entries.push({ domain: f[0]!, type: f[1]!.toLowerCase(), item: f[2]!.toLowerCase(), value: f.slice(3).join(' ').toLowerCase(), line: i + 1 });
  });
  return { entries, skipped };
}

export interface LimitSource {
  value: string;
  file: string;
  line: number;
  domain: string;
}

export interface RootMemlock {
  soft: LimitSource | null;
  hard: LimitSource | null;
  /** `*` memlock lines that were not applied to root. */
  ignoredWildcards: LimitSource[];
}

const UNLIMITED = new Set(['unlimited', 'infinity', '-1', '-']);
export const isUnlimited = (v: string): boolean => UNLIMITED.has(v);

/**
 * The memlock limits pam_limits sets for root, from files in the order pam_limits reads them
 * (limits.conf, then limits.d/*.conf sorted). A `root` line always applies and a later one wins;
 * a `*` line applies only while no `root` line set the limit, and only where `*` reaches root at
 * all: Debian's pam_limits never applies group or wildcard lines to root (limits.conf(5) NOTE),
 * upstream Linux-PAM does.
 */
export function rootMemlock(files: readonly { path: string; parsed: LimitsFile }[], wildcardAppliesToRoot: boolean): RootMemlock {
  const out: RootMemlock = { soft: null, hard: null, ignoredWildcards: [] };
  const byUser = { soft: false, hard: false };
  for (const { path, parsed } of files) {
    for (const e of parsed.entries) {
      if (e.item !== 'memlock') continue;
      const src: LimitSource = { value: e.value, file: path, line: e.line, domain: e.domain };
      const kinds = e.type === '-' ? (['soft', 'hard'] as const) : e.type === 'soft' || e.type === 'hard' ? ([e.type] as const) : [];
      if (e.domain === 'root') {
        for (const k of kinds) {
          out[k] = src;
          byUser[k] = true;
        }
      } else if (e.domain === '*') {
        if (!wildcardAppliesToRoot) {
          out.ignoredWildcards.push(src);
          continue;
        }
        for (const k of kinds) if (!byUser[k]) out[k] = src;
      }
    }
  }
  return out;
}
