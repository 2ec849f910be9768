// sshd_config(5): one "Keyword arguments" per line (a single '=' may separate them), '#' comments,
// double-quoted arguments. Keywords are case-insensitive. Lines after a `Match` apply only to the
// connections it matches, up to the next `Match` or the end of the file.
import { ParseError } from './parse-error';

export interface SshdDirective {
  /** Lower-cased keyword. */
  keyword: string;
  args: string[];
  line: number;
  /** Inside a Match block: conditional, not a global setting. */
  inMatch: boolean;
}

function splitArgs(rest: string, line: number): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < rest.length) {
    while (i < rest.length && /\s/.test(rest[i]!)) i++;
    if (i >= rest.length) break;
    if (rest[i] === '#') break;
    if (rest[i] === '"') {
      const end = rest.indexOf('"', i + 1);
      if (end < 0) throw new ParseError('unterminated quoted argument', line);
      args.push(rest.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < rest.length && !/\s/.test(rest[j]!)) j++;
    args.push(rest.slice(i, j));
    i = j;
  }
  return args;
}

export function parseSshdConfig(text: string): SshdDirective[] {
  const out: SshdDirective[] = [];
  let inMatch = false;
  text.split('\n').forEach((raw, i) => {
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) return;
    const m = /^([A-Za-z][A-Za-z0-9]*)(?:\s*=\s*|\s+|$)(.*)$/.exec(t);
    if (!m) throw new ParseError('not a "Keyword value" line', i + 1);
    const keyword = m[1]!.toLowerCase();
    const args = splitArgs(m[2]!, i + 1);
    if (keyword === 'match') inMatch = true;
    out.push({ keyword, args, line: i + 1, inMatch });
  });
  return out;
}

/** The pattern of one path component of an Include glob (`*`, `?`, `[...]`), as a RegExp. */
export function globComponent(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        const body = pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  // Like glob(3), a leading dot is only matched by a pattern that starts with one.
  try {
    return new RegExp(`^${pattern.startsWith('.') ? '' : '(?!\\.)'}${re}$`);
  } catch {
    throw new ParseError('invalid glob pattern');
  }
}
