// A JSON (or YAML) file walked by JSON path, with keys matched in any of the casings Azure's tools
// write (camelCase from the REST API and the CLI, PascalCase from .NET and PowerShell, snake_case
// from the Python SDK): `vmSize`, `VmSize` and `vm_size` are one key, and a key may list the other
// names its field has in the .NET and PowerShell object models (`VirtualMachineSize`). Every
// complaint names the file, the line and the JSON path of the key as the file spells it. Values are
// never quoted in a complaint: pool definitions can hold passwords and keys.
//
// An ARM template expression (`[parameters('vmSize')]`) is no value: every accessor passes it by
// as if absent and records it in `unresolved`, so that the reader can say which keys it could not
// judge. `[[` starts a literal that begins with `[` (ARM's escape; "Template syntax and
// expressions", learn.microsoft.com/azure/azure-resource-manager/templates/template-expressions).
import { closeSync } from 'node:fs';
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type YAMLMap } from 'yaml';
import { UsageError } from '../errors';
import { MAX_INPUT_BYTES, openRegular, readCapped } from '../input/regular-file';
import { parseYaml } from '../yaml-input-file';
import { kindOf, syntaxProblem } from './config-doc';
import { decodeText } from './decode-text';

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

/** A key, or a key and the other names of the same field (first the REST name). */
export type Key = string | readonly string[];

/** An ARM template expression found where a value was read. */
export interface Unresolved {
  path: string;
  line: number;
  expression: string;
}

/** One spelling for every casing: lower case without underscores. */
const fold = (key: string) => key.toLowerCase().replace(/_/g, '');

/** `$.a.b` with `key` appended; keys that are not identifiers are bracketed. */
const child = (path: string, key: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);

/** ARM evaluates a string that starts with `[` and ends with `]`; `[[` escapes a literal. */
export const isArmExpression = (s: string) => s.startsWith('[') && !s.startsWith('[[') && s.endsWith(']');

/**
 * What PowerShell's ConvertTo-Json writes for an object deeper than its -Depth (2 unless given):
 * the object's .NET type name, e.g. Microsoft.Azure.Commands.Batch.Models.PSStartTask.
 */
