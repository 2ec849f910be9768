// Reads a YAML (or JSON) input file for the CLI, keeping positions so that every complaint about
// it can name the file and line. Any problem is a UsageError: exit 2, one line.
import { isNode, type Document, type LineCounter } from 'yaml';
import { UsageError } from '../errors';
import { parseYaml } from '../yaml-input-file';
import { MAX_INPUT_BYTES } from '../input/regular-file';
import { readTrustedFile } from '../input/trusted-file';

/** Aliases expanded at most; more is an alias bomb ("billion laughs"), not a checks file. */
const MAX_ALIASES = 100;

export class YamlInput {
  private constructor(
    readonly flag: string,
    readonly file: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /** Reads the file under the trust rule (its checks run as root), then parses it. */
  static load(file: string, what: string): YamlInput {
    const { text } = readTrustedFile(what, file, 'a checks file', MAX_INPUT_BYTES);
    const { doc, lines, syntaxError } = parseYaml(text, { uniqueKeys: false });
    if (syntaxError) throw new UsageError(`${what} ${file}:${syntaxError.line}: not valid YAML or JSON: ${syntaxError.message}`);
    return new YamlInput(what, file, doc, lines);
  }

  /** The plain value of the whole document. */
  value(): unknown {
    try {
      return this.doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (err) {
      // The yaml package throws a ReferenceError for an excessive alias count.
      if (err instanceof ReferenceError && /alias count/i.test(err.message)) {
        throw new UsageError(`${this.flag} ${this.file}: too many YAML aliases (over ${MAX_ALIASES}): refused as a resource exhaustion attack`);
      }
      throw new UsageError(`${this.flag} ${this.file}: ${(err as Error).message.split('\n')[0]}`);
    }
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
