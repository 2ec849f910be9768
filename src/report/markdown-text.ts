// Host and report text inside GitHub-flavoured Markdown, which job summaries and pull-request
// comments render as HTML: a value must stay text. HTML (`<img>`, `<a>`, `<details>`) and entities
// are escaped, a backtick cannot end a code span, a pipe or newline cannot end a table cell, and a
// `*`, `_`, `[` or `~` cannot start emphasis, a link or strikethrough. Escape controls and
// bidirectional overrides first (terminal-text.ts).

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Report text as Markdown text inside a table cell: HTML's three characters as entities, the
 * Markdown punctuation backslash-escaped (CommonMark: any ASCII punctuation may be), line breaks
 * flattened.
 */
export function mdText(text: string): string {
  return text.replace(/[&<>]/g, (c) => ENTITIES[c]!).replace(/[\\`*_[\]~|]/g, '\\$&').replace(/\r?\n/g, ' ');
}

/**
 * Report text as a code span: its fence is one backtick longer than the longest run of backticks in
 * it (CommonMark 6.1), so no backtick inside can close it; HTML is not read inside a code span. In a
 * table a pipe must still be escaped, even inside a code span (GFM 4.10, example 200).
 */
export function mdCode(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  // A space each side keeps a backtick at either end from joining the fence; CommonMark strips one.
  const pad = flat === '' || /^[` ]|[` ]$/.test(flat) ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
