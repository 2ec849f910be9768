// A JSON (or YAML) file walked by JSON path, with keys matched in any of the casings Azure's tools
// write (camelCase from the REST API and the CLI, PascalCase from .NET and PowerShell, snake_case
// from the Python SDK): `vmSize`, `VmSize` and `vm_size` are one key. Every complaint names the file,
// the line and the JSON path of the key as the file spells it. Values are never quoted in a
// complaint: pool definitions can hold passwords and keys.
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type YAMLMap } from 'yaml';
import { UsageError } from '../errors';
import { parseYaml, readInputFile } from '../yaml-input-file';
import { kindOf, syntaxProblem } from './config-doc';

/** A mapping in the file and the JSON path that reaches it. */
export interface JsonObject {
  map: YAMLMap;
  path: string;
}

export interface JsonValue<T> {
  value: T;
  path: string;
  line: number;
}

/** One spelling for every casing: lower case without underscores. */
const fold = (key: string) => key.toLowerCase().replace(/_/g, '');

/** `$.a.b` with `key` appended; keys that are not identifiers are bracketed. */
const child = (path: string, key: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);

export class JsonDoc {
  private constructor(
    readonly flag: string,
    readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  static load(flag: string, file: string, kind: string): JsonDoc {
    return JsonDoc.parse(flag, file, readInputFile(flag, file, kind));
  }

  static parse(flag: string, file: string, text: string): JsonDoc {
    const { doc, lines, syntaxError } = parseYaml(text, { uniqueKeys: true });
    if (syntaxError) throw new UsageError(`${flag} ${file}: ${syntaxProblem(syntaxError)}`);
    // Anchors and aliases are YAML's, not JSON's; a pool definition has none.
    return new JsonDoc(flag, file, doc, lines);
  }

  /** The top-level object. */
  root(expected: string): JsonObject {
    const node = this.doc.contents as Node | null;
    if (!isMap(node)) {
      if (node === null || (isScalar(node) && node.value === null)) throw new UsageError(`${this.flag} ${this.file}: empty; expected ${expected}`);
      throw this.shapeError(node, '$', `an object (${expected})`);
    }
    return { map: node, path: '$' };
  }

  /** The value under `key` in any casing, with its path; null when absent or null. */
  get(obj: JsonObject, key: string): { node: Node; path: string } | null {
    const want = fold(key);
    let found: { node: Node; path: string; name: string } | null = null;
    for (const pair of obj.map.items) {
      const k = pair.key as Node;
      const name = isScalar(k) ? String(k.value) : '';
      if (fold(name) !== want) continue;
      if (found) throw new UsageError(`${this.flag} ${this.file}: line ${this.lineOf(k)}: ${child(obj.path, name)}: the same key as ${found.path} in another casing`);
      found = { node: pair.value as Node, path: child(obj.path, name), name };
    }
    if (!found || !found.node || (isScalar(found.node) && found.node.value === null)) return null;
    return { node: found.node, path: found.path };
  }

  object(obj: JsonObject, key: string): JsonObject | null {
    const v = this.get(obj, key);
    if (!v) return null;
    if (!isMap(v.node)) throw this.shapeError(v.node, v.path, 'an object');
    return { map: v.node, path: v.path };
  }

  string(obj: JsonObject, key: string): JsonValue<string> | null {
    const v = this.get(obj, key);
    if (!v) return null;
    if (!isScalar(v.node) || typeof v.node.value !== 'string') throw this.shapeError(v.node, v.path, 'a string');
    return { value: v.node.value, path: v.path, line: this.lineOf(v.node) };
  }

  boolean(obj: JsonObject, key: string): JsonValue<boolean> | null {
    const v = this.get(obj, key);
    if (!v) return null;
    if (!isScalar(v.node) || typeof v.node.value !== 'boolean') throw this.shapeError(v.node, v.path, 'true or false');
    return { value: v.node.value, path: v.path, line: this.lineOf(v.node) };
  }

  /** The objects of a list; an element that is not an object is an error at its index. */
  objects(obj: JsonObject, key: string): JsonObject[] {
    return this.items(obj, key, 'a list of objects').map(({ node, path }) => {
      if (!isMap(node)) throw this.shapeError(node, path, 'an object');
      return { map: node, path };
    });
  }

  strings(obj: JsonObject, key: string): JsonValue<string>[] {
    return this.items(obj, key, 'a list of strings').map(({ node, path }) => {
      if (!isScalar(node) || typeof node.value !== 'string') throw this.shapeError(node, path, 'a string');
      return { value: node.value, path, line: this.lineOf(node) };
    });
  }

  /** A complaint about the value at a JSON path: file, line, path, what was expected and what was found. */
  shapeError(node: Node | null, path: string, expected: string): UsageError {
    return new UsageError(`${this.flag} ${this.file}: ${node ? `line ${this.lineOf(node)}: ` : ''}${path}: expected ${expected}, found ${kindOf(node)}`);
  }

  /** A complaint about a value of the right type that this tool cannot accept. */
  valueError(v: { path: string; line: number } | { path: string; node: Node }, problem: string): UsageError {
    const line = 'line' in v ? v.line : this.lineOf(v.node);
    return new UsageError(`${this.flag} ${this.file}: line ${line}: ${v.path}: ${problem}`);
  }

  private items(obj: JsonObject, key: string, expected: string): { node: Node; path: string }[] {
    const v = this.get(obj, key);
    if (!v) return [];
    if (!isSeq(v.node)) throw this.shapeError(v.node, v.path, expected);
    return v.node.items.map((node, i) => ({ node: node as Node, path: `${v.path}[${i}]` }));
  }

  private lineOf(node: Node): number {
    return node.range ? this.lines.linePos(node.range[0]).line : 1;
  }
}
