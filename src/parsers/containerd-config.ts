// The top-level `disabled_plugins` list of containerd's config.toml, e.g.
// `disabled_plugins = ["cri"]` (what Docker's containerd.io package ships) or
// `disabled_plugins = ["io.containerd.grpc.v1.cri"]`. Only that key is read; TOML elsewhere is skipped.
import { ParseError } from './parse-error';

/** The plugin ids in the top-level disabled_plugins array; empty when the key is absent. */
export function parseDisabledPlugins(text: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    // Keys after the first [table] header belong to that table, not to the top level.
    if (line.startsWith('[')) return [];
    const m = /^disabled_plugins\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    // The array may span lines: gather up to its closing bracket, comments dropped.
    let value = m[1]!.replace(/#.*$/, '');
    for (let j = i + 1; !value.includes(']') && j < lines.length; j++) value += lines[j]!.replace(/#.*$/, '');
    const arr = /^\s*\[([^\]]*)\]\s*$/.exec(value);
    if (!arr) throw new ParseError('disabled_plugins is not a one-level array of strings', i + 1);
    const items = arr[1]!.split(',').map((s) => s.trim()).filter(Boolean);
    return items.map((s) => {
      const q = /^"([^"\\]*)"$|^'([^']*)'$/.exec(s);
      if (!q) throw new ParseError('disabled_plugins holds something other than plain strings', i + 1);
      return q[1] ?? q[2]!;
    });
  }
  return [];
}