const DOTNET_TYPE_NAME = /^(Microsoft|System)\.[A-Za-z0-9_.`]+(\[.*\])?$/;

export class JsonDoc {
  /** ARM expressions met so far, each once, in the order read. */
  readonly unresolved: Unresolved[] = [];
  private readonly unresolvedPaths = new Set<string>();

  private constructor(
    readonly flag: string,
    readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Reads the file as a regular file within the input size cap, in UTF-8 or UTF-16 by its byte order mark. */
  static load(flag: string, file: string, kind: string): JsonDoc {
    const { fd } = openRegular(flag, file, kind, { maxBytes: MAX_INPUT_BYTES, follow: true });
    let bytes: Buffer | null;
    try {
      bytes = readCapped(fd, MAX_INPUT_BYTES);
    } finally {
      closeSync(fd);
    }
    if (bytes === null) throw new UsageError(`${flag} ${file}: larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB; not ${kind}`);
    return JsonDoc.parse(flag, file, decodeText(flag, file, bytes));
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

  /** The value under `key` (any of its names, in any casing), with its path; null when absent or null. ARM expressions included. */
  get(obj: JsonObject, key: Key): { node: Node; path: string } | null {
    const want = new Set((typeof key === 'string' ? [key] : key).map(fold));
    let found: { node: Node; path: string } | null = null;
    for (const pair of obj.map.items) {
      const k = pair.key as Node;
      const name = isScalar(k) ? String(k.value) : '';
      if (!want.has(fold(name))) continue;
      if (found) throw new UsageError(`${this.flag} ${this.file}: line ${this.lineOf(k)}: ${child(obj.path, name)}: the same key as ${found.path} under another name or casing`);
      found = { node: pair.value as Node, path: child(obj.path, name) };
    }
    if (!found || !found.node || (isScalar(found.node) && found.node.value === null)) return null;
    return found;
  }

  object(obj: JsonObject, key: Key): JsonObject | null {
    const v = this.get(obj, key);
    if (!v || this.expression(v)) return null;
    if (!isMap(v.node)) throw this.shapeError(v.node, v.path, 'an object');
    return { map: v.node, path: v.path };
  }

  string(obj: JsonObject, key: Key): JsonValue<string> | null {
    const v = this.get(obj, key);
    if (!v || this.expression(v)) return null;
    if (!isScalar(v.node) || typeof v.node.value !== 'string') throw this.shapeError(v.node, v.path, 'a string');
    return { value: literal(v.node.value), path: v.path, line: this.lineOf(v.node) };
  }

  boolean(obj: JsonObject, key: Key): JsonValue<boolean> | null {
    const v = this.get(obj, key);
    if (!v || this.expression(v)) return null;
    if (!isScalar(v.node) || typeof v.node.value !== 'boolean') throw this.shapeError(v.node, v.path, 'true or false');
    return { value: v.node.value, path: v.path, line: this.lineOf(v.node) };
  }

  /**
   * A .NET enum's value: its name as a string, or the number PowerShell's ConvertTo-Json (without
   * -EnumsAsStrings) and Json.NET write, the member's position in `names` (the enum's members in
   * declaration order, as the C# source lists them).
   */
  enumeration(obj: JsonObject, key: Key, names: readonly string[]): JsonValue<string> | null {
    const v = this.get(obj, key);
    if (!v || this.expression(v)) return null;
    const line = this.lineOf(v.node);
    if (isScalar(v.node) && typeof v.node.value === 'string') return { value: literal(v.node.value), path: v.path, line };
    if (isScalar(v.node) && typeof v.node.value === 'number' && Number.isInteger(v.node.value) && names[v.node.value] !== undefined) {
      return { value: names[v.node.value]!, path: v.path, line };
    }
    throw this.shapeError(v.node, v.path, `one of ${names.join(', ')} (or its .NET enum number, 0 to ${names.length - 1})`);
  }

  /** The objects of a list; an element that is not an object is an error at its index. */
  objects(obj: JsonObject, key: Key): JsonObject[] {
    return this.items(obj, key, 'a list of objects').flatMap(({ node, path }) => {
      if (this.expression({ node, path })) return [];
      if (!isMap(node)) throw this.shapeError(node, path, 'an object');
      return [{ map: node, path }];
    });
  }

  strings(obj: JsonObject, key: Key): JsonValue<string>[] {
    return this.items(obj, key, 'a list of strings').flatMap(({ node, path }) => {
      if (this.expression({ node, path })) return [];
      if (!isScalar(node) || typeof node.value !== 'string') throw this.shapeError(node, path, 'a string');
      return [{ value: literal(node.value), path, line: this.lineOf(node) }];
    });
  }

  /** A complaint about the value at a JSON path: file, line, path, what was expected and what was found. */
  shapeError(node: Node | null, path: string, expected: string): UsageError {
    const where = `${this.flag} ${this.file}: ${node ? `line ${this.lineOf(node)}: ` : ''}${path}`;
    if (expected !== 'a string' && isScalar(node) && typeof node.value === 'string' && DOTNET_TYPE_NAME.test(node.value)) {
      return new UsageError(`${where}: a .NET type name where ${expected} should be: ConvertTo-Json cut the object at its -Depth (2 unless given); export it again with ConvertTo-Json -Depth 10`);
    }
    return new UsageError(`${where}: expected ${expected}, found ${kindOf(node)}`);
  }

  /** A complaint about a value of the right type that this tool cannot accept. */
  valueError(v: { path: string; line: number } | { path: string; node: Node }, problem: string): UsageError {
    const line = 'line' in v ? v.line : this.lineOf(v.node);
    return new UsageError(`${this.flag} ${this.file}: line ${line}: ${v.path}: ${problem}`);
  }

  /** Whether the value is an ARM expression; each one is recorded once. */
  private expression(v: { node: Node; path: string }): boolean {
    if (!isScalar(v.node) || typeof v.node.value !== 'string' || !isArmExpression(v.node.value)) return false;
    if (!this.unresolvedPaths.has(v.path)) {
      this.unresolvedPaths.add(v.path);
      this.unresolved.push({ path: v.path, line: this.lineOf(v.node), expression: v.node.value });
    }
    return true;
  }

  private items(obj: JsonObject, key: Key, expected: string): { node: Node; path: string }[] {
    const v = this.get(obj, key);
    if (!v || this.expression(v)) return [];
    if (!isSeq(v.node)) throw this.shapeError(v.node, v.path, expected);
    return v.node.items.map((node, i) => ({ node: node as Node, path: `${v.path}[${i}]` }));
  }

  private lineOf(node: Node): number {
    return node.range ? this.lines.linePos(node.range[0]).line : 1;
  }
}

/** ARM's `[[...]` escape: the value is the string without its first bracket. */
const literal = (s: string) => (s.startsWith('[[') && s.endsWith(']') ? s.slice(1) : s);
