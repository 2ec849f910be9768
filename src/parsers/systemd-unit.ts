// systemd unit files and drop-ins (systemd.syntax(7)): [Section] headers, Key=Value lines,
// `#`/`;` comments, a trailing backslash joins the next line. Malformed lines are ignored, as
// systemd ignores them (with a warning); nothing here throws.

export interface UnitEntry {
  section: string;
  key: string;
  value: string;
  line: number;
}

export function parseUnitFile(text: string): UnitEntry[] {
  const out: UnitEntry[] = [];
  const lines = text.split('\n');
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const first = i + 1;
    let line = lines[i]!.replace(/\r$/, '');
    const trimmed = line.trim();
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) {
      const next = lines[++i]!.replace(/\r$/, '');
      // Comment lines inside a continuation are skipped, as systemd does.
      if (/^\s*[#;]/.test(next)) {
        line = line.slice(0, -1) + '\\';
        continue;
      }
      line = line.slice(0, -1) + ' ' + next;
    }
    const t = line.trim();
    const sec = /^\[([^\]]+)\]$/.exec(t);
    if (sec) {
      section = sec[1]!;
      continue;
    }
    const eq = t.indexOf('=');
    if (eq <= 0 || section === '') continue;
    out.push({ section, key: t.slice(0, eq).trim(), value: t.slice(eq + 1).trim(), line: first });
  }
  return out;
}

export interface SourcedValue {
  value: string;
  file: string;
  line: number;
}

/**
 * A list setting such as ExecStart over the unit file and its drop-ins, in the order systemd
 * applies them: an empty assignment clears what came before.
 */
export function effectiveList(files: readonly { file: string; entries: readonly UnitEntry[] }[], section: string, key: string): SourcedValue[] {
  let out: SourcedValue[] = [];
  for (const { file, entries } of files) {
    for (const e of entries) {
      if (e.section !== section || e.key !== key) continue;
      if (e.value === '') out = [];
      else out.push({ value: e.value, file, line: e.line });
    }
  }
  return out;
}

/** Splits a command line as systemd does for Exec*= (quotes and backslash escapes), dropping the `@-:+!` prefixes. */
export function splitExecLine(value: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: string | null = null;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && i + 1 < value.length) cur += value[++i];
      else cur += ch;
      continue;
    }
    if (ch === ' ' || ch === '\t') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '\\' && i + 1 < value.length) cur += value[++i];
    else cur += ch;
  }
  if (inWord) words.push(cur);
  if (words.length > 0) words[0] = words[0]!.replace(/^[@\-:+!]+/, '');
  return words;
}

/**
 * Environment variables in an Exec*= argument vector, as systemd substitutes them: a word that is
 * exactly `$NAME` becomes the value split at white space (nothing when empty), `${NAME}` inside a
 * word becomes the value as is. Unset variables are empty.
 */
export function expandExecVariables(argv: readonly string[], env: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const word of argv) {
    const whole = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(word);
    if (whole) {
      out.push(...(env.get(whole[1]!) ?? '').split(/\s+/).filter(Boolean));
      continue;
    }
    out.push(word.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => env.get(name) ?? ''));
  }
  return out;
}
