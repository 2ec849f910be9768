// How the human report looks on the reader's terminal, after the conventions of well-liked CLIs:
// ✔ ✖ ⚠ symbols (ASCII where the locale is not UTF-8), colour only on a terminal and never with
// NO_COLOR (https://no-color.org) or --no-color, FORCE_COLOR to colour a pipe, and lines wrapped
// at the terminal's width (or $COLUMNS) with a hanging indent.
import type { Status } from '../types';

export interface HumanStyle {
  colour: boolean;
  /** ✔ ✖ ⚠ when true; + x ! otherwise. */
  unicode: boolean;
  /** Wrap lines at this many columns; undefined: never wrap (a file, a pipe without $COLUMNS). */
  width?: number;
  /** Every check, passes and skips included, instead of the problems and a line per area. */
  verbose: boolean;
}

/** For files and tests: no colour, ASCII symbols, no wrapping, the short report. */
export const PLAIN: HumanStyle = { colour: false, unicode: false, verbose: false };

const set = (v: string | undefined) => v !== undefined && v !== '';

/** Colour: --no-color, then FORCE_COLOR (not 0/false), then NO_COLOR, then whether it is a terminal (not TERM=dumb). */
export function wantsColour(env: NodeJS.ProcessEnv, isTerminal: boolean, colourFlag: boolean): boolean {
  if (!colourFlag) return false;
  if (set(env.FORCE_COLOR)) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (set(env.NO_COLOR)) return false;
  return isTerminal && env.TERM !== 'dumb';
}

/** UTF-8 symbols when the locale's character set is UTF-8 (LC_ALL, else LC_CTYPE, else LANG). */
export function wantsUnicode(env: NodeJS.ProcessEnv): boolean {
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find(set) ?? '';
  return /utf-?8/i.test(locale);
}

/** The terminal's columns, else a positive $COLUMNS; undefined: do not wrap. */
export function terminalWidth(env: NodeJS.ProcessEnv, columns: number | undefined): number | undefined {
  if (columns && columns > 0) return columns;
  const n = Number(env.COLUMNS);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

const SYMBOL: Record<Status, [string, string]> = { pass: ['✔', '+'], warn: ['⚠', '!'], fail: ['✖', 'x'], error: ['✖', 'x'], skip: ['-', '-'] };
const SGR: Record<Status, string> = { pass: '32', warn: '33', fail: '31', error: '35', skip: '90' };

export interface Painter {
  symbol(s: Status): string;
  status(s: Status, text: string): string;
  bold(text: string): string;
  dim(text: string): string;
  /** `first` then `text` wrapped to the width, later lines indented by `indent` spaces. */
  wrap(first: string, text: string, indent: number): string[];
}

const width = (s: string) => [...s.replace(/\x1b\[[0-9;]*m/g, '')].length;

/** Greedy word wrap: words never split, a word longer than the line gets a line of its own. */
function fill(first: string, text: string, pad: string, max: number | undefined): string[] {
  if (!max) return [first + text];
  const lines: string[] = [];
  let line = first;
  let used = width(first);
  let empty = true;
  for (const word of text.split(' ')) {
    if (!empty && used + 1 + width(word) > max) {
      lines.push(line);
      line = pad;
      used = pad.length;
      empty = true;
    }
    if (!empty) {
      line += ' ';
      used++;
    }
    line += word;
    used += width(word);
    empty = false;
  }
  lines.push(line);
  return lines;
}

export function painter(style: HumanStyle): Painter {
  const sgr = (code: string, text: string) => (style.colour ? `\x1b[${code}m${text}\x1b[0m` : text);
  return {
    symbol: (s) => sgr(SGR[s], SYMBOL[s][style.unicode ? 0 : 1]),
    status: (s, text) => sgr(SGR[s], text),
    bold: (text) => sgr('1', text),
    dim: (text) => sgr('2', text),
    // `first` may hold colour codes: its visible width is measured without them. A line break
    // in the text starts a new indented line.
    wrap(first, text, indent) {
      const pad = ' '.repeat(indent);
      return text.split('\n').flatMap((paragraph, i) => fill(i === 0 ? first : pad, paragraph, pad, style.width));
    },
  };
}
