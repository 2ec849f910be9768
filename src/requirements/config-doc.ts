// A Batch Shipyard configuration file (YAML, or JSON, which YAML reads too), read once and walked
// key by key so that every complaint can name the file, the line and what was expected.
// Values are never quoted in a complaint: these files can hold keys and passwords.
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair, type YAMLMap } from 'yaml';
import { UsageError } from '../errors';
import { parseYaml, readInputFile } from '../yaml-input-file';

/** What kind of value a node holds, in words, without the value itself. */
export function kindOf(node: unknown): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'null';
    if (typeof v === 'string') return 'a string';
    if (typeof v === 'boolean') return 'true/false';
    if (typeof v === 'number' || typeof v === 'bigint') return 'a number';
  }
  return 'another kind of value';
}

/** The parser's own sentence with its position, cut before any quoted source text: these files can hold secrets. */
export function syntaxProblem(e: { line: number; col: number; message: string }): string {
  return `line ${e.line}, column ${e.col}: not valid YAML or JSON: ${e.message.split(':')[0]!.trim()}`;
}

export class ConfigDoc {
  private constructor(
    /** The command-line flag that named the file, e.g. `--pool`. */
    readonly flag: string,
    /** The file as given on the command line. */
    readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  static load(flag: string, file: string): ConfigDoc {
    return ConfigDoc.parse(flag, file, readInputFile(flag, file, 'a Batch Shipyard configuration file'));
  }

  /** Parses text already read; every problem is a UsageError. */
  static parse(flag: string, file: string, text: string): ConfigDoc {
    const { doc, lines, syntaxError } = parseYaml(text, { uniqueKeys: true, merge: true });
    if (syntaxError) throw new UsageError(`${flag} ${file}: ${syntaxProblem(syntaxError)}`);
    return new ConfigDoc(flag, file, doc, lines);
  }

  /** The top-level value, which every Shipyard file needs to be a mapping. */
  top(expected: string): YAMLMap {
    const node = this.deref(this.doc.contents);
    if (!isMap(node)) {
      if (node === null || (isScalar(node) && node.value === null)) throw new UsageError(`${this.flag} ${this.file}: empty; expected ${expected}`);
      throw this.shapeError(node, '(top level)', `a mapping with ${expected}`);
    }
    return node;
  }

  /** The value under `key` (merge keys resolved), or null when absent or null. */
  get(map: YAMLMap, key: string): Node | null {
    const pair = this.pairs(map).find((p) => isScalar(p.key) && p.key.value === key);
    const node = this.deref(pair?.value as Node | undefined);
    if (!node || (isScalar(node) && node.value === null)) return null;
    return node;
  }

  map(map: YAMLMap, key: string, at: string): YAMLMap | null {
    const node = this.get(map, key);
    if (node === null) return null;
    if (!isMap(node)) throw this.shapeError(node, at, 'a mapping');
    return node;
  }

  string(map: YAMLMap, key: string, at: string): { value: string; line: number } | null {
    const node = this.get(map, key);
    if (node === null) return null;
    if (!isScalar(node) || typeof node.value !== 'string') throw this.shapeError(node, at, 'a string');
    return { value: node.value, line: this.lineOf(node) };
  }

  boolean(map: YAMLMap, key: string, at: string): boolean | null {
    const node = this.get(map, key);
    if (node === null) return null;
    if (!isScalar(node) || typeof node.value !== 'boolean') throw this.shapeError(node, at, 'true or false');
    return node.value;
  }

  stringList(map: YAMLMap, key: string, at: string): string[] {
    return this.list(map, key, at, 'strings', 'a string', (v) => (isScalar(v) && typeof v.value === 'string' ? v.value : undefined));
  }

  /** The mappings of a list under `key` ([] when absent); anything else is a shape error. */
  mapList(map: YAMLMap, key: string, at: string): YAMLMap[] {
    return this.list(map, key, at, 'mappings', 'a mapping', (v) => (isMap(v) ? v : undefined));
  }

  /** The items of a list under `key`, each taken by `take` (undefined: not what the list holds). */
  private list<T>(map: YAMLMap, key: string, at: string, plural: string, one: string, take: (v: Node | null) => T | undefined): T[] {
    const node = this.get(map, key);
    if (node === null) return [];
    if (!isSeq(node)) throw this.shapeError(node, at, `a list of ${plural}`);
    return node.items.map((item, i) => {
      const v = this.deref(item as Node);
      const got = take(v);
      if (got === undefined) throw this.shapeError(v ?? node, `${at}[${i}]`, one);
      return got;
    });
  }

  /** The entries of a mapping whose keys are names (e.g. volumes), each value a mapping. */
  entries(map: YAMLMap, at: string): [string, YAMLMap][] {
    return this.pairs(map).map((pair) => {
      const k = this.deref(pair.key as Node);
      if (!isScalar(k) || (typeof k.value !== 'string' && typeof k.value !== 'number')) throw this.shapeError(k ?? map, at, 'names as keys');
      const name = String(k.value);
      const v = this.deref(pair.value as Node);
      if (!isMap(v)) throw this.shapeError(v ?? k, `${at}.${name}`, 'a mapping');
      return [name, v];
    });
  }

  /** A complaint about a value at a YAML path: file, line, path, what was expected and what was found. */
  shapeError(node: Node | null | undefined, at: string, expected: string): UsageError {
    const line = node ? `line ${this.lineOf(node)}: ` : '';
    return new UsageError(`${this.flag} ${this.file}: ${line}${at}: expected ${expected}, found ${kindOf(node)}`);
  }

  lineOf(node: Node): number {
    return node.range ? this.lines.linePos(node.range[0]).line : 1;
  }

  /**
   * A mapping's pairs with merge keys (`<<: *base`, `<<: [*a, *b]`, `<<: {...}`) resolved as PyYAML
   * does: the mapping's own keys win, then the merged mappings in order, the first to give a key.
   */
  private pairs(map: YAMLMap, seen: ReadonlySet<YAMLMap> = new Set()): Pair[] {
    if (seen.has(map)) throw this.shapeError(map, '<<', 'a merge that does not include itself');
    const own: Pair[] = [];
    const merged: Pair[] = [];
    for (const pair of map.items) {
      // With `merge: true` the parser gives a merge key a symbol value; a quoted "<<" stays a string.
      if (!(isScalar(pair.key) && typeof pair.key.value === 'symbol')) {
        own.push(pair);
        continue;
      }
      const value = this.deref(pair.value as Node);
      const sources = isSeq(value) ? value.items.map((i) => this.deref(i as Node)) : [value];
      for (const src of sources) {
        if (!isMap(src)) throw this.shapeError(src ?? pair.key, '<<', 'a mapping, or a list of mappings, to merge');
        merged.push(...this.pairs(src, new Set([...seen, map])));
      }
    }
    const out = [...own];
    const has = (k: unknown) => out.some((p) => isScalar(p.key) && isScalar(k) && p.key.value === k.value);
    for (const p of merged) if (!has(p.key)) out.push(p);
    return out;
  }

  private deref(node: Node | null | undefined): Node | null {
    if (!node) return null;
    if (!isAlias(node)) return node;
    const target = node.resolve(this.doc);
    if (!target) throw new UsageError(`${this.flag} ${this.file}: line ${this.lineOf(node)}: an alias names an anchor that is not defined before it`);
    return target as Node;
  }
}
