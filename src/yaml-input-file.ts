// A YAML (or JSON, which YAML reads too) file named on the command line: read with one size
// bound and one wording for "cannot read it", and parsed with positions kept, so that every
// complaint about it can name the file and line. Shared by --checks-file and the Shipyard files.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { UsageError } from './cli/usage-error';

export const MAX_INPUT_BYTES = 8 * 1024 * 1024;

function readProblem(err: unknown): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a file';
    default:
      return `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'unknown error'})`;
  }
}

/** The file's text; any problem is a UsageError `FLAG FILE: why`. `kind` names what the file should be. */
export function readInputFile(flag: string, file: string, kind: string): string {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    throw new UsageError(`${flag} ${file}: ${readProblem(err)}`);
  }
  if (buf.length > MAX_INPUT_BYTES) throw new UsageError(`${flag} ${file}: larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB; not ${kind}`);
  return buf.toString('utf8');
}

export interface ParsedYaml {
  doc: Document.Parsed;
  lines: LineCounter;
  /** The first syntax error, where the parser found it; its message's first line may quote the source. */
  syntaxError?: { line: number; col: number; message: string };
}

/** `merge`: YAML 1.1 merge keys (`<<: *base`) become merge pairs, as PyYAML (Batch Shipyard's loader) reads them. */
export function parseYaml(text: string, opts: { uniqueKeys: boolean; merge?: boolean }): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: opts.uniqueKeys, merge: opts.merge ?? false });
  const first = doc.errors[0];
  if (!first) return { doc, lines };
  const { line, col } = lines.linePos(first.pos[0]);
  return { doc, lines, syntaxError: { line, col, message: first.message.split('\n')[0]! } };
}
