// dockerd's flags from an argument vector (a unit's ExecStart), read as its flag library (spf13/pflag)
// reads them: `--flag value`, `--flag=value`, a boolean `--flag` alone, `-H value`, `-H=value`,
// `-Hvalue`, and one-letter booleans run together (`-DH unix://...`); `--` ends the flags.
import { BOOL_FLAGS, SHORT_FLAGS } from '../data/dockerd-options';

export interface DockerdFlags {
  /** Every -H/--host value. */
  hosts: string[];
  /** --data-root, or the legacy -g/--graph; the last one wins. */
  dataRoot?: string;
  /** --config-file: where daemon.json is read from. */
  configFile?: string;
  /** Every flag given, by its long name, once per use. */
  given: string[];
}

function record(out: DockerdFlags, name: string, value: string | undefined): void {
  out.given.push(name);
  if (value === undefined) return;
  if (name === 'host') out.hosts.push(value);
  else if (name === 'data-root' || name === 'graph') out.dataRoot = value;
  else if (name === 'config-file') out.configFile = value;
}

export function dockerdFlags(argv: readonly string[]): DockerdFlags {
  const out: DockerdFlags = { hosts: [], given: [] };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (eq > 0) record(out, name, a.slice(eq + 1));
      else if (BOOL_FLAGS.has(name)) record(out, name, undefined);
      else record(out, name, argv[++i]);
      continue;
    }
    if (!a.startsWith('-') || a.length < 2) continue;
    // A run of one-letter flags: booleans take no value; the first other one takes the rest, or the next word.
    for (let j = 1; j < a.length; j++) {
      const name = SHORT_FLAGS[a[j]!] ?? a[j]!;
      if (BOOL_FLAGS.has(name)) {
        if (a[j + 1] === '=') {
          record(out, name, a.slice(j + 2));
          break;
        }
        record(out, name, undefined);
        continue;
      }
      const rest = a.slice(j + 1).replace(/^=/, '');
      record(out, name, rest !== '' ? rest : argv[++i]);
      break;
    }
  }
  return out;
}
