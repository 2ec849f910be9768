// dockerd's own rules for daemon.json against its command line (moby daemon/config/config.go
// getConflictFreeConfiguration and findConfigurationConflicts, the same from 19.03 to 29.x): object
// values are replaced by their members unless the key is flat (configValuesSet); every key must be a
// flag's name, a named option's name or a key it skips ("the following directives don't match any
// configuration option"); and no key may also be given as a flag ("the following directives are
// specified both as a flag and in the configuration file"), except those it merges (runtimes).
import {
  DAEMON_JSON_KEYS,
  DOCKERD_LINES,
  FLAT_KEYS,
  FORMER_KEYS_OF_FLAG,
  MERGED_KEYS,
  NAMED_OPTION_OF_FLAG,
  SKIP_VALIDATE_KEYS,
  type Span,
} from '../data/dockerd-options';

/** Which release's rules to apply: a line read from moby's sources, or every line read (the engine's is not known). */
export type RulesOf = { line: string } | 'every-line';

export interface EngineLine {
  /** The release line whose rules apply, when it is one of those read. */
  line?: string;
  /** Why not: older than the oldest or newer than the newest line read, or a line that does not exist. */
  outside?: 'older' | 'newer' | 'no-such-line';
}

const lineNumbers = (l: string) => l.split('.').map(Number) as [number, number];
const before = (a: readonly [number, number], b: readonly [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/** The release line of an engine version (20.10.24 is 20.10; 24.0.7 is 24.0). */
export function engineLine(major: number, minor: number): EngineLine {
  const v = [major, minor] as const;
  if (before(v, lineNumbers(DOCKERD_LINES[0]!))) return { outside: 'older' };
  if (before(lineNumbers(DOCKERD_LINES.at(-1)!), v)) return { outside: 'newer' };
  const line = DOCKERD_LINES.find((l) => lineNumbers(l)[0] === major && lineNumbers(l)[1] === minor);
  return line ? { line } : { outside: 'no-such-line' };
}

/** Whether a name's span covers the rules asked for (for every line: any line). */
function has(table: Readonly<Record<string, Span>>, key: string, rules: RulesOf): boolean {
  if (!Object.hasOwn(table, key)) return false;
  if (rules === 'every-line') return true;
  const [first, last] = table[key]!;
  const at = DOCKERD_LINES.indexOf(rules.line);
  return DOCKERD_LINES.indexOf(first) <= at && (last === undefined || at <= DOCKERD_LINES.indexOf(last));
}

/** configValuesSet: the keys dockerd judges, with an object's members in its place unless the key is flat. */
export function directivesOf(config: Record<string, unknown>, rules: RulesOf): string[] {
  const keys: string[] = [];
  for (const [k, v] of Object.entries(config)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !has(FLAT_KEYS, k, rules)) keys.push(...Object.keys(v));
    else keys.push(k);
  }
  return [...new Set(keys)];
}

/** Keys dockerd does not know: for 'every-line', keys no release line read knows. */
export function unknownDirectives(config: Record<string, unknown>, rules: RulesOf): string[] {
  return directivesOf(config, rules).filter((k) => !has(DAEMON_JSON_KEYS, k, rules) && !has(SKIP_VALIDATE_KEYS, k, rules));
}

export interface Conflict {
  /** The daemon.json key. */
  key: string;
  /** The flag (long name) given for it. */
  flag: string;
}

/** Flags (long names, as given) whose setting daemon.json also makes. */
export function conflictingDirectives(config: Record<string, unknown>, givenFlags: readonly string[], rules: RulesOf): Conflict[] {
  const keys = new Set(directivesOf(config, rules));
  const out: Conflict[] = [];
  for (const flag of new Set(givenFlags)) {
    const candidates = [NAMED_OPTION_OF_FLAG[flag] ?? flag, FORMER_KEYS_OF_FLAG[flag]].filter((k): k is string => k !== undefined);
    const key = candidates.find((k) => keys.has(k) && !MERGED_KEYS.includes(k));
    if (key) out.push({ key, flag });
  }
  return out;
}
