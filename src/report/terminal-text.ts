// Text the host controls (os-release, host names, unit names, tool output, plugin messages, other
// nodes' reports) ends up on terminals. A control character in it could retitle the window, clear
// the screen, move the cursor over earlier lines or fake a line of the report, so every C0 control,
// DEL and every C1 control (ESC and CSI among them) is written as a visible escape such as `\x1b`.
// Only newlines in text meant to span lines (a multi-line fix) are kept.

const CONTROLS = /[\x00-\x1f\x7f-\x9f]/g;
const CONTROLS_BUT_NEWLINE = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/g;

const escape = (c: string) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

export function terminalText(text: string, keepNewlines = false): string {
  return text.replace(keepNewlines ? CONTROLS_BUT_NEWLINE : CONTROLS, escape);
}

/**
 * A copy of `value` (plain data) with every string in it made safe for a terminal. Strings under a
 * key in `multiline`, or all strings with 'all', keep their newlines.
 */
export function terminalSafe<T>(value: T, multiline: ReadonlySet<string> | 'all' = new Set()): T {
  const walk = (v: unknown, keepNewlines: boolean): unknown => {
    if (typeof v === 'string') return terminalText(v, keepNewlines);
    if (Array.isArray(v)) return v.map((x) => walk(x, keepNewlines));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [terminalText(k), walk(x, multiline === 'all' || multiline.has(k))]));
    return v;
  };
  return walk(value, multiline === 'all') as T;
}
