// Reads a YAML (or JSON) input file for the CLI, keeping positions so that every complaint about
// it can name the file and line. Any problem is a UsageError: exit 2, one line.
import { isNode, type Document, type LineCounter } from 'yaml';
import { UsageError } from '../errors';
import { parseYaml, readInputFile } from '../yaml-input-file';

export class YamlInput {
  private constructor(
    readonly file: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  static load(file: string, what: string): YamlInput {
    const { doc, lines, syntaxError } = parseYaml(readInputFile(what, file, 'a checks file'), { uniqueKeys: false });
    if (syntaxError) throw new UsageError(`${what} ${file}:${syntaxError.line}: not valid YAML or JSON: ${syntaxError.message}`);
    return new YamlInput(file, doc, lines);
  }

  /** The plain value of the whole document. */
  value(): unknown {
    return this.doc.toJS({ maxAliasCount: 100 });
  }

  /** The line a value at `path` starts on (the nearest existing ancestor when it is absent). */
  lineOf(path: readonly (string | number)[]): number {
    for (let n = path.length; n >= 0; n--) {
      const node = this.doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return this.lines.linePos(node.range[0]).line;
    }
    return 1;
  }

  /** A UsageError naming the file, the line of `path` and what was expected there. */
  error(path: readonly (string | number)[], message: string): UsageError {
    return new UsageError(`${this.file}:${this.lineOf(path)}: ${path.length ? `${path.join('.')}: ` : ''}${message}`);
  }
}
