// A YAML (or JSON, which YAML reads too) file named on the command line: read as a regular file
// within one size bound (src/input/regular-file.ts), and parsed with positions kept, so that every
// complaint about it can name the file and line. Shared by --checks-file and the Shipyard files.
import { LineCounter, parseDocument, type Document } from 'yaml';
import { readRegularFile } from './input/regular-file';

/** The file's text; any problem is a UsageError `FLAG FILE: why`. `kind` names what the file should be. */
export function readInputFile(flag: string, file: string, kind: string): string {
  return readRegularFile(flag, file, kind);
}

export interface ParsedYaml {
  doc: Document.Parsed;
  lines: LineCounter;
  /** The first syntax error, where the parser found it, and what it is (never the source it quotes: parse-error.ts). */
  syntaxError?: { line: number; col: number; message: string };
}

/** `merge`: YAML 1.1 merge keys (`<<: *base`) become merge pairs, as PyYAML (Batch Shipyard's loader) reads them. */
export function parseYaml(text: string, opts: { uniqueKeys: boolean; merge?: boolean }): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: opts.uniqueKeys, merge: opts.merge ?? false });
  const first = doc.errors[0];
  if (!first) return { doc, lines };
  const { line, col } = lines.linePos(first.pos[0]);
  // The yaml library's message may go on to quote the source, after a newline or a colon.
  return { doc, lines, syntaxError: { line, col, message: first.message.split('\n')[0]!.split(':')[0]!.trim() } };
}
