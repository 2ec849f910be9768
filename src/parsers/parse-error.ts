/**
 * The one error a parser may throw: the input is not in the format it reads. Its message says where
 * (line, column, field) and what was expected, never what was found: the input may be a file that
 * a user pointed (by a link, in an image root) at a root-only file, and the message is printed.
 */
export class ParseError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(line === undefined ? message : `line ${line}${column === undefined ? '' : `, column ${column}`}: ${message}`);
    this.name = 'ParseError';
  }
}

/** The 1-based line and column of offset `at` in `text`. */
export function positionOf(text: string, at: number): { line: number; column: number } {
  const before = text.slice(0, at);
  return { line: before.split('\n').length, column: at - before.lastIndexOf('\n') };
}
