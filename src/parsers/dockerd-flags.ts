// The dockerd flags that matter to the boot checks, from an argument vector (a unit's ExecStart).
// dockerd's flag library accepts `--flag value`, `--flag=value`, `-H value`, `-H=value` and `-Hvalue`.

export interface DockerdFlags {
  /** Every -H/--host value. */
  hosts: string[];
  /** --data-root, or the legacy -g/--graph; the last one wins. */
  dataRoot?: string;
  /** --config-file: where daemon.json is read from. */
  configFile?: string;
}

const LONG: Record<string, 'hosts' | 'dataRoot' | 'configFile'> = { '--host': 'hosts', '--data-root': 'dataRoot', '--graph': 'dataRoot', '--config-file': 'configFile' };
const SHORT: Record<string, 'hosts' | 'dataRoot'> = { '-H': 'hosts', '-g': 'dataRoot' };

export function dockerdFlags(argv: readonly string[]): DockerdFlags {
  const out: DockerdFlags = { hosts: [] };
  const set = (field: 'hosts' | 'dataRoot' | 'configFile', value: string) => {
    if (field === 'hosts') out.hosts.push(value);
    else out[field] = value;
  };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    if (LONG[name]) {
      const value = name === a ? argv[++i] : a.slice(eq + 1);
      if (value !== undefined) set(LONG[name], value);
      continue;
    }
    const short = SHORT[a.slice(0, 2)];
    if (short && !a.startsWith('--')) {
      const rest = a.slice(2);
      const value = rest === '' ? argv[++i] : rest.replace(/^=/, '');
      if (value !== undefined) set(short, value);
    }
  }
  return out;
}
