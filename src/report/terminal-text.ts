// Text the host controls (os-release, host names, unit names, tool output, plugin messages, other
// nodes' reports) ends up on terminals. A control character in it could retitle the window, clear
// the screen, move the cursor over earlier lines or fake a line of the report, so every C0 control,
// DEL and every C1 control (ESC and CSI among them) is written as a visible escape such as `\x1b`.
// The Unicode bidirectional controls (embeddings, overrides, isolates and the marks, U+061C,
// U+200E-U+200F, U+202A-U+202E, U+2066-U+2069: the "Trojan Source" characters, CVE-2021-42574)
// reorder what is shown, so that a line reads other than it is: they are written as `\u202e`.
// Only newlines in text meant to span lines (a multi-line fix) are kept.

const CONTROLS = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROLS_BUT_NEWLINE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string) => {
  const code = c.charCodeAt(0);
  return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
};

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
